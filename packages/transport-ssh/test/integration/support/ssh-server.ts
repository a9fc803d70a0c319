// Test-only: the throwaway sshd of scripts/harness/sshd.sh, either the one named by the
// BERTH_TEST_SSH_* variables or a private instance started (and stopped) by the suite.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../../../../scripts/harness/sshd.sh', import.meta.url));

/** One sshd of the harness and the keys it trusts. */
export interface SshServer {
  /** `ssh://root@127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** Authorized key without passphrase. */
  readonly identity: string;
  /** Authorized key encrypted with `passphrase`. */
  readonly passphraseIdentity: string;
  readonly passphrase: string;
  /** A key sshd does not know. */
  readonly strangerIdentity: string;
  /** Authorized key whose sessions run with a PATH that has no docker CLI. */
  readonly noDockerIdentity: string;
  /** known_hosts with the server's real host key. */
  readonly knownHosts: string;
  /** The state dir (host key in `host_ed25519_key.pub`). */
  readonly directory: string;
  /** Whether this suite started it (and may kill it). */
  readonly own: boolean;
  /** Its BERTH_TEST_SSH_* variables. */
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** Kills every per-connection sshd process; the listener stays. Own servers only. */
  killConnections(): void;
  /** Stops sshd and all its sessions (no-op for a server from the environment). */
  stop(): void;
}

/** A private sshd for this suite: needed by tests that kill connections or sshd itself. */
export function startSshServer(prefix: string): SshServer {
  const name = `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const output = execFileSync(script, ['start', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return fromEnvironment(parseEnvironment(output), name);
}

/** The sshd named by BERTH_TEST_SSH_* when set, otherwise a private one. */
export function sharedSshServer(prefix: string): SshServer {
  return process.env['BERTH_TEST_SSH_HOST'] ? fromEnvironment(process.env, undefined) : startSshServer(prefix);
}

function fromEnvironment(environment: Readonly<Record<string, string | undefined>>, name: string | undefined): SshServer {
  const value = (key: string): string => {
    const found = environment[key];
    if (!found) throw new Error(`${key} is missing from the sshd harness environment.`);
    return found;
  };
  const url = value('BERTH_TEST_SSH_HOST');
  return {
    url,
    port: Number(new URL(url.replace(/^ssh:/, 'http:')).port),
    identity: value('BERTH_TEST_SSH_IDENTITY'),
    passphraseIdentity: value('BERTH_TEST_SSH_PASSPHRASE_IDENTITY'),
    passphrase: value('BERTH_TEST_SSH_PASSPHRASE'),
    strangerIdentity: value('BERTH_TEST_SSH_STRANGER_IDENTITY'),
    noDockerIdentity: value('BERTH_TEST_SSH_NO_DOCKER_IDENTITY'),
    knownHosts: value('BERTH_TEST_SSH_KNOWN_HOSTS'),
    directory: value('BERTH_TEST_SSH_DIR'),
    own: name !== undefined,
    environment,
    killConnections() {
      if (name === undefined) throw new Error('Refusing to kill connections of a shared sshd.');
      execFileSync(script, ['kill-connections', name], { stdio: 'ignore' });
    },
    stop() {
      if (name !== undefined) execFileSync(script, ['stop', name], { stdio: 'ignore' });
    },
  };
}

function parseEnvironment(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const match of text.matchAll(/^export ([A-Z0-9_]+)=(.*)$/gm)) result[match[1] ?? ''] = match[2] ?? '';
  return result;
}

/**
 * Established TCP connections from this process to the port, as the kernel sees them (`ss`):
 * an independent check that many requests share one SSH connection.
 */
export function establishedConnections(port: number): number {
  const output = execFileSync('ss', ['-Htnp', 'state', 'established', `( dport = :${port} )`], { encoding: 'utf8' });
  return output.split('\n').filter((line) => line.includes(`pid=${process.pid},`)).length;
}
