// Test helper: the docker CLI binary used as the reference, and a classic-builder build.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The docker CLI to compare with: `BERTH_TEST_DOCKER_CLI`, else the first of
 * /usr/local/bin/docker and /usr/bin/docker (Debian's docker.io, which the harness installs).
 */
export function findDockerCli(): string {
  const configured = process.env['BERTH_TEST_DOCKER_CLI'];
  if (configured) return configured;
  const found = ['/usr/local/bin/docker', '/usr/bin/docker'].find((candidate) => existsSync(candidate));
  if (found === undefined) throw new Error('No docker CLI found (install docker.io or set BERTH_TEST_DOCKER_CLI).');
  return found;
}

/** Runs `docker build` with the classic builder; resolves to the image id printed by `-q`. */
export async function cliBuild(
  cli: string,
  parameters: { dockerHost: string; context: string; tag: string; dockerfile?: string; cwd: string },
): Promise<string> {
  const args = ['-H', parameters.dockerHost, 'build', '-q', '--network', 'none', '-t', parameters.tag];
  if (parameters.dockerfile !== undefined) args.push('-f', parameters.dockerfile);
  args.push(parameters.context);
  const { stdout } = await run(cli, args, {
    cwd: parameters.cwd,
    env: { ...process.env, DOCKER_BUILDKIT: '0', DOCKER_CONFIG: parameters.cwd },
  });
  return stdout.trim();
}

/** Removes images by name through the CLI (ignores failures). */
export async function removeImages(cli: string, dockerHost: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  await run(cli, ['-H', dockerHost, 'rmi', '-f', ...names]).catch(() => undefined);
}
