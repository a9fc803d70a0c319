import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AbortedError,
  EngineError,
  StreamMessageError,
  deleteImage,
  inspectDistribution,
  inspectImage,
  loadImages,
  pullImage,
  pushImage,
  saveImages,
  tagImage,
} from '../../src/index.js';
import { createClient, drain, engine, unique } from './support/engine.js';
import { startRefusingRegistry } from './support/refusing-registry.js';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe.runIf(engine)('push, pull, save and load on the real engine', () => {
  const { client, agent } = createClient();
  const name = unique('transfer').replace('berth-protocol-it/', '');
  let remote = '';
  let seedId = '';

  beforeAll(async () => {
    remote = `${engine!.registry}/${name}`;
    seedId = (await inspectImage(client, { name: engine!.seedImage })).Id;
    await tagImage(client, { name: engine!.seedImage, repo: remote, tag: 'v1' });
  });
  afterAll(async () => {
    await deleteImage(client, { name: `${remote}:v1` }).catch(() => undefined);
    await client.close();
  });

  it('pushes to the local registry and reports the digest', async () => {
    const messages = await drain(await pushImage(client, { name: remote, tag: 'v1' }));
    const digestLine = messages.find((message) => message.status?.includes('digest: sha256:'));
    const aux = messages.find((message) => message.aux !== undefined)?.aux as { Digest?: string } | undefined;
    const digest = aux?.Digest ?? /digest: (sha256:[0-9a-f]{64})/.exec(digestLine?.status ?? '')?.[1];
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const served = await fetch(`http://${engine!.registry}/v2/${name}/manifests/v1`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    expect(served.headers.get('docker-content-digest')).toBe(digest);

    const distribution = await inspectDistribution(client, { name: `${remote}:v1` });
    expect(distribution.Descriptor.digest).toBe(digest);
  });

  it('pulls back what it pushed', async () => {
    await deleteImage(client, { name: `${remote}:v1` });
    const messages = await drain(await pullImage(client, { fromImage: remote, tag: 'v1' }));
    expect(messages.at(-1)?.status).toMatch(/Downloaded newer image|Image is up to date/);
    expect((await inspectImage(client, { name: `${remote}:v1` })).Id).toBe(seedId);
  });

  it('raises an error the registry causes in the middle of a pull from the stream', async () => {
    const registry = await startRefusingRegistry();
    try {
      const progress = await pullImage(client, { fromImage: `${registry.address}/refuse`, tag: 'latest' });
      const seen: string[] = [];
      const error = await (async () => {
        for await (const message of progress) seen.push(message.status ?? '');
      })().catch((caught: unknown) => caught);
      expect(seen.length).toBeGreaterThan(0);
      expect(error).toBeInstanceOf(StreamMessageError);
      expect((error as StreamMessageError).engineMessage).toMatch(/blob access refused/);
    } finally {
      await registry.close();
    }
  });

  it('reports a pull of a missing tag as an engine error', async () => {
    const error = await pullImage(client, { fromImage: remote, tag: 'missing' })
      .then(drain)
      .catch((caught: unknown) => caught);
    expect(error instanceof EngineError || error instanceof StreamMessageError).toBe(true);
    expect(String((error as Error).message)).toMatch(/manifest unknown|not found/i);
  });

  it('saves one image and loads it back with the same id', async () => {
    const tar = await readAll(await saveImages(client, { names: `${remote}:v1` }));
    expect(tar.length % 512).toBe(0);
    expect(tar.includes(Buffer.from('manifest.json'))).toBe(true);
    await deleteImage(client, { name: `${remote}:v1` });
    const messages = await drain(await loadImages(client, { body: Readable.from([tar]) }));
    expect(messages.map((message) => message.stream ?? '').join('')).toContain(`Loaded image: ${remote}:v1`);
    expect((await inspectImage(client, { name: `${remote}:v1` })).Id).toBe(seedId);
  });

  it('saves several images in one archive', async () => {
    const tar = await readAll(await saveImages(client, { names: [`${remote}:v1`, engine!.seedImage] }));
    const text = tar.toString('latin1');
    expect(text).toContain(`${remote}:v1`);
    expect(text).toContain(engine!.seedImage);
  });

  it('rejects a load of garbage from the stream or the request', async () => {
    const error = await loadImages(client, { body: Buffer.from('this is not a tar archive at all') })
      .then(drain)
      .catch((caught: unknown) => caught);
    expect(error instanceof EngineError || error instanceof StreamMessageError).toBe(true);
  });

  it('aborts a load in the middle of its upload and releases the connection', async () => {
    const controller = new AbortController();
    // A body that sends one block, then stalls as a slow disk or network would.
    async function* stalledUpload(): AsyncGenerator<Uint8Array> {
      yield Buffer.alloc(512);
      await new Promise((resolve) => setTimeout(resolve, 60_000));
    }
    setTimeout(() => controller.abort(), 200);
    const loading = loadImages(client, { body: stalledUpload() }, { signal: controller.signal }).then(drain);
    await expect(loading).rejects.toBeInstanceOf(AbortedError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(agent.stats['http://localhost']?.running ?? 0).toBe(0);
    expect((await inspectImage(client, { name: engine!.seedImage })).Id).toBe(seedId);
  });

  it('releases the connection when a save is aborted midway', async () => {
    const controller = new AbortController();
    const stream = await saveImages(client, { names: engine!.seedImage }, { signal: controller.signal });
    const reading = (async () => {
      for await (const chunk of stream) {
        if ((chunk as Buffer).length > 0) controller.abort();
      }
    })();
    await expect(reading).rejects.toBeInstanceOf(AbortedError);
    // The pool has nothing running or pending, and the next request goes through.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stats = agent.stats['http://localhost'];
    expect(stats?.running ?? 0).toBe(0);
    expect(stats?.pending ?? 0).toBe(0);
    expect((await inspectImage(client, { name: engine!.seedImage })).Id).toBe(seedId);
  });
});
