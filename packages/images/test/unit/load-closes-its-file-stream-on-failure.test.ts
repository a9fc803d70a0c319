// Regression: `load(path)` opened a read stream of the archive before sending; when sending
// failed first (an option the API version lacks, a failed negotiation, a refused connection)
// nothing ever read or destroyed it, and its file descriptor stayed open.
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  ConnectionError,
  createEngineClient,
  UnsupportedOptionError,
  type EngineClient,
} from '@berth/engine-protocol';
import { unixTransport } from '@berth/transport-unix';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageCollection } from '../../src/index.js';
import { fakeEngine, fakeTransport } from './support/fake-engine.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'berth-images-load-fd-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** How many descriptors of this process are open on `path`. */
async function openDescriptors(path: string): Promise<number> {
  let count = 0;
  for (const entry of await readdir('/proc/self/fd')) {
    const target = await readlink(join('/proc/self/fd', entry)).catch(() => undefined);
    if (target === path) count++;
  }
  return count;
}

/** Waits (up to 2 s) for the descriptors on `path` to be closed; resolves to how many remain. */
async function descriptorsLeft(path: string): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const count = await openDescriptors(path);
    if (count === 0) return 0;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return openDescriptors(path);
}

/** A transport whose engine answers the ping, then drops the connection on the load request without reading the body. */
function refusingLoadClient(): EngineClient {
  const dispatcher = {
    async request(call: { path: string }) {
      if (call.path === '/_ping') {
        const body = Object.assign(Readable.from([Buffer.from('OK')]), { dump: async () => undefined });
        return { statusCode: 200, headers: { 'api-version': '1.41' }, body };
      }
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    },
  };
  const transport = fakeTransport(dispatcher);
  return createEngineClient({ transport, environment: {} });
}

const failures: readonly { name: string; client: () => EngineClient; options?: { platform: string }; error: abstract new (...args: never[]) => Error }[] = [
  {
    name: 'a platform the API version (1.41) lacks',
    client: () => fakeEngine(() => undefined).client,
    options: { platform: 'linux/amd64' },
    error: UnsupportedOptionError,
  },
  {
    name: 'a connection refused while negotiating',
    client: () => createEngineClient({ transport: unixTransport({ socketPath: join(tmpdir(), 'berth-no-such-engine.sock') }), environment: {} }),
    error: ConnectionError,
  },
  {
    name: 'a connection refused on the load request itself',
    client: refusingLoadClient,
    error: ConnectionError,
  },
];

describe('regression: load(path) closes the file stream it opened when sending fails', () => {
  it.each(failures.map((failure, index) => [failure.name, failure, index] as const))('%s', async (_name, failure, index) => {
    const path = join(directory, `image-${index}.tar`);
    await writeFile(path, 'an image archive, as far as this test cares');
    const client = failure.client();
    try {
      await expect(new ImageCollection({ client }).load(path, failure.options ?? {})).rejects.toBeInstanceOf(failure.error);
      expect(await descriptorsLeft(path)).toBe(0);
    } finally {
      await client.close();
    }
  });

  it('leaves a stream the caller gave alone: it is the caller\'s to close', async () => {
    const path = join(directory, 'caller.tar');
    await writeFile(path, 'an image archive, as far as this test cares');
    const stream = createReadStream(path);
    const engine = fakeEngine(() => undefined);
    await expect(new ImageCollection({ client: engine.client }).load(stream, { platform: 'linux/amd64' })).rejects.toBeInstanceOf(
      UnsupportedOptionError,
    );
    expect(stream.destroyed).toBe(false);
    stream.destroy();
    expect(await descriptorsLeft(path)).toBe(0);
  });
});
