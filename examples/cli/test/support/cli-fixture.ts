// Shared set-up of the CLI's end-to-end suites: the harness engine through @berth/docker, an
// empty docker config directory, and images made for the test.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDocker, type Docker } from '@berth/docker';
import type { TestEngine } from '@berth/test-engine';

export interface CliFixture {
  readonly docker: Docker;
  /** A scratch directory (contexts, archives); also the CLI's DOCKER_CONFIG. */
  readonly workspace: string;
  /** The environment the CLI runs with. */
  readonly environment: NodeJS.ProcessEnv;
  /** Remembers an image name or id to remove after the suite. */
  track(name: string): string;
  close(): Promise<void>;
}

export async function createCliFixture(engine: TestEngine): Promise<CliFixture> {
  const workspace = await mkdtemp(join(tmpdir(), 'ex-cli-'));
  const config = join(workspace, 'docker-config');
  await mkdir(config);
  const docker = await createDocker({ host: engine.dockerHost, credentials: false });
  const created: string[] = [];
  const environment: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: workspace,
    DOCKER_HOST: engine.dockerHost,
    DOCKER_CONFIG: config,
    LANG: 'C.UTF-8',
  };
  return {
    docker,
    workspace,
    environment,
    track: (name) => {
      created.push(name);
      return name;
    },
    close: async () => {
      for (const name of created.reverse()) await docker.images.remove(name, { force: true }).catch(() => undefined);
      await docker.close();
      await rm(workspace, { recursive: true, force: true });
    },
  };
}

/** Writes a build context: a directory with the given files. */
export async function writeContext(directory: string, files: Record<string, string>): Promise<string> {
  await mkdir(directory, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFile(join(directory, name), content);
  return directory;
}

/** Processes on this machine whose command line is exactly `words` (a RUN step's command, say). */
export function processesRunning(words: readonly string[]): number[] {
  const wanted = `${words.join('\0')}\0`;
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8') === wanted) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** Containers of the engine (running or not) whose command contains `text`. */
export function containersWithCommand(engine: TestEngine, text: string): string[] {
  const reply = execFileSync('curl', ['-fsS', '--unix-socket', engine.socketPath, 'http://localhost/containers/json?all=1'], { encoding: 'utf8' });
  return (JSON.parse(reply) as { Id: string; Command: string }[]).filter((container) => container.Command.includes(text)).map((container) => container.Id);
}
