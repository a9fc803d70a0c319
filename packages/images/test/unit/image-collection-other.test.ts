import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, StreamMessageError, UnsupportedOptionError, type ImageInspect } from '@berth/engine-protocol';
import { describe, expect, it } from 'vitest';
import { ImageCollection } from '../../src/index.js';
import { decodeRegistryHeader, fakeEngine } from './support/fake-engine.js';
import { readFixture } from './support/fixtures.js';
import { idFor, inspectReply } from './support/inspect.js';
import { tarOf } from '../support/tar.js';

const archive = Buffer.from('an image archive, as far as the fake engine cares');

function loadEngine(fixture = 'load-progress.jsonl') {
  return fakeEngine((request) => (request.versionless === '/images/load' ? { body: readFixture(fixture) } : inspectReply(request.versionless)));
}

describe('ImageCollection.load', () => {
  it('uploads bytes with quiet=0 and resolves to the loaded images, in order', async () => {
    const engine = loadEngine();
    const images = await new ImageCollection({ client: engine.client }).load(archive);
    const [load] = engine.calls();
    expect(load?.body).toEqual(archive);
    expect(load?.query.get('quiet')).toBe('0');
    expect(images.map((image) => image.tags[0])).toEqual(['127.0.0.1:34027/fixture/busybox:1', '127.0.0.1:34027/fixture/layered:1']);
  });

  it('gets an untagged image by its id', async () => {
    const engine = loadEngine('load-untagged.jsonl');
    const [image] = await new ImageCollection({ client: engine.client }).load(archive);
    expect(image?.id).toBe('sha256:e7abeef662f7131b5d1bd628be373b0ede86bff97c0a9a578bba61d05d60fa49');
  });

  it('streams a path, a web stream and an async iterable', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'berth-images-load-'));
    try {
      const path = join(directory, 'image.tar');
      await writeFile(path, archive);
      const sources = [
        path,
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(archive.subarray(0, 7));
            controller.enqueue(archive.subarray(7));
            controller.close();
          },
        }),
        (async function* () {
          yield archive.subarray(0, 3);
          yield archive.subarray(3);
        })(),
      ];
      for (const source of sources) {
        const engine = loadEngine('load-tagged.jsonl');
        const images = await new ImageCollection({ client: engine.client }).load(source, { quiet: true });
        expect(engine.calls()[0]?.body).toEqual(archive);
        expect(engine.calls()[0]?.query.get('quiet')).toBe('1');
        expect(images.map((image) => image.tags)).toEqual([['fixture-bk:1']]);
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('refuses a missing file or a directory before any request', async () => {
    const engine = loadEngine();
    const images = new ImageCollection({ client: engine.client });
    await expect(images.load('/nonexistent/berth/image.tar')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(images.load(tmpdir())).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(engine.seen).toEqual([]);
  });

  it('rejects when the stream reports an error', async () => {
    const engine = loadEngine('load-failing.jsonl');
    const loading = new ImageCollection({ client: engine.client }).load(archive);
    await expect(loading).rejects.toBeInstanceOf(StreamMessageError);
    expect(loading.log.at(-1)).toMatchObject({ type: 'error', text: 'Error processing tar file(exit status 1): unexpected EOF' });
  });

  it('refuses a platform the API version lacks before the load request', async () => {
    const engine = loadEngine();
    await expect(new ImageCollection({ client: engine.client }).load(archive, { platform: 'linux/amd64' })).rejects.toBeInstanceOf(
      UnsupportedOptionError,
    );
    expect(engine.calls()).toEqual([]);
  });
});

