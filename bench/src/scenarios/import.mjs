// Cold import: a fresh node process that imports a client and exits, for dockerode,
// @docker/node-sdk, bare node and each Berth package (and the pair a save/load/build user
// imports: @berth/images + @berth/transport-unix). Two tables from the same runs, both with
// dockerode as the floor (the goal is Berth ≤ 0.5× dockerode):
//   - process wall time, spawn to exit (what a CLI tool built on the client pays; includes
//     node's own start-up, the same for every contender: see bare node);
//   - import only: the time the `import()` took, measured inside the process.
// No engine is needed. Many repetitions (at least 20): a cold import is a few hundred
// milliseconds, so one run is mostly noise.
import { fileURLToPath } from 'node:url';
import { measureProcess } from '../lib/measure-process.mjs';

const benchRoot = fileURLToPath(new URL('../..', import.meta.url));

/** What each contender imports (ESM `import()` from bench/, resolved as an application would). */
const imports = {
  'bare node': [],
  dockerode: ['dockerode'],
  '@docker/node-sdk': ['@docker/node-sdk'],
  'Berth images + transport-unix': ['@berth/images', '@berth/transport-unix'],
  'Berth engine-protocol': ['@berth/engine-protocol'],
  'Berth images': ['@berth/images'],
  'Berth transport-unix': ['@berth/transport-unix'],
  'Berth transport-tcp': ['@berth/transport-tcp'],
  'Berth transport-ssh': ['@berth/transport-ssh'],
  'Berth docker': ['@berth/docker'],
};

/** @param {string[]} specifiers */
function program(specifiers) {
  const loads = specifiers.map((specifier) => `await import(${JSON.stringify(specifier)});`).join(' ');
  return `const start = performance.now(); ${loads} process.stdout.write(JSON.stringify({ importMs: performance.now() - start }));`;
}

/** @param {string[]} specifiers */
async function run(specifiers) {
  const measured = await measureProcess(process.execPath, ['--input-type=module', '-e', program(specifiers)], { cwd: benchRoot, stdout: 'capture' });
  return { ...measured, reported: JSON.parse(measured.stdout) };
}

export default {
  id: 'import',
  order: 70,
  needsEngine: false,
  description: 'cold import in a fresh node process, per Berth package, next to dockerode, @docker/node-sdk and bare node (no engine needed)',
  /** @param {import('../lib/context.mjs').BenchContext} ctx */
  async prepare(ctx) {
    // One untimed run each, so every contender starts with its files in the page cache.
    for (const specifiers of Object.values(imports)) await run(specifiers);
    return [
      {
        id: 'cold-import',
        title: 'cold import (fresh process: import, exit)',
        floor: 'dockerode',
        reps: Math.max(20, ctx.reps),
        views: [
          { id: 'cold-import', title: 'cold import, process wall time (spawn to exit, node start-up included)', primary: { label: 'process wall', unit: 'ms', value: (/** @type {any} */ m) => m.wallMs } },
          { id: 'cold-import-only', title: 'cold import, the import alone (measured inside the process)', primary: { label: 'import', unit: 'ms', value: (/** @type {any} */ m) => m.reported.importMs } },
        ],
        contenders: Object.entries(imports).map(([name, specifiers]) => ({ name, run: () => run(specifiers) })),
      },
    ];
  },
};
