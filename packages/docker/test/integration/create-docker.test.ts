import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ClientClosedError, ConnectionError, NotFoundError } from '@berth/engine-protocol';
import { findTestEngine, uniqueName } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocker, type Docker } from '../../src/create-docker.js';
import { makeTemporaryDirectory, sha256Hex, writeConfigDirectory } from '../helpers/docker-config-fixture.js';
import { findSshHarness, findTlsHarness } from '../helpers/harness-extras.js';

const engine = findTestEngine();
const tlsHarness = engine ? findTlsHarness() : undefined;
const sshHarness = engine ? findSshHarness() : undefined;

let root: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const temporary = await makeTemporaryDirectory('integration');
  root = temporary.path;
  cleanup = temporary.remove;
});

afterAll(async () => {
  await cleanup();
});

async function withDocker<T>(docker: Docker, use: (docker: Docker) => Promise<T>): Promise<T> {
  try {
    return await use(docker);
  } finally {
    await docker.close();
  }
}

/** Lists and gets the seed image: the round trip every endpoint must manage. */
async function expectSeedImage(docker: Docker): Promise<void> {
  const seed = engine!.seedImage;
  const listed = await docker.images.list();
  expect(listed.some((image) => image.tags.includes(seed))).toBe(true);
  const image = await docker.images.get(seed);
  expect(image.tags).toContain(seed);
  expect(image.id).toMatch(/^sha256:[0-9a-f]{64}$/);
}

