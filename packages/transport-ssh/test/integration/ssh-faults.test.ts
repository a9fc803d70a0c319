import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BerthError,
  ConnectionError,
  InvalidArgumentError,
  SocketClosedError,
  TransportError,
  buildImage,
  createEngineClient,
  listImages,
  ping,
} from '@berth/engine-protocol';
import { findTestEngine, uniqueName } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshTransport, type SshTransport, type SshTransportMode, type SshTransportOptions } from '../../src/index.js';
import { sharedSshServer, startSshServer, type SshServer } from './support/ssh-server.js';
import { tarOf } from './support/tar.js';

const engine = findTestEngine();
const modes: SshTransportMode[] = ['dial-stdio', 'forward'];
const work = mkdtempSync(join(tmpdir(), 'berth-ssh-faults-'));
const opened: SshTransport[] = [];
// The tests that do not kill anything share one sshd (the environment's, when set).
let server: SshServer;
beforeAll(() => {
  if (engine) server = sharedSshServer('faults');
});
afterAll(async () => {
  await Promise.all(opened.map((transport) => transport.close()));
  server?.stop();
  rmSync(work, { recursive: true, force: true });
});

function transportFor(server: SshServer, options: Partial<SshTransportOptions> = {}): SshTransport {
  const transport = sshTransport({
    url: `${server.url}${engine?.socketPath ?? ''}`,
    identityFiles: [server.identity],
    knownHostsFile: server.knownHosts,
    agent: false,
    homeDirectory: work,
    connectTimeout: 15_000,
    ...options,
  });
  opened.push(transport);
  return transport;
}

async function failure(action: Promise<unknown>): Promise<BerthError> {
  const error = await action.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BerthError);
  return error as BerthError;
}

/** `ssh-keygen -lf` of the server's host key: the fingerprint users compare against. */
function serverFingerprint(server: SshServer): string {
  return execFileSync('ssh-keygen', ['-lf', join(server.directory, 'host_ed25519_key.pub'), '-E', 'sha256'], { encoding: 'utf8' }).split(' ')[1] ?? '';
}

describe.runIf(engine)('SSH host keys', () => {
  it('refuses an unknown host key, naming its SHA256 fingerprint', async () => {
    const empty = join(work, 'known_hosts_empty');
    writeFileSync(empty, '');
    const transport = transportFor(server, { knownHostsFile: empty });
    const error = await failure(ping(createEngineClient({ transport })));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).causeCode).toBe('SSH_HOST_KEY_UNKNOWN');
    expect(error.message).toContain(`Unknown SSH host key for [127.0.0.1]:${server.port}: ssh-ed25519 ${serverFingerprint(server)}`);
    expect(transport.statistics.connectionsOpened).toBe(0);
  });

  it('refuses a changed host key, showing both fingerprints', async () => {
    const otherKey = join(work, 'other_host_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', otherKey]);
    const [type, blob] = readFileSync(`${otherKey}.pub`, 'utf8').split(' ');
    const changed = join(work, 'known_hosts_changed');
    writeFileSync(changed, `[127.0.0.1]:${server.port} ${type} ${blob}\n`);
    const oldFingerprint = execFileSync('ssh-keygen', ['-lf', `${otherKey}.pub`, '-E', 'sha256'], { encoding: 'utf8' }).split(' ')[1];

    const error = await failure(ping(createEngineClient({ transport: transportFor(server, { knownHostsFile: changed }) })));
    expect((error as ConnectionError).causeCode).toBe('SSH_HOST_KEY_CHANGED');
    expect(error.message).toContain(`has CHANGED: the server presented ssh-ed25519 ${serverFingerprint(server)}`);
    expect(error.message).toContain(`known_hosts lists ssh-ed25519 ${oldFingerprint}`);
  });

  it('accepts a hashed known_hosts (ssh-keygen -H) and an ssh config alias', async () => {
    const hashed = join(work, 'known_hosts_hashed');
    copyFileSync(server.knownHosts, hashed);
    execFileSync('ssh-keygen', ['-H', '-f', hashed], { stdio: 'ignore' });
    expect(readFileSync(hashed, 'utf8')).toMatch(/^\|1\|/);
    const config = join(work, 'ssh_config');
    writeFileSync(
      config,
      `Host berth-alias\n  HostName 127.0.0.1\n  Port ${server.port}\n  User root\n  IdentityFile ${server.identity}\n  UserKnownHostsFile ${hashed}\n`,
    );
    const transport = sshTransport({
      url: `ssh://berth-alias${engine?.socketPath ?? ''}`,
      sshConfigFile: config,
      agent: false,
      homeDirectory: work,
    });
    opened.push(transport);
    expect((await ping(createEngineClient({ transport }))).body).toBe('OK');
  });

  it('connects anyway with the loud opt-out', async () => {
    const empty = join(work, 'known_hosts_empty_too');
    writeFileSync(empty, '');
    const transport = transportFor(server, { knownHostsFile: empty, dangerouslyAcceptAnyHostKey: true });
    expect((await ping(createEngineClient({ transport }))).body).toBe('OK');
  });
});

