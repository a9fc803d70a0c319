// The docker CLI against the harness engine, to cross-check what Berth reports.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { TestEngine } from '@berth/test-engine';

const run = promisify(execFile);
/** The engine's own CLI when the harness unpacked one (Engine 28.5), else the docker on PATH. */
const cli = process.env['BERTH_TEST_DOCKER_CLI'] || 'docker';

/** Runs `docker -H <harness> …` and resolves to its stdout, trimmed. */
export async function docker(engine: TestEngine, args: readonly string[], input?: string): Promise<string> {
  if (input === undefined) {
    const { stdout } = await run(cli, ['-H', engine.dockerHost, ...args], {
      env: { ...process.env, DOCKER_BUILDKIT: '0' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout.trim();
  }
  return new Promise((resolve, reject) => {
    const child = execFile(
      cli,
      ['-H', engine.dockerHost, ...args],
      { env: { ...process.env, DOCKER_BUILDKIT: '0' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => (error ? reject(error) : resolve(stdout.trim())),
    );
    child.stdin?.end(input);
  });
}

/** Builds an image with the CLI's classic builder from a Dockerfile on stdin; resolves to its id. */
export async function dockerBuild(engine: TestEngine, tag: string, dockerfile: string): Promise<string> {
  await docker(engine, ['build', '--network', 'none', '-q', '-t', tag, '-'], dockerfile);
  return docker(engine, ['image', 'inspect', '--format', '{{.Id}}', tag]);
}

/** Removes images with the CLI, ignoring those already gone. */
export async function dockerRemove(engine: TestEngine, names: readonly string[]): Promise<void> {
  for (const name of names) await docker(engine, ['image', 'rm', '--force', name]).catch(() => undefined);
}