describe.runIf(engine)('createDocker against the harness engine (Unix socket)', () => {
  it('follows DOCKER_HOST', async () => {
    const docker = await createDocker({ environment: { DOCKER_HOST: engine!.dockerHost, DOCKER_CONFIG: join(root, 'none') } });
    expect(docker.endpoint).toMatchObject({ kind: 'unix', socketPath: engine!.socketPath, source: 'DOCKER_HOST' });
    await withDocker(docker, expectSeedImage);
  });

  it('closes with await using: calls in the scope work, later calls are refused', async () => {
    let escaped: Docker | undefined;
    {
      await using docker = await createDocker({ environment: { DOCKER_HOST: engine!.dockerHost, DOCKER_CONFIG: join(root, 'none') } });
      escaped = docker;
      await expectSeedImage(docker);
    }
    await expect(escaped.images.list()).rejects.toBeInstanceOf(ClientClosedError);
  });

  it('follows DOCKER_CONTEXT to a context pointing at the socket', async () => {
    const config = await writeConfigDirectory(join(root, 'context-config'), {
      contexts: { harness: { host: engine!.dockerHost } },
    });
    const docker = await createDocker({ environment: { DOCKER_CONFIG: config, DOCKER_CONTEXT: 'harness' } });
    expect(docker.endpoint).toMatchObject({ kind: 'unix', source: 'DOCKER_CONTEXT', context: 'harness' });
    await withDocker(docker, expectSeedImage);
  });

  it('follows currentContext of config.json', async () => {
    const config = await writeConfigDirectory(join(root, 'current-config'), {
      currentContext: 'harness',
      contexts: { harness: { host: engine!.dockerHost } },
    });
    const docker = await createDocker({ environment: { DOCKER_CONFIG: config } });
    expect(docker.endpoint).toMatchObject({ kind: 'unix', source: 'config currentContext', context: 'harness' });
    await withDocker(docker, expectSeedImage);
  });

  it('pins DOCKER_API_VERSION for the requests it sends', async () => {
    const docker = await createDocker({ environment: { DOCKER_HOST: engine!.dockerHost, DOCKER_API_VERSION: '1.41' } });
    await withDocker(docker, async () => {
      expect(await docker.client.apiVersion()).toBe('1.41');
      await expectSeedImage(docker);
    });
  });

  it('reports an absent image as NotFoundError', async () => {
    const docker = await createDocker({ environment: { DOCKER_HOST: engine!.dockerHost } });
    await withDocker(docker, async () => {
      await expect(docker.images.get(`${uniqueName('absent')}:none`)).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  it('names the socket when nothing listens there', async () => {
    const missing = join(root, 'no-engine.sock');
    const docker = await createDocker({ environment: { DOCKER_HOST: `unix://${missing}` } });
    await withDocker(docker, async () => {
      const error = await docker.images.list().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as Error).message).toContain(missing);
    });
  });

  it('pushes and pulls through the local registry with credentials from config.json attached', async () => {
    // The harness registry accepts anything; this proves that attaching the configured
    // credentials (X-Registry-Auth) keeps push and pull working end to end.
    const config = await writeConfigDirectory(join(root, 'auth-config'), {
      rawConfig: JSON.stringify({ auths: { [engine!.registry]: { auth: Buffer.from('berth:not-checked').toString('base64') } } }),
    });
    const docker = await createDocker({ environment: { DOCKER_HOST: engine!.dockerHost, DOCKER_CONFIG: config, PATH: '' } });
    await withDocker(docker, async () => {
      expect(await docker.images.credentialsFor(`${engine!.registry}/x`)).toMatchObject({ username: 'berth' });
      const repository = `${engine!.registry}/${uniqueName('facade')}`;
      const seed = await docker.images.get(engine!.seedImage);
      await seed.tag(repository, 'v1');
      try {
        await docker.images.push(repository, { tag: 'v1' });
        await docker.images.remove(`${repository}:v1`);
        const pulled = await docker.images.pull(repository, { tag: 'v1' });
        expect(pulled.id).toBe(seed.id);
      } finally {
        await docker.images.remove(`${repository}:v1`).catch(() => undefined);
      }
    });
  }, 60_000);
});

describe.runIf(tlsHarness)('createDocker over TCP with TLS (harness TLS listener)', () => {
  const certificates = () => tlsHarness!.certificates;

  /** A DOCKER_CERT_PATH folder made of harness files. */
  async function certPath(name: string, files: Partial<Record<'ca.pem' | 'cert.pem' | 'key.pem', string>>): Promise<string> {
    const directory = join(root, name);
    await mkdir(directory, { recursive: true });
    for (const [target, source] of Object.entries(files)) await copyFile(join(certificates(), source), join(directory, target));
    return directory;
  }

  it('follows DOCKER_HOST + DOCKER_TLS_VERIFY + DOCKER_CERT_PATH', async () => {
    const docker = await createDocker({
      environment: { DOCKER_HOST: tlsHarness!.host, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certificates() },
    });
    expect(docker.endpoint).toMatchObject({ kind: 'tcp', tls: { verify: true }, source: 'DOCKER_HOST' });
    await withDocker(docker, expectSeedImage);
  });

  it('takes the certificates from the config directory when DOCKER_CERT_PATH is unset', async () => {
    const config = await certPath('tls-config-dir', { 'ca.pem': 'ca.pem', 'cert.pem': 'cert.pem', 'key.pem': 'key.pem' });
    const docker = await createDocker({ environment: { DOCKER_HOST: tlsHarness!.host, DOCKER_TLS_VERIFY: '0', DOCKER_CONFIG: config } });
    await withDocker(docker, expectSeedImage);
  });

  it('verifies with DOCKER_TLS_VERIFY and skips verification with DOCKER_TLS (a CA that did not sign the engine)', async () => {
    const wrongCa = await certPath('tls-wrong-ca', { 'ca.pem': 'other-ca.pem', 'cert.pem': 'cert.pem', 'key.pem': 'key.pem' });
    const verifying = await createDocker({
      environment: { DOCKER_HOST: tlsHarness!.host, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: wrongCa },
    });
    await withDocker(verifying, async () => {
      await expect(verifying.images.list()).rejects.toBeInstanceOf(ConnectionError);
    });
    const trusting = await createDocker({ environment: { DOCKER_HOST: tlsHarness!.host, DOCKER_TLS: '1', DOCKER_CERT_PATH: wrongCa } });
    expect(trusting.endpoint).toMatchObject({ tls: { verify: false } });
    await withDocker(trusting, expectSeedImage);
  });

  it('regression: DOCKER_TLS without verification connects with cert.pem and key.pem and no ca.pem at all', async () => {
    const clientOnly = await certPath('tls-client-only', { 'cert.pem': 'cert.pem', 'key.pem': 'key.pem' });
    const docker = await createDocker({ environment: { DOCKER_HOST: tlsHarness!.host, DOCKER_TLS: '1', DOCKER_CERT_PATH: clientOnly } });
    expect(docker.endpoint).toMatchObject({ kind: 'tcp', tls: { verify: false, certificateFile: join(clientOnly, 'cert.pem') } });
    await withDocker(docker, expectSeedImage);
  });

  it('follows a context with TLS files', async () => {
    const config = await writeConfigDirectory(join(root, 'tls-context-config'), {
      contexts: { secure: { host: tlsHarness!.host } },
    });
    const tlsDirectory = join(config, 'contexts', 'tls', sha256Hex('secure'), 'docker');
    await mkdir(tlsDirectory, { recursive: true });
    for (const file of ['ca.pem', 'cert.pem', 'key.pem']) await copyFile(join(certificates(), file), join(tlsDirectory, file));
    const docker = await createDocker({ context: 'secure', environment: { DOCKER_CONFIG: config } });
    expect(docker.endpoint).toMatchObject({ kind: 'tcp', source: 'option', context: 'secure', tls: { verify: true } });
    await withDocker(docker, expectSeedImage);
  });
});

describe.runIf(sshHarness)('createDocker over SSH (harness sshd, dial-stdio)', () => {
  /** A home folder whose ~/.ssh/config names the harness key and known_hosts, as a user's would. */
  async function sshHome(): Promise<string> {
    const home = join(root, 'ssh-home');
    await mkdir(join(home, '.ssh'), { recursive: true });
    await writeFile(
      join(home, '.ssh', 'config'),
      `Host 127.0.0.1\n  IdentityFile ${sshHarness!.identity}\n  UserKnownHostsFile ${sshHarness!.knownHosts}\n`,
    );
    return home;
  }

  it('follows an ssh:// DOCKER_HOST whose path is the remote engine socket', async () => {
    const home = await sshHome();
    const url = `${sshHarness!.host}${engine!.socketPath}`;
    const docker = await createDocker({ environment: { DOCKER_HOST: url, HOME: home, PATH: process.env['PATH'] ?? '' } });
    expect(docker.endpoint).toMatchObject({ kind: 'ssh', user: 'root', host: '127.0.0.1', socketPath: engine!.socketPath });
    await withDocker(docker, expectSeedImage);
  }, 60_000);

  it('follows a context with an ssh:// host', async () => {
    const home = await sshHome();
    const config = await writeConfigDirectory(join(root, 'ssh-context-config'), {
      currentContext: 'over-ssh',
      contexts: { 'over-ssh': { host: `${sshHarness!.host}${engine!.socketPath}` } },
    });
    const docker = await createDocker({ environment: { DOCKER_CONFIG: config, HOME: home, PATH: process.env['PATH'] ?? '' } });
    expect(docker.endpoint).toMatchObject({ kind: 'ssh', source: 'config currentContext', context: 'over-ssh' });
    await withDocker(docker, expectSeedImage);
  }, 60_000);
});
