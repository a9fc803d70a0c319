import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A Debian `docker-registry` with htpasswd auth on 127.0.0.1, started by the test itself. */
export interface AuthRegistry {
  /** `127.0.0.1:PORT` */
  readonly address: string;
  readonly username: string;
  /** Random, and with a colon in it, so the `user:password` split is exercised for real. */
  readonly password: string;
  /** The registry's log, for failure messages. */
  log(): Promise<string>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForAuthChallenge(address: string, child: ChildProcess): Promise<boolean> {
  for (let attempt = 0; attempt < 80; attempt++) {
    if (child.exitCode !== null) return false;
    const status = await fetch(`http://${address}/v2/`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 401) return true;
    await new Promise((resolve) => setTimeout(resolve, 125));
  }
  return false;
}

/** Starts the registry; retries on another port if it lost the race for one. */
export async function startAuthRegistry(): Promise<AuthRegistry> {
  const directory = await mkdtemp(join(tmpdir(), 'berth-auth-registry-'));
  const username = 'berth-user';
  const password = `pw:${randomBytes(9).toString('base64url')}`;
  const htpasswd = execFileSync('htpasswd', ['-Bbn', username, password], { encoding: 'utf8' });
  await writeFile(join(directory, 'htpasswd'), htpasswd);
  const logPath = join(directory, 'registry.log');

  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    const configPath = join(directory, 'config.yml');
    await writeFile(
      configPath,
      [
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
        '    realm: berth-credentials-test',
        `    path: ${join(directory, 'htpasswd')}`,
        '',
      ].join('\n'),
    );
    const logFile = await open(logPath, 'a');
    const child = spawn('docker-registry', ['serve', configPath], { stdio: ['ignore', logFile.fd, logFile.fd] });
    await logFile.close();
    if (await waitForAuthChallenge(address, child)) {
      return {
        address,
        username,
        password,
        log: () => readFile(logPath, 'utf8'),
        async stop() {
          if (child.exitCode === null) {
            const exited = new Promise((resolve) => child.once('exit', resolve));
            child.kill('SIGTERM');
            await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
            if (child.exitCode === null) child.kill('SIGKILL');
          }
          await rm(directory, { recursive: true, force: true });
        },
      };
    }
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  const log = await readFile(logPath, 'utf8').catch(() => '');
  await rm(directory, { recursive: true, force: true });
  throw new Error(`docker-registry with htpasswd auth did not come up:\n${log.slice(-2_000)}`);
}