describe.runIf(engine)('SSH authentication', () => {
  it('refuses a key sshd does not know with a ConnectionError that lists what was tried', async () => {
    const transport = transportFor(server, { identityFiles: [server.strangerIdentity] });
    const error = await failure(listImages(createEngineClient({ transport })));
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).causeCode).toBe('SSH_AUTHENTICATION_FAILED');
    expect(error.message).toContain(`SSH authentication failed for root@127.0.0.1:${server.port}`);
    expect(error.message).toContain(`Tried: ${server.strangerIdentity}`);
  });

  it('decrypts an identity with its passphrase, and says so when the passphrase is missing', async () => {
    const ok = transportFor(server, { identityFiles: [server.passphraseIdentity], passphrase: server.passphrase });
    expect((await ping(createEngineClient({ transport: ok }))).body).toBe('OK');

    const missing = transportFor(server, { identityFiles: [server.passphraseIdentity] });
    const error = await failure(ping(createEngineClient({ transport: missing })));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toContain('encrypted and no passphrase was given');
    expect(error.message).not.toContain(server.passphrase);
  });

  it('authenticates through ssh-agent (SSH_AUTH_SOCK)', async () => {
    const socket = join(work, 'agent.sock');
    const started = execFileSync('ssh-agent', ['-a', socket, '-s'], { encoding: 'utf8' });
    const agentPid = /SSH_AGENT_PID=(\d+)/.exec(started)?.[1];
    try {
      execFileSync('ssh-add', [server.identity], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
      // No identity file and no agent option: the key comes from SSH_AUTH_SOCK alone.
      const transport = sshTransport({
        url: `${server.url}${engine?.socketPath ?? ''}`,
        knownHostsFile: server.knownHosts,
        homeDirectory: work,
        environment: { SSH_AUTH_SOCK: socket },
      });
      opened.push(transport);
      expect((await ping(createEngineClient({ transport }))).body).toBe('OK');
    } finally {
      if (agentPid) process.kill(Number(agentPid));
    }
  });
});

describe.runIf(engine).each(modes)('remote failures in %s mode', (mode) => {
  it('reports an engine socket missing on the remote host', async () => {
    const transport = transportFor(server, { mode, url: `${server.url}/nonexistent/docker.sock` });
    const error = await failure(ping(createEngineClient({ transport })));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain('/nonexistent/docker.sock');
    if (mode === 'dial-stdio') {
      // docker's own stderr, straight from the remote host.
      expect((error as ConnectionError).causeCode).toBe('SSH_REMOTE_COMMAND_FAILED');
      expect(error.message).toContain('failed to open the raw stream connection: dial unix /nonexistent/docker.sock');
    } else {
      expect((error as ConnectionError).causeCode).toBe('SSH_CHANNEL_OPEN_FAILED');
    }
  });

  it(mode === 'dial-stdio' ? 'reports a remote host without the docker CLI' : 'needs no docker CLI on the remote host', async () => {
    const transport = transportFor(server, { mode, identityFiles: [server.noDockerIdentity] });
    const call = ping(createEngineClient({ transport }));
    if (mode === 'forward') {
      expect((await call).body).toBe('OK');
      return;
    }
    const error = await failure(call);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toMatch(/\(exit code 127\): .*docker: command not found/);
    expect((error as ConnectionError).details).toContain("mode: 'forward'");
  });

});

