// Runs a Node contender script (src/contenders/*.mjs) in its own process: the task goes in as
// a JSON argument, the script's own measurements (time to first byte, bytes, in-process
// timings) come back through a result file, and the process is measured from outside.
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureProcess } from './measure-process.mjs';

let sequence = 0;

/**
 * Runs `src/contenders/<script>.mjs` with `task`; resolves to the outside measurement plus
 * `reported` (what the script wrote with `reportResult`).
 *
 * @example
 * ```js
 * const run = await runNodeContender('dockerode', { op: 'save', socketPath, image });
 * run.reported.ttfbMs;
 * ```
 * @param {string} script file name without extension, in src/contenders
 * @param {Record<string, unknown>} task
 * @param {{ stdout?: 'ignore' | 'count' | 'capture', nodeArgs?: string[] }} [options]
 */
export async function runNodeContender(script, task, options = {}) {
  const resultFile = join(tmpdir(), `berth-bench-result-${process.pid}-${++sequence}.json`);
  const path = fileURLToPath(new URL(`../contenders/${script}.mjs`, import.meta.url));
  try {
    const run = await measureProcess(process.execPath, [...(options.nodeArgs ?? []), path, JSON.stringify({ ...task, resultFile })], {
      stdout: options.stdout ?? 'ignore',
    });
    const reported = JSON.parse(await readFile(resultFile, 'utf8'));
    return { ...run, reported };
  } finally {
    await rm(resultFile, { force: true });
  }
}
