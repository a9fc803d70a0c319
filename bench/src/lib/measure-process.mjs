// Runs one contender as its own process and measures it from outside: wall time (from spawn to
// exit, in this process), CPU time (user + system) and peak RSS of the process and of the
// children it waited for, from the kernel's accounting, read through GNU time.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

/** Fails early with a clear message when GNU time is missing (Debian package `time`). */
export function assertMeasurable() {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing: apt-get install time (GNU time reports CPU and peak RSS).`);
}

/**
 * @typedef {object} ProcessRun
 * @property {number} wallMs
 * @property {number} cpuMs user + system
 * @property {number} userMs
 * @property {number} systemMs
 * @property {number} peakRssMiB maximum resident set size
 * @property {number} stdoutBytes bytes the process wrote to stdout (when counted)
 * @property {string} stdout what it wrote, when captured
 * @property {string} stderr
 */

/**
 * Runs `command args` and measures it. `stdout`: 'ignore' (to /dev/null), 'count' (read and
 * count the bytes, e.g. an archive; the reading happens in this process, so it costs the
 * contender nothing) or 'capture' (keep the text).
 *
 * @example
 * ```js
 * const run = await measureProcess('curl', ['-s', '-o', '/dev/null', url], { stdout: 'capture' });
 * console.log(run.wallMs, run.cpuMs, run.peakRssMiB);
 * ```
 * @param {string} command
 * @param {string[]} args
 * @param {{ stdout?: 'ignore' | 'count' | 'capture', env?: NodeJS.ProcessEnv, cwd?: string, timeoutMs?: number }} [options]
 * @returns {Promise<ProcessRun>}
 */
export async function measureProcess(command, args, options = {}) {
  const stdoutMode = options.stdout ?? 'ignore';
  const directory = await mkdtemp(join(tmpdir(), 'berth-bench-time-'));
  const report = join(directory, 'time.txt');
  try {
    const start = process.hrtime.bigint();
    const child = spawn(GNU_TIME, ['-f', '%e %U %S %M', '-o', report, '--', command, ...args], {
      stdio: ['ignore', stdoutMode === 'ignore' ? 'ignore' : 'pipe', 'pipe'],
      env: options.env ?? process.env,
      cwd: options.cwd,
    });
    let stdoutBytes = 0;
    /** @type {Buffer[]} */
    const captured = [];
    child.stdout?.on('data', (/** @type {Buffer} */ chunk) => {
      stdoutBytes += chunk.length;
      if (stdoutMode === 'capture') captured.push(chunk);
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (/** @type {string} */ text) => {
      if (stderr.length < 100_000) stderr += text;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 10 * 60_000);
    const exitCode = await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve(code));
    });
    clearTimeout(timer);
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (exitCode !== 0) {
      throw new Error(`${command} ${args.join(' ')} exited with ${exitCode}: ${stderr.trim().slice(-2000)}`);
    }
    const fields = (await readFile(report, 'utf8')).trim().split('\n').pop()?.split(' ').map(Number) ?? [];
    const [, userSeconds = 0, systemSeconds = 0, maxRssKiB = 0] = fields;
    return {
      wallMs,
      cpuMs: (userSeconds + systemSeconds) * 1000,
      userMs: userSeconds * 1000,
      systemMs: systemSeconds * 1000,
      peakRssMiB: maxRssKiB / 1024,
      stdoutBytes,
      stdout: Buffer.concat(captured).toString('utf8'),
      stderr,
    };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
