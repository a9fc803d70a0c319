// The engine the benchmark runs against: the one already named by BERTH_TEST_DOCKER_SOCKET, or
// a throwaway harness engine named `bench` that this run starts and stops itself.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const engineScript = fileURLToPath(new URL('../../scripts/harness/engine.sh', import.meta.url));
const harnessName = 'bench';

/**
 * Finds or starts the engine. `stop()` stops it only when this call started it.
 *
 * @example
 * ```js
 * const engine = acquireEngine();
 * try { console.log(engine.socketPath); } finally { engine.stop(); }
 * ```
 * @returns {{ socketPath: string, seedImage: string, startedHere: boolean, stop: () => void }}
 */
export function acquireEngine() {
  const existing = process.env['BERTH_TEST_DOCKER_SOCKET'];
  if (existing) {
    return {
      socketPath: existing,
      seedImage: process.env['BERTH_TEST_SEED_IMAGE'] || 'berth-test/busybox:latest',
      startedHere: false,
      stop() {},
    };
  }
  process.stderr.write(`starting harness engine '${harnessName}'…\n`);
  const output = execFileSync(engineScript, ['start', harnessName], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const environment = parseExports(output);
  let stopped = false;
  return {
    socketPath: required(environment, 'BERTH_TEST_DOCKER_SOCKET'),
    seedImage: required(environment, 'BERTH_TEST_SEED_IMAGE'),
    startedHere: true,
    stop() {
      if (stopped) return;
      stopped = true;
      process.stderr.write(`stopping harness engine '${harnessName}'…\n`);
      execFileSync(engineScript, ['stop', harnessName], { stdio: ['ignore', 'ignore', 'inherit'] });
    },
  };
}

/** @param {string} text `export KEY=value` lines */
function parseExports(text) {
  /** @type {Record<string, string>} */
  const result = {};
  for (const line of text.split('\n')) {
    const match = /^export ([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) result[match[1]] = match[2].replace(/^'(.*)'$/, '$1');
  }
  return result;
}

/** @param {Record<string, string>} environment @param {string} key */
function required(environment, key) {
  const value = environment[key];
  if (!value) throw new Error(`engine.sh start printed no ${key}`);
  return value;
}
