// issue 8, failure 2: docker.close() used to wait for every call in flight; a stalled pull kept
// it pending forever. Against a fake engine on a Unix socket (no harness needed).
import { ClientClosedError } from '@berth/engine-protocol';
import { eventually, progressStream, settlesWithin, stallBeforeHeaders, startFakeEngine } from '@berth/test-engine';
import { describe, expect, it } from 'vitest';
import { createDocker } from '../../src/create-docker.js';

describe('docker.close()', () => {
  it('ends a stalled get, a stalled pull and a stalled build at once with ClientClosedError, then refuses calls', async () => {
    const fake = await startFakeEngine();
    try {
      fake.on(/\/images\/stalled\/json/, stallBeforeHeaders());
      fake.on(/\/images\/create/, progressStream([{ status: 'Pulling from library/app' }], 'stall'));
      fake.on(/\/build/, progressStream([{ stream: 'Step 1/2 : FROM scratch\n' }], 'stall'));
      const docker = await createDocker({ host: `unix://${fake.socketPath}`, credentials: false, environment: {} });
      const getting = docker.images.get('stalled').catch((error: unknown) => error);
      const pulling = docker.images.pull('app', { tag: 'v1' }).catch((error: unknown) => error);
      const building = docker.images.build({ file: 'FROM scratch\n', useConfigProxy: false }).catch((error: unknown) => error);
      await fake.waitForRequest((request) => request.url.includes('/build'));
      await fake.waitForRequest((request) => request.url.includes('/images/create'));
      await fake.waitForRequest((request) => request.url.includes('/images/stalled/json'));

      const closing = docker.close();
      expect(docker.close()).toBe(closing);
      await settlesWithin(closing, 'docker.close() with a stalled get, pull and build');
      for (const error of await Promise.all([getting, pulling, building])) expect(error).toBeInstanceOf(ClientClosedError);
      await expect(docker.images.list()).rejects.toBeInstanceOf(ClientClosedError);
      await eventually(() => fake.openConnections() === 0, 'the fake engine saw every connection close');
    } finally {
      await fake.close();
    }
  });
});