describe('ImageCollection queries', () => {
  it('get rejects with NotFoundError for a missing image', async () => {
    const engine = fakeEngine((request) => (request.versionless.endsWith('/json') ? { status: 404, body: '{"message":"No such image: x"}' } : undefined));
    await expect(new ImageCollection({ client: engine.client }).get('x')).rejects.toMatchObject({ name: 'NotFoundError', status: 404 });
  });

  it('list inspects every listed image, merges the name into the reference filter, skips vanished images', async () => {
    const engine = fakeEngine((request) => {
      if (request.versionless === '/images/json') return { body: JSON.stringify([{ Id: 'sha256:a' }, { Id: 'sha256:gone' }, { Id: 'sha256:b' }]) };
      if (request.versionless.includes('gone')) return { status: 404, body: '{"message":"No such image"}' };
      return inspectReply(request.versionless);
    });
    const images = await new ImageCollection({ client: engine.client }).list({
      name: 'app',
      all: true,
      filters: { label: 'team=core', reference: 'other:*' },
    });
    const listCall = engine.calls()[0];
    expect(listCall?.query.get('all')).toBe('1');
    expect(JSON.parse(listCall?.query.get('filters') ?? '')).toEqual({ label: { 'team=core': true }, reference: { 'other:*': true, app: true } });
    expect(images.map((image) => image.id)).toEqual(['sha256:a', 'sha256:b']);
  });

  it('remove, prune and pruneBuilds map their options', async () => {
    const engine = fakeEngine((request) => {
      if (request.method === 'DELETE') return { body: '[{"Untagged":"app:1"},{"Deleted":"sha256:a"}]' };
      if (request.versionless === '/images/prune') return { body: '{"ImagesDeleted":[],"SpaceReclaimed":0}' };
      if (request.versionless === '/build/prune') return { body: '{"CachesDeleted":["x"],"SpaceReclaimed":5}' };
      return undefined;
    });
    const images = new ImageCollection({ client: engine.client });
    expect(await images.remove('app:1', { force: true, noPrune: true })).toEqual([{ Untagged: 'app:1' }, { Deleted: 'sha256:a' }]);
    expect(await images.prune({ filters: { dangling: false } })).toEqual({ ImagesDeleted: [], SpaceReclaimed: 0 });
    expect(await images.pruneBuilds({ all: true, keepStorage: 1024, filters: { until: '24h' } })).toEqual({ CachesDeleted: ['x'], SpaceReclaimed: 5 });
    const [remove, prune, pruneBuilds] = engine.calls();
    expect(decodeURIComponent(remove?.path ?? '')).toBe('/v1.41/images/app:1');
    expect(remove?.query.toString()).toBe('force=1&noprune=1');
    expect(JSON.parse(prune?.query.get('filters') ?? '')).toEqual({ dangling: { false: true } });
    expect(pruneBuilds?.query.get('keep-storage')).toBe('1024');
    expect(pruneBuilds?.query.get('all')).toBe('1');
    await expect(images.pruneBuilds({ reservedSpace: 1 })).rejects.toBeInstanceOf(UnsupportedOptionError);
    expect(engine.calls()).toHaveLength(3);
  });

  it('search sends the term, limit and the provider credentials for the term', async () => {
    const asked: string[] = [];
    const engine = fakeEngine((request) =>
      request.versionless === '/images/search' ? { body: '[{"name":"app","description":"","star_count":1,"is_official":false,"is_automated":false}]' } : undefined,
    );
    const images = new ImageCollection({
      client: engine.client,
      credentials: {
        async forReference(reference) {
          asked.push(reference);
          return { username: 'ci', password: 'pw' };
        },
        async all() {
          return {};
        },
      },
    });
    const results = await images.search('registry.example.com/app', { limit: 3, filters: { 'is-official': true } });
    expect(results).toEqual([{ name: 'app', description: '', star_count: 1, is_official: false, is_automated: false }]);
    const call = engine.calls()[0];
    expect(call?.query.get('term')).toBe('registry.example.com/app');
    expect(call?.query.get('limit')).toBe('3');
    expect(asked).toEqual(['registry.example.com/app']);
    expect(decodeRegistryHeader(call?.headers['x-registry-auth'])).toEqual({ username: 'ci', password: 'pw' });
  });
});

