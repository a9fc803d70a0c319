// A registry that really checks passwords, for credential tests: Debian's `docker-registry`
// (distribution 2.x) with `auth: htpasswd`, on 127.0.0.1, started and stopped by the test. The
// harness registry (BERTH_TEST_REGISTRY) accepts anyone, so it cannot prove that credentials
// were sent.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from './free-port.js';

/**
 * Options of {@link startAuthRegistry}.
 *
 * @example
 * ```ts
 * const options: AuthRegistryOptions = { username: 'ci', password: 'p:ss word' };
 * ```
 */
export interface AuthRegistryOptions {
  /** The one account. Default: `berth-user`. No colon (htpasswd separates with it). */
  readonly username?: string | undefined;
  /**
   * Its password. Default: random, with a colon in it, so that `user:password` splitting is
   * exercised for real. No line breaks.
   */
  readonly password?: string | undefined;
}

/**
 * A running `docker-registry` with htpasswd auth: `/v2/` answers 401 without the right
 * password.
 *
 * @example
 * ```ts
 * const registry = await startAuthRegistry();
 * try {
 *   await pushImage(client, { name: `${registry.address}/app`, tag: 'v1', authConfig: { username: registry.username, password: registry.password } });
 * } finally {
 *   await registry.close();
 * }
 * ```
 */
export interface AuthRegistry {
  /** `127.0.0.1:PORT`; the engine treats loopback registries as insecure (plain HTTP) by default. */
  readonly address: string;
  readonly username: string;
  readonly password: string;
  /** The registry's log, for failure messages. */
  log(): Promise<string>;
  /** Stops the registry and deletes its files; calling it again does nothing. */
  close(): Promise<void>;
}

const startAttempts = 3;

/**
 * Starts a `docker-registry serve` with `auth: htpasswd` (a bcrypt entry made by
 * `htpasswd -B` of apache2-utils) on a free 127.0.0.1 port, and waits until it answers 401.
 * Retries on another port when it lost the race for one. Needs the `docker-registry` and
 * `apache2-utils` Debian packages (scripts/harness/install-deps.sh installs both).
 *
 * @example
 * ```ts
 * import { startAuthRegistry } from '@berth/test-engine';
 *
 * const registry = await startAuthRegistry({ username: 'alice' });
 * const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
 * await writeFile(join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [registry.address]: { auth } } }));
 * // … push and pull …
 * await registry.close();
 * ```
 */
export async function startAuthRegistry(options: AuthRegistryOptions = {}): Promise<AuthRegistry> {
  const username = options.username ?? 'berth-user';
  const password = options.password ?? `pw:${randomBytes(9).toString('base64url')}`;
  if (username === '' || username.includes(':') || /[\r\n]/.test(username)) {
    throw new TypeError('startAuthRegistry: the username must be non-empty, without a colon or a line break.');
  }
  if (password === '' || /[\r\n]/.test(password)) {
    // Never echo the password itself.
    throw new TypeError('startAuthRegistry: the password must be non-empty and on one line.');
  }

  const directory = await mkdtemp(join(tmpdir(), 'berth-auth-registry-'));
  const htpasswdPath = join(directory, 'htpasswd');
  const logPath = join(directory, 'registry.log');
  try {
    // -i reads the password from stdin, so it never shows in a process list (-b would put it in argv).
    const entry = execFileSync('htpasswd', ['-Bin', username], { input: `${password}\n`, encoding: 'utf8' });
    await writeFile(htpasswdPath, entry);
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw new Error(`startAuthRegistry: htpasswd (apache2-utils) failed: ${(error as Error).message.split('\n')[0]}`);
  }

  for (let attempt = 1; attempt <= startAttempts; attempt++) {
    const address = `127.0.0.1:${await freeLoopbackPort()}`;
    const configPath = join(directory, 'config.yml');
    await writeFile(configPath, registryConfig(address, directory, htpasswdPath));
    const logFile = await open(logPath, 'a');
    const child = spawn('docker-registry', ['serve', configPath], { stdio: ['ignore', logFile.fd, logFile.fd] });
    await logFile.close();
    // The child would outlive a test process that exits without calling close().
    const killOnExit = (): void => void child.kill('SIGKILL');
    process.once('exit', killOnExit);
    if (await waitForAuthChallenge(address, child)) {
      let closing: Promise<void> | undefined;
      return {
        address,
        username,
        password,
        log: () => readFile(logPath, 'utf8'),
        close: () =>
          (closing ??= (async () => {
            process.off('exit', killOnExit);
            await stopChild(child);
            await rm(directory, { recursive: true, force: true });
          })()),
      };
    }
    process.off('exit', killOnExit);
    await stopChild(child);
  }
  const log = await readFile(logPath, 'utf8').catch(() => '');
  await rm(directory, { recursive: true, force: true });
  throw new Error(`docker-registry with htpasswd auth did not come up after ${startAttempts} attempts:\n${log.slice(-2_000)}`);
}

function registryConfig(address: string, directory: string, htpasswdPath: string): string {
  return [
    'version: 0.1',
    'log:',
    '  level: info',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(directory, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${address}`,
    'auth:',
    '  htpasswd:',
    '    realm: berth-test-registry',
    `    path: ${htpasswdPath}`,
    '',
  ].join('\n');
}

/** Polls `/v2/` until it answers 401 (up, and checking passwords); false when the child died or time ran out. */
async function waitForAuthChallenge(address: string, child: ChildProcess): Promise<boolean> {
  for (let attempt = 0; attempt < 80; attempt++) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    const status = await fetch(`http://${address}/v2/`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 401) return true;
    await new Promise((resolve) => setTimeout(resolve, 125));
  }
  return false;
}

/** TERM, up to 5 s to exit, then KILL. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2_000))]);
  }
}
