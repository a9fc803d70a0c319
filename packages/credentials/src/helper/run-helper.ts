import { spawn } from 'node:child_process';

/**
 * What a finished helper process left behind.
 *
 * @example
 * ```ts
 * const outcome = await runHelperProcess(path, 'list', 'unused', process.env, 30_000);
 * if ('exitCode' in outcome) console.log(outcome.exitCode);
 * ```
 */
export interface HelperProcessResult {
  /** Exit code; `null` when a signal ended it. */
  readonly exitCode: number | null;
  /** Everything printed on stdout (capped). */
  readonly stdout: string;
  /** Everything printed on stderr (capped). */
  readonly stderr: string;
}

/**
 * How {@link runHelperProcess} ended when it did not finish normally.
 */
export type HelperProcessFailure = { readonly kind: 'timeout' } | { readonly kind: 'spawn-failed'; readonly cause: unknown };

/** Output beyond this is dropped: helpers print a few hundred bytes, a runaway one must not eat memory. */
const outputLimit = 1024 * 1024;

/**
 * Runs `executable action`, writes `input` to its stdin, and collects its output. Resolves with
 * the result, or with a failure when it could not start or outlived `timeout` milliseconds (then
 * its whole process group is killed, so a `sleep` it started does not linger either). Never
 * rejects, and never puts the input or output into an error.
 *
 * @example
 * ```ts
 * const outcome = await runHelperProcess('/usr/bin/docker-credential-pass', 'get', 'localhost:5000', process.env, 30_000);
 * if ('exitCode' in outcome && outcome.exitCode === 0) JSON.parse(outcome.stdout);
 * ```
 */
export function runHelperProcess(
  executable: string,
  action: string,
  input: string,
  environment: Readonly<Record<string, string | undefined>>,
  timeout: number,
): Promise<HelperProcessResult | HelperProcessFailure> {
  return new Promise((resolve) => {
    const ownGroup = process.platform !== 'win32';
    let settled = false;
    const finish = (outcome: HelperProcessResult | HelperProcessFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };

    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(executable, [action], {
        env: environment,
        stdio: ['pipe', 'pipe', 'pipe'],
        // A group of its own lets a timeout kill the helper's children too.
        detached: ownGroup,
        windowsHide: true,
      });
    } catch (error) {
      resolve({ kind: 'spawn-failed', cause: error });
      return;
    }

    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const collect = (chunks: Buffer[]) => {
      let size = 0;
      return (chunk: Buffer) => {
        if (size >= outputLimit) return;
        size += chunk.length;
        chunks.push(chunk);
      };
    };
    child.stdout?.on('data', collect(stdout));
    child.stderr?.on('data', collect(stderr));
    // A helper may exit without reading its input: EPIPE on stdin is not a failure by itself.
    child.stdin?.on('error', () => {});

    const timer = setTimeout(() => {
      try {
        if (ownGroup && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
      finish({ kind: 'timeout' });
    }, timeout);

    child.on('error', (error) => finish({ kind: 'spawn-failed', cause: error }));
    child.on('close', (exitCode) =>
      finish({
        exitCode,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      }),
    );
    child.stdin?.end(input);
  });
}