describe.runIf(engine)('the dial-stdio command', () => {
  it('reports a wrong dockerCommand with the remote shell\'s words', async () => {
    const transport = transportFor(server, { mode: 'dial-stdio', dockerCommand: 'docker-not-installed' });
    const error = await failure(listImages(createEngineClient({ transport })));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.message).toContain('docker-not-installed: command not found');
    // Only the channel failed: the SSH connection stays up for the next attempt.
    expect(transport.statistics).toMatchObject({ connectionsOpened: 1, connected: true });
  });
});

describe.runIf(engine).each(modes)('lost SSH connections in %s mode', (mode) => {
  // Always a private sshd: these tests kill it.
  let server: SshServer;
  beforeAll(() => {
    server = startSshServer(`faults-lost-${mode}`);
  });
  afterAll(() => server?.stop());

  it('reconnects on the next request after the SSH connection was killed', async () => {
    const transport = transportFor(server, { mode });
    const client = createEngineClient({ transport });
    expect((await ping(client)).body).toBe('OK');
    expect(transport.statistics.connectionsOpened).toBe(1);

    server.killConnections();
    await expect.poll(() => transport.statistics.connected, { timeout: 10_000 }).toBe(false);

    expect((await ping(client)).body).toBe('OK');
    expect((await listImages(client)).length).toBeGreaterThan(0);
    expect(transport.statistics.connectionsOpened).toBe(2);
  });

  it('rejects a streamed call when sshd dies in the middle of it, without hanging', async () => {
    // Stopping sshd deletes its state dir: keep copies of the files the transport reads.
    const identity = join(work, `identity-${mode}`);
    const knownHosts = join(work, `known_hosts-${mode}`);
    copyFileSync(server.identity, identity);
    copyFileSync(server.knownHosts, knownHosts);
    const transport = transportFor(server, { mode, identityFiles: [identity], knownHostsFile: knownHosts });
    const client = createEngineClient({ transport });
    // A classic build whose RUN step stays silent for a minute: a long streamed call.
    const context = tarOf({ Dockerfile: `FROM ${engine?.seedImage}\nRUN sleep 60\n` });
    const progress = await buildImage(client, { body: context, t: uniqueName('ssh-killed'), networkmode: 'none', version: '1', rm: true, forcerm: true });
    const messages: string[] = [];
    const started = Date.now();
    const outcome = (async () => {
      for await (const message of progress) {
        messages.push(message.stream ?? message.status ?? '');
        if (messages.join('').includes('Running in')) server.stop();
      }
    })();
    const error = await failure(outcome);
    expect(error).toBeInstanceOf(TransportError);
    expect(error instanceof SocketClosedError || error instanceof ConnectionError).toBe(true);
    expect(error.message).toContain('The SSH connection to root@127.0.0.1');
    expect(messages.join('')).toContain('RUN sleep 60');
    expect(Date.now() - started).toBeLessThan(20_000);
    // The next call fails fast too: nothing listens any more.
    const refused = await failure(ping(client));
    expect(refused).toBeInstanceOf(ConnectionError);
    expect((refused as ConnectionError).causeCode).toBe('ECONNREFUSED');
  });
});

describe.runIf(engine)('sshd.sh harness', () => {
  it('leaves no sshd process behind after stop', () => {
    const server = startSshServer('faults-harness');
    const config = join(server.directory, 'sshd_config');
    const running = (): boolean => spawnSync('pgrep', ['-f', config]).status === 0;
    expect(running()).toBe(true);
    server.stop();
    expect(running()).toBe(false);
  });
});
