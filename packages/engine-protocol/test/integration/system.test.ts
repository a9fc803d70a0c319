import { afterAll, describe, expect, it } from 'vitest';
import {
  EngineError,
  UnsupportedOptionError,
  checkRegistryAuth,
  getVersion,
  listImages,
  ping,
  pushImage,
} from '../../src/index.js';
import { createClient, engine } from './support/engine.js';

describe.runIf(engine)('system endpoints on the real engine', () => {
  const { client } = createClient();
  afterAll(() => client.close());

  it('pings and reads the headers', async () => {
    const result = await ping(client);
    expect(result.body).toBe('OK');
    expect(result.apiVersion).toBe(engine!.apiVersion);
    expect(result.osType).toBe('linux');
  });

  it('reads the version and negotiates the engine maximum', async () => {
    const version = await getVersion(client);
    expect(version.ApiVersion).toBe(engine!.apiVersion);
    expect(version.Os).toBe('linux');
    expect(await client.apiVersion()).toBe(engine!.apiVersion);
  });

  it('refuses an option the engine version lacks, before sending', async () => {
    // Engine 20.10 speaks 1.41: push's platform needs 1.46.
    if (engine!.apiVersion >= '1.46') return expect(engine!.apiVersion).toMatch(/^1\.\d+$/);
    await expect(pushImage(client, { name: `${engine!.registry}/x`, platform: 'linux/amd64' })).rejects.toBeInstanceOf(
      UnsupportedOptionError,
    );
  });

  it('talks an older pinned version when asked', async () => {
    const { client: pinned } = createClient({ apiVersion: '1.41' });
    try {
      expect(Array.isArray(await listImages(pinned))).toBe(true);
      await expect(listImages(pinned, { 'shared-size': true })).rejects.toBeInstanceOf(UnsupportedOptionError);
    } finally {
      await pinned.close();
    }
  });

  it('logs in to the local registry (no auth configured there)', async () => {
    const result = await checkRegistryAuth(client, {
      authConfig: { username: 'anyone', password: 'anything', serveraddress: engine!.registry },
    });
    expect(result).toMatchObject({ Status: 'Login Succeeded' });
  });

  it('reports a failed login as an engine error without the password', async () => {
    const error = await checkRegistryAuth(client, {
      authConfig: { username: 'anyone', password: 'never-shown-secret', serveraddress: '127.0.0.1:1' },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineError);
    expect(JSON.stringify(error) + String(error)).not.toContain('never-shown-secret');
  });
});
