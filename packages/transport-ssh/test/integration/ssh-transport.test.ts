import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngineClient, getVersion, inspectImage, listImages, ping, saveImages, type EngineClient } from '@berth/engine-protocol';
import { findTestEngine } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshTransport, type SshTransport, type SshTransportMode, type SshTransportOptions } from '../../src/index.js';
import { createSshTestTransport, sshTestTransportModes } from '../support/ssh-test-transport.js';
import { establishedConnections, sharedSshServer, type SshServer } from './support/ssh-server.js';
import { tarEntryNames } from './support/tar.js';

const engine = findTestEngine();
const modes: SshTransportMode[] = ['dial-stdio', 'forward'];
// An empty home: no ~/.ssh/config, default keys or known_hosts of the machine leak in.
const home = mkdtempSync(join(tmpdir(), 'berth-ssh-home-'));
let server: SshServer;
beforeAll(() => {
  if (engine) server = sharedSshServer('transport');
});
afterAll(() => {
  server?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe.runIf(engine).each(modes)('sshTransport in %s mode against the harness engine', (mode) => {
  const opened: SshTransport[] = [];

  function transport(overrides: Partial<SshTransportOptions> = {}): SshTransport {
    const created = sshTransport({
      url: `${server.url}${engine?.socketPath ?? ''}`,
      mode,
      identityFiles: [server.identity],
      knownHostsFile: server.knownHosts,
      agent: false,
      homeDirectory: home,
      ...overrides,
    });
    opened.push(created);
    return created;
  }

  let shared: SshTransport;
  let client: EngineClient;
  beforeAll(() => {
    shared = transport();
    client = createEngineClient({ transport: shared });
  });
  afterAll(async () => {
    await Promise.all(opened.map((each) => each.close()));
  });

  it('pings and reads the version', async () => {
    const reply = await ping(client);
    expect(reply.body).toBe('OK');
    expect(reply.apiVersion).toBe(engine?.apiVersion);
    const version = await getVersion(client);
    expect(version.ApiVersion).toBe(engine?.apiVersion);
    expect(shared.statistics.connectionsOpened).toBe(1);
  });

  it('lists images and inspects the seed image', async () => {
    const images = await listImages(client);
    const seed = images.find((image) => image.RepoTags?.includes(engine?.seedImage ?? ''));
    expect(seed).toBeDefined();
    const inspected = await inspectImage(client, { name: engine?.seedImage ?? '' });
    expect(inspected.Id).toBe(seed?.Id);
    expect(inspected.Config?.Cmd).toEqual(['sh']);
  });

  it('streams a saved image to its end', async () => {
    const stream = await saveImages(client, { names: engine?.seedImage ?? '' });
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
    const archive = Buffer.concat(chunks);
    expect(archive.length % 512).toBe(0);
    expect(archive.length).toBeGreaterThan(500_000);
    expect(tarEntryNames(archive)).toContain('manifest.json');
  });

  it('runs 10 concurrent listImages over ONE SSH connection, on several channels', async () => {
    const baseline = establishedConnections(server.port);
    const fresh = transport();
    const concurrent = createEngineClient({ transport: fresh });
    // Other suites add and remove images on the same engine meanwhile: compare the seed only.
    const seedOnly = { filters: { reference: engine!.seedImage } };
    const results = await Promise.all(Array.from({ length: 10 }, () => listImages(concurrent, seedOnly)));
    const ids = results.map((images) => images.map((image) => image.Id).sort().join());
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^sha256:/);
    expect(fresh.statistics.connectionsOpened).toBe(1);
    expect(fresh.statistics.channelsOpened).toBeGreaterThan(1);
    expect(fresh.statistics.channelsOpened).toBeLessThanOrEqual(mode === 'dial-stdio' ? 8 : 16);
    // The kernel agrees: `fresh` added exactly one TCP connection to sshd, and took it away.
    expect(establishedConnections(server.port)).toBe(baseline + 1);
    await concurrent.close();
    expect(fresh.statistics).toMatchObject({ connected: false, openChannels: 0 });
    expect(establishedConnections(server.port)).toBe(baseline);
  });

  it('reuses a kept-alive channel for sequential requests', async () => {
    const before = shared.statistics.channelsOpened;
    for (let index = 0; index < 5; index += 1) await listImages(client);
    expect(shared.statistics.channelsOpened - before).toBeLessThanOrEqual(1);
    expect(shared.statistics.connectionsOpened).toBe(1);
  });
});

describe.runIf(engine)('the ssh transports of the integration matrix', () => {
  it.each(Object.entries(sshTestTransportModes))('%s reaches the harness engine', async (_name, mode) => {
    const client = createEngineClient({ transport: createSshTestTransport(mode, server.environment) });
    try {
      expect(client.transport.description).toContain(`(${mode})`);
      const images = await listImages(client);
      expect(images.some((image) => image.RepoTags?.includes(engine?.seedImage ?? ''))).toBe(true);
    } finally {
      await client.close();
    }
  });
});
