// The save scenario: each client in its own child process (see save-worker.mjs), the saves
// alternating between the two, warm-up saves first.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const workerFile = fileURLToPath(new URL('./save-worker.mjs', import.meta.url));

/**
 * Runs `warmup` + `iterations` saves per client, alternating clients (and which goes first).
 *
 * @example
 * ```js
 * const { berth, dockerode } = await runSaveScenario({ socketPath, image: 'app:latest', warmup: 1, iterations: 5 });
 * berth.runs[0].totalMs;
 * ```
 * @param {{ socketPath: string, image: string, warmup: number, iterations: number }} options
 * @returns {Promise<Record<'berth' | 'dockerode', { runs: Array<{ totalMs: number, headersMs: number, bytes: number, cpuMicroseconds: number }>, baselineRss: number, peakRss: number }>>}
 */
export async function runSaveScenario({ socketPath, image, warmup, iterations }) {
  const names = /** @type {const} */ (['berth', 'dockerode']);
  const workers = Object.fromEntries(
    names.map((name) => [name, fork(workerFile, [name, socketPath, image], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })]),
  );
  try {
    await Promise.all(names.map((name) => nextMessage(workers[name], 'ready')));
    /** @type {Record<string, any[]>} */
    const runs = { berth: [], dockerode: [] };
    for (let i = 0; i < warmup + iterations; i++) {
      const order = i % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        const reply = nextMessage(workers[name], 'saved');
        workers[name].send({ type: 'save' });
        const result = await reply;
        if (i >= warmup) runs[name].push(result);
      }
    }
    /** @type {any} */
    const results = {};
    for (const name of names) {
      const reply = nextMessage(workers[name], 'report');
      workers[name].send({ type: 'report' });
      const { baselineRss, peakRss } = await reply;
      results[name] = { runs: runs[name], baselineRss, peakRss };
    }
    await Promise.all(names.map((name) => (workers[name].exitCode === null ? once(workers[name], 'exit') : undefined)));
    return results;
  } finally {
    for (const worker of Object.values(workers)) if (worker.exitCode === null) worker.kill();
  }
}

/**
 * Resolves with the worker's next message, which must be of the expected type.
 *
 * @param {import('node:child_process').ChildProcess} worker
 * @param {string} type
 * @returns {Promise<any>}
 */
function nextMessage(worker, type) {
  return new Promise((resolve, reject) => {
    const onMessage = (/** @type {any} */ message) => {
      cleanup();
      if (message.type === type) resolve(message);
      else reject(new Error(`save worker: expected '${type}', got ${JSON.stringify(message)}`));
    };
    const onExit = (/** @type {number | null} */ code) => {
      cleanup();
      reject(new Error(`save worker exited with code ${code} while '${type}' was awaited`));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.on('exit', onExit);
  });
}
