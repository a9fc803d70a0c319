import { JsonMessageDecoder } from '@berth/engine-protocol';
import { makeProgressStream } from './src/progress-stream.mjs';
const s = makeProgressStream(20 * 1024 * 1024, 20240611);
function run() { const d = new JsonMessageDecoder(); let n = 0; for (const c of s.chunks) n += d.push(c).length; return n + d.end().length; }
function scanOnly() { // the same brace scan without JSON.parse / validation
  const td = new TextDecoder(); let n = 0, depth = 0, inStr = false, esc = false;
  for (const c of s.chunks) { const t = td.decode(c, { stream: true });
    for (let i = 0; i < t.length; i++) { const ch = t.charCodeAt(i);
      if (inStr) { if (esc) esc = false; else if (ch === 92) esc = true; else if (ch === 34) inStr = false; continue; }
      if (ch === 34) inStr = true; else if (ch === 123 || ch === 91) depth++; else if (ch === 125 || ch === 93) { depth--; if (depth === 0) n++; } } }
  return n; }
function decodeOnly() { const td = new TextDecoder(); let n = 0; for (const c of s.chunks) n += td.decode(c, { stream: true }).length; return n; }
function parseOnly() { let n = 0; const text = Buffer.concat(s.chunks).toString(); for (const l of text.split('\r\n')) if (l) { JSON.parse(l); n++; } return n; }
for (const [k, f] of Object.entries({ run, scanOnly, decodeOnly, parseOnly })) {
  f(); const t = []; for (let i = 0; i < 5; i++) { const a = performance.now(); f(); t.push(performance.now() - a); }
  t.sort((a, b) => a - b); console.log(k, t[2].toFixed(0), 'ms');
}
