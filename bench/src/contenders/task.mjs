// Shared by the contender scripts: reads the task and writes the result file.
import { writeFileSync } from 'node:fs';

/**
 * The task this process was started with.
 *
 * @example
 * ```js
 * const task = readTask(); // { op: 'save', socketPath, image, resultFile }
 * ```
 * @returns {Record<string, any>}
 */
export function readTask() {
  const text = process.argv[2];
  if (!text) throw new Error('usage: node <contender>.mjs <task JSON>');
  return JSON.parse(text);
}

/**
 * Writes what the contender measured itself (bytes, time to first byte, in-process timings).
 *
 * @param {Record<string, any>} task
 * @param {Record<string, unknown>} result
 */
export function reportResult(task, result) {
  writeFileSync(task.resultFile, JSON.stringify(result));
}

/** Milliseconds since `start` (a `process.hrtime.bigint()`). @param {bigint} start */
export function since(start) {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Fails the process with the error (the runner shows stderr). @param {unknown} error */
export function fail(error) {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
}

/**
 * The whole life of a contender process: reads the task, runs it, writes the result file, or
 * fails the process with the error.
 *
 * @example
 * ```js
 * await runContender(async (task) => ({ opMs: 1 }));
 * ```
 * @param {(task: Record<string, any>) => Promise<Record<string, unknown>>} run
 */
export async function runContender(run) {
  const task = readTask();
  try {
    reportResult(task, await run(task));
  } catch (error) {
    fail(error);
  }
}