describe('Image methods', () => {
  const fullId = 'sha256:b9a7eb81c31e1f8ad96039dd49d92bc60207be1a49cd511655fc73e3dca40aa5';

  function imageEngine(saveChunks: Uint8Array[] = []) {
    return fakeEngine((request) => {
      if (request.versionless.endsWith('/tag')) return { status: 201 };
      if (request.versionless.endsWith('/history')) return { body: '[{"Id":"x","Created":1,"CreatedBy":"sh","Tags":[],"Size":0,"Comment":""}]' };
      if (request.method === 'DELETE') return { body: '[{"Deleted":"x"}]' };
      if (request.versionless.endsWith('/get')) return { chunks: saveChunks };
      return inspectReply(request.versionless, (name) => (name === fullId ? ['app:1', 'app:2'] : [name]));
    });
  }

  function imageOf(engine: ReturnType<typeof imageEngine>) {
    return new ImageCollection({ client: engine.client }).prepareModel({ Id: fullId, RepoTags: ['app:1', 'app:2'] } as ImageInspect);
  }

  it('tag tags the image by id, then re-inspects it and resolves to the same Image', async () => {
    const engine = imageEngine();
    const image = imageOf(engine);
    image.attrs = { Id: fullId, RepoTags: ['app:1'] } as ImageInspect;
    const tagged = await image.tag('localhost:5000/app', 'v1');
    expect(tagged).toBe(image);
    expect(tagged.tags).toEqual(['app:1', 'app:2']);
    const [tagCall, inspectCall] = engine.calls();
    expect(decodeURIComponent(tagCall?.path ?? '')).toBe(`/v1.41/images/${fullId}/tag`);
    expect(tagCall?.query.toString()).toBe('repo=localhost%3A5000%2Fapp&tag=v1');
    expect(decodeURIComponent(inspectCall?.path ?? '')).toBe(`/v1.41/images/${fullId}/json`);
  });

  it('tag refuses force (accepted and ignored before) without a request', async () => {
    const engine = imageEngine();
    await expect(imageOf(engine).tag('localhost:5000/app', 'v1', { force: true } as never)).rejects.toMatchObject({
      name: 'InvalidArgumentError',
      argument: 'force',
    });
    expect(engine.calls()).toEqual([]);
  });

  it('history, remove and reload address the image by id', async () => {
    const engine = imageEngine();
    const image = imageOf(engine);
    expect((await image.history())[0]?.CreatedBy).toBe('sh');
    expect(await image.remove({ force: true })).toEqual([{ Deleted: 'x' }]);
    image.attrs = { Id: fullId };
    expect((await image.reload()).tags).toEqual(['app:1', 'app:2']);
    expect(engine.calls().map((call) => `${call.method} ${decodeURIComponent(call.path)}`)).toEqual([
      `GET /v1.41/images/${fullId}/history`,
      `DELETE /v1.41/images/${fullId}`,
      `GET /v1.41/images/${fullId}/json`,
    ]);
    expect(engine.calls()[1]?.query.get('force')).toBe('1');
  });

  it('save honours chunkSize whatever the engine chunks', async () => {
    // A real archive (the engine's reply must be a whole tar): 10,240 bytes.
    const bytes = await tarOf({ 'a.bin': Array.from({ length: 8000 }, (_, index) => String.fromCharCode(97 + ((index * 7) % 26))).join('') });
    const sizes = [1, 700, 3, 4096, 1500, 2];
    sizes.push(bytes.length - sizes.reduce((sum, size) => sum + size, 0));
    const chunks: Uint8Array[] = [];
    let offset = 0;
    for (const size of sizes) {
      chunks.push(bytes.subarray(offset, offset + size));
      offset += size;
    }
    const engine = imageEngine(chunks);
    const stream = await imageOf(engine).save({ chunkSize: 1024 });
    const received: Buffer[] = [];
    for await (const chunk of stream) received.push(chunk as Buffer);
    expect(received.every((chunk) => Buffer.isBuffer(chunk))).toBe(true);
    expect(received.map((chunk) => chunk.length)).toEqual([...Array<number>(Math.floor(bytes.length / 1024)).fill(1024), ...(bytes.length % 1024 === 0 ? [] : [bytes.length % 1024])]);
    expect(Buffer.concat(received)).toEqual(bytes);
    expect(decodeURIComponent(engine.calls()[0]?.path ?? '')).toBe(`/v1.41/images/${fullId}/get`);
  });

  it('save names the archive after the first tag, or a given tag', async () => {
    const engine = imageEngine([await tarOf({ x: 'x' })]);
    const image = imageOf(engine);
    await (await image.save({ named: true })).toArray();
    await (await image.save({ named: 'app:2' })).toArray();
    expect(engine.calls().map((call) => decodeURIComponent(call.path))).toEqual(['/v1.41/images/app:1/get', '/v1.41/images/app:2/get']);
  });

  it('save refuses a name that is not a tag of the image, and a bad chunkSize, before any request', async () => {
    const engine = imageEngine();
    const image = imageOf(engine);
    await expect(image.save({ named: 'app:3' })).rejects.toMatchObject({ name: 'InvalidArgumentError', argument: 'named' });
    await expect(image.save({ chunkSize: 0 })).rejects.toMatchObject({ name: 'InvalidArgumentError', argument: 'chunkSize' });
    expect(engine.seen).toEqual([]);
  });
});

