// A harness engine that a test may kill: its own instance of scripts/harness/engine.sh (never the
// shared one), killed with SIGKILL the way a crash or an OOM kill ends dockerd, and started again
// (the harness cleans up the dead instance and starts a fresh one at the same socket path).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../../scripts/harness/engine.sh', import.meta.url));

/**
 * Options of {@link startKillableEngine}.
 *
 * @example
 * ```ts
 * const options: KillableEngineOptions = { name: `faults-${process.pid}`, dockerdArguments: '--max-download-attempts=1' };
 * ```
 */
export interface KillableEngineOptions {
  /** Harness name, unique to the run (its state dir is `.berth-harness/<name>`). */
  readonly name: string;
  /** Extra dockerd flags (`BERTH_HARNESS_DOCKERD_ARGS`). */
  readonly dockerdArguments?: string | undefined;
}

/**
 * A dedicated harness engine.
 *
 * @example
 * ```ts
 * const engine = await startKillableEngine({ name: 'faults-1' });
 * engine.kill();
 * await engine.restart();
 * await engine.stop();
 * ```
 */
export interface KillableEngine {
  /** Its Unix socket (the same after a restart). */
  readonly socketPath: string;
  /** `127.0.0.1:PORT` of its registry (a restart starts a new one: read it again). */
  readonly registry: string;
  /** Kills dockerd with SIGKILL; its containers' shims may outlive it, the restart cleans up. */
  kill(): void;
  /** Starts it again (cleaning up the dead instance first); resolves when it answers. */
  restart(): Promise<void>;
  /** Stops it and deletes its state. */
  stop(): Promise<void>;
}

/**
 * Starts (or reuses) a harness engine under `name`, for tests that kill it.
 *
 * @example
 * ```ts
 * const engine = await startKillableEngine({ name: `faults-${process.pid}` });
 * ```
 */
export async function startKillableEngine(options: KillableEngineOptions): Promise<KillableEngine> {
  const environment = {
    ...process.env,
    BERTH_HARNESS_TLS: '',
    ...(options.dockerdArguments === undefined ? {} : { BERTH_HARNESS_DOCKERD_ARGS: options.dockerdArguments }),
  };
  let variables = await start(options.name, environment);
  const value = (key: string): string => {
    const found = variables[key];
    if (!found) throw new Error(`${key} is missing from the output of engine.sh start ${options.name}.`);
    return found;
  };
  const socketPath = value('BERTH_TEST_DOCKER_SOCKET');
  const directory = value('BERTH_TEST_HARNESS_DIR');
  return {
    socketPath,
    get registry() {
      return value('BERTH_TEST_REGISTRY');
    },
    kill() {
      const pid = Number(readFileSync(join(directory, 'dockerd.pid'), 'utf8').trim());
      if (!Number.isInteger(pid) || pid <= 1) throw new Error(`No dockerd pid in ${directory}.`);
      process.kill(pid, 'SIGKILL');
    },
    async restart() {
      variables = await start(options.name, environment);
      if (value('BERTH_TEST_DOCKER_SOCKET') !== socketPath) throw new Error('The restarted engine has another socket path.');
    },
    async stop() {
      await run(script, ['stop', options.name], { env: environment });
    },
  };
}

async function start(name: string, environment: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const { stdout } = await run(script, ['start', name], { env: environment, maxBuffer: 1024 * 1024 });
  const variables: Record<string, string> = {};
  for (const match of stdout.matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm)) variables[match[1] ?? ''] = match[2] ?? '';
  return variables;
}
