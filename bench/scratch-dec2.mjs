import { JsonMessageDecoder } from '@berth/engine-protocol';
import { makeProgressStream } from './src/progress-stream.mjs';
const s = makeProgressStream(20 * 1024 * 1024, 20240611);
function full() { const d = new JsonMessageDecoder(); let n = 0; for (const c of s.chunks) n += d.push(c).length; return n + d.end().length; }
function scanParse() {
  const td = new TextDecoder(); let n = 0, depth = 0, inStr = false, esc = false, pend = '';
  for (const c of s.chunks) { const t = td.decode(c, { stream: true }); let start = depth > 0 ? 0 : -1;
    for (let i = 0; i < t.length; i++) { const ch = t.charCodeAt(i);
      if (depth === 0) { if (ch === 123) { depth = 1; start = i; } continue; }
      if (inStr) { if (esc) esc = false; else if (ch === 92) esc = true; else if (ch === 34) inStr = false; continue; }
      if (ch === 34) inStr = true; else if (ch === 123 || ch === 91) depth++; else if (ch === 125 || ch === 93) { depth--; if (depth === 0) { const src = pend ? pend + t.slice(start, i + 1) : t.slice(start, i + 1); pend = ''; const m = JSON.parse(src); if (VALIDATE) validate(m); n++; } } }
    if (depth > 0) pend += t.slice(start); }
  return n; }
let VALIDATE = false;
const stringFields = ['stream', 'status', 'id', 'progress', 'error'];
const pf = ['current', 'total', 'start'];
function validate(message) {
  for (const field of stringFields) { if (message[field] === null) delete message[field]; else if (message[field] !== undefined && typeof message[field] !== 'string') throw 1; }
  if (message['aux'] === null) delete message['aux'];
  const p = message['progressDetail'];
  if (p === null) delete message['progressDetail']; else if (p !== undefined) {
    for (const f of pf) { if (p[f] === null) delete p[f]; else if (p[f] !== undefined && typeof p[f] !== 'number') throw 2; }
    if (p['units'] === null) delete p['units']; if (p['hidecounts'] === null) delete p['hidecounts']; }
  const e = message['errorDetail']; if (e === null) delete message['errorDetail'];
}
function scanParseValidate() { VALIDATE = true; const n = scanParse(); VALIDATE = false; return n; }
function naive() { let b = '', n = 0; for (const c of s.chunks) { b += c.toString(); const p = b.split('\r\n'); b = p.pop(); for (const x of p) if (x) { JSON.parse(x); n++; } } return n; }
for (let r = 0; r < 2; r++) for (const [k, f] of Object.entries({ full, scanParse, scanParseValidate, naive })) {
  f(); const t = []; for (let i = 0; i < 7; i++) { globalThis.gc(); const a = performance.now(); f(); t.push(performance.now() - a); }
  t.sort((a, b) => a - b); console.log(k, t[3].toFixed(0), 'ms');
}
