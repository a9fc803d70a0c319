// Summarises a V8 CPU profile (.cpuprofile, from node --cpu-prof) as the functions with the
// most self time: node src/lib/profile-top.mjs <profile file or folder> [count]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [target, count = '25'] = process.argv.slice(2);
if (!target) throw new Error('usage: node src/lib/profile-top.mjs <file.cpuprofile | folder> [count]');
const file = statSync(target).isDirectory() ? join(target, readdirSync(target).filter((name) => name.endsWith('.cpuprofile')).sort().pop() ?? '') : target;
const profile = JSON.parse(readFileSync(file, 'utf8'));
/** @type {Map<number, any>} */
const nodes = new Map(profile.nodes.map((/** @type {any} */ node) => [node.id, node]));
/** @type {Map<string, number>} */
const self = new Map();
profile.samples.forEach((/** @type {number} */ id, /** @type {number} */ index) => {
  const frame = nodes.get(id).callFrame;
  const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0));
});
const total = [...self.values()].reduce((sum, value) => sum + value, 0);
process.stdout.write(`${file}: ${Math.round(total / 1000)} ms sampled\n`);
for (const [key, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(count))) {
  process.stdout.write(`${(micros / 1000).toFixed(0).padStart(8)} ms ${((100 * micros) / total).toFixed(1).padStart(5)} %  ${key}\n`);
}
