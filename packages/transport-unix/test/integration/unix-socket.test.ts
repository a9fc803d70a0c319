import { describe, expect, it } from 'vitest';
import { findTestEngine } from '@berth/test-engine';
import { createEngineClient, getVersion, inspectImage, listImages, ping } from '@berth/engine-protocol';
import { unixTransport } from '../../src/index.js';

const engine = findTestEngine();

describe.runIf(engine)('unix transport on the real engine', () => {
  it('pings, reads the version and serves concurrent requests over the pool', async () => {
    const transport = unixTransport({ socketPath: engine!.socketPath, connections: 4 });
    const client = createEngineClient({ transport, environment: {} });
    try {
      expect((await ping(client)).body).toBe('OK');
      expect((await getVersion(client)).ApiVersion).toBe(engine!.apiVersion);
      const results = await Promise.all(Array.from({ length: 20 }, () => listImages(client)));
      expect(results.every((images) => images.length > 0)).toBe(true);
      const seed = await inspectImage(client, { name: engine!.seedImage });
      expect(seed.RepoTags).toContain(engine!.seedImage);
    } finally {
      await client.close();
    }
  });
});
