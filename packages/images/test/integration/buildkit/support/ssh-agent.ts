// A real ssh-agent with a throwaway key, for SSH forwarding tests, and the tools to ask it from
// inside a build step: busybox has no SSH client, so the step runs the host's own `ssh-add`
// with its shared libraries (copied into the build context, run through their dynamic loader).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A running agent holding one key. */
export interface TestSshAgent {
  /** The agent's socket (what SSH_AUTH_SOCK would hold). */
  readonly socket: string;
  /** `ssh-keygen -l` of the key: `256 SHA256:… berth-test-key (ED25519)`. */
  readonly fingerprint: string;
  stop(): Promise<void>;
}

/** Starts `ssh-agent -D` on a fresh socket and adds a new ed25519 key to it. */
export async function startSshAgent(): Promise<TestSshAgent> {
  const directory = await mkdtemp(join(tmpdir(), 'berth-ssh-agent-'));
  const socket = join(directory, 'agent.sock');
  const key = join(directory, 'id_ed25519');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'berth-test-key', '-f', key]);
  const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  const killOnExit = (): void => void agent.kill('SIGKILL');
  process.once('exit', killOnExit);
  const environment = { ...process.env, SSH_AUTH_SOCK: socket };
  for (let attempt = 0; ; attempt++) {
    try {
      await run('ssh-add', [key], { env: environment });
      break;
    } catch (error) {
      if (attempt > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const fingerprint = (await run('ssh-keygen', ['-l', '-f', `${key}.pub`])).stdout.trim();
  return {
    socket,
    fingerprint,
    async stop() {
      process.off('exit', killOnExit);
      agent.kill('SIGTERM');
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * Copies `ssh-add`, the libraries it links and their loader into `directory`; returns the command
 * that runs it there (inside a step where `directory` is mounted at `mountPoint`).
 */
export async function stageSshAdd(directory: string, mountPoint: string): Promise<string> {
  await mkdir(directory, { recursive: true });
  const binary = (await run('sh', ['-c', 'command -v ssh-add'])).stdout.trim();
  const { stdout } = await run('ldd', [binary]);
  let loader: string | undefined;
  for (const line of stdout.split('\n')) {
    const linked = /=>\s*(\/\S+)/.exec(line)?.[1];
    const direct = /^\s*(\/\S+)\s*\(/.exec(line)?.[1];
    if (linked !== undefined) await copyFile(linked, join(directory, basename(linked)));
    else if (direct !== undefined) {
      loader = basename(direct);
      await copyFile(direct, join(directory, loader));
    }
  }
  await copyFile(binary, join(directory, 'ssh-add'));
  if (loader === undefined) throw new Error(`no dynamic loader in ldd ${binary}`);
  return `${mountPoint}/${loader} --library-path ${mountPoint} ${mountPoint}/ssh-add`;
}