describe('RegistryData', () => {
  const digest = 'sha256:641ef1af2c67fee18d6fa716feda5e8d1f73f5be958b0c516c32c017245e4a49';

  function registryEngine() {
    return fakeEngine((request) => {
      if (request.versionless.startsWith('/distribution/')) {
        return {
          body: JSON.stringify({
            Descriptor: { mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json', digest, size: 739 },
            Platforms: [
              { os: 'linux', architecture: 'amd64' },
              { os: 'linux', architecture: 'arm', variant: 'v7' },
              { architecture: 'amd64' },
            ],
          }),
        };
      }
      if (request.versionless === '/version') return { body: JSON.stringify({ Os: 'linux', Arch: 'arm' }) };
      if (request.versionless === '/images/create') return { body: readFixture('pull-up-to-date.jsonl') };
      return inspectReply(request.versionless);
    });
  }

  it('getRegistryData reads the descriptor and the platforms, with credentials', async () => {
    const engine = registryEngine();
    const data = await new ImageCollection({ client: engine.client }).getRegistryData('localhost:5000/app:1', {
      authConfig: { username: 'u', password: 'p' },
    });
    expect(data.id).toBe(digest);
    expect(data.platforms).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ]);
    const call = engine.calls()[0];
    expect(decodeURIComponent(call?.path ?? '')).toBe('/v1.41/distribution/localhost:5000/app:1/json');
    expect(decodeRegistryHeader(call?.headers['x-registry-auth'])).toEqual({ username: 'u', password: 'p' });
    await data.reload();
    expect(decodeRegistryHeader(engine.calls()[1]?.headers['x-registry-auth'])).toEqual({ username: 'u', password: 'p' });
  });

  it('hasPlatform matches strings and objects, filling gaps from /version once', async () => {
    const engine = registryEngine();
    const data = await new ImageCollection({ client: engine.client }).getRegistryData('localhost:5000/app:1');
    expect(await data.hasPlatform('linux/amd64')).toBe(true);
    expect(await data.hasPlatform('linux/arm64')).toBe(false);
    expect(await data.hasPlatform({ os: 'linux', architecture: 'armhf' })).toBe(true);
    expect(engine.calls().filter((call) => call.path.endsWith('/version'))).toHaveLength(0);
    // The engine is linux/arm: "linux" alone means linux/arm, which is offered as v7.
    expect(await data.hasPlatform('linux')).toBe(true);
    expect(await data.hasPlatform({ architecture: 'arm64' })).toBe(false);
    expect(engine.calls().filter((call) => call.path.endsWith('/version'))).toHaveLength(1);
  });

  it('hasPlatform refuses an invalid platform before any request', async () => {
    const engine = registryEngine();
    const data = await new ImageCollection({ client: engine.client }).getRegistryData('localhost:5000/app:1');
    const before = engine.calls().length;
    await expect(data.hasPlatform('linux/amd64/v1/extra')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(data.hasPlatform('not-a-platform')).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(engine.calls().length).toBe(before);
  });

  it('pull fetches exactly the digest', async () => {
    const engine = registryEngine();
    const data = await new ImageCollection({ client: engine.client }).getRegistryData('localhost:5000/app:1');
    const image = await data.pull({ platform: 'linux/amd64' });
    const create = engine.calls().find((call) => call.path.endsWith('/images/create'));
    expect(create?.query.get('fromImage')).toBe('localhost:5000/app');
    expect(create?.query.get('tag')).toBe(digest);
    expect(create?.query.get('platform')).toBe('linux/amd64');
    expect(image.id).toBe(idFor(`localhost:5000/app@${digest}`));
  });
});
