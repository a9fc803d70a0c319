// What every scenario gets: the engine, the work folder, the chosen sizes and repetitions, and
// helpers to drive the docker CLI and curl against the engine.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * @typedef {object} BenchContext
 * @property {{ socketPath: string, seedImage: string, startedHere: boolean }} engine
 * @property {string} apiVersion
 * @property {string} dockerCli path of the docker CLI
 * @property {string} workDir bench/.work: generated images, archives and contexts (gitignored)
 * @property {number[]} sizes bytes of the save/load sizes asked for
 * @property {number} reps
 * @property {(text: string) => void} log progress on stderr
 * @property {(args: string[], options?: { env?: NodeJS.ProcessEnv, maxBuffer?: number }) => Promise<string>} docker runs the docker CLI on the engine, resolves to stdout
 */

/**
 * Makes the context.
 *
 * @param {Omit<BenchContext, 'docker'>} base
 * @returns {BenchContext}
 */
export function createContext(base) {
  return {
    ...base,
    async docker(args, options = {}) {
      const { stdout } = await run(base.dockerCli, ['-H', `unix://${base.engine.socketPath}`, ...args], {
        env: { ...process.env, DOCKER_BUILDKIT: '0', ...options.env },
        maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
      });
      return stdout;
    },
  };
}

/** `100M` → bytes; `1G`, `4G`. @param {string} text */
export function parseSize(text) {
  const match = /^(\d+(?:\.\d+)?)([MG])i?B?$/i.exec(text.trim());
  if (!match) throw new Error(`bad size ${text}: use e.g. 100M, 1G, 4G`);
  return Math.round(Number(match[1]) * (match[2]?.toUpperCase() === 'G' ? 2 ** 30 : 2 ** 20));
}

/** Bytes → `100 MiB` / `1 GiB`. @param {number} bytes */
export function formatSize(bytes) {
  return bytes >= 2 ** 30 ? `${+(bytes / 2 ** 30).toFixed(2)} GiB` : `${+(bytes / 2 ** 20).toFixed(1)} MiB`;
}
