import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildError, ImageCollection, readProxyBuildArguments, type BuildOptions } from '../../src/index.js';
import { decodeRegistryHeader, fakeEngine, type FakeReply, type SeenRequest } from './support/fake-engine.js';
import { readFixture, toBody } from './support/fixtures.js';
import { inspectReply } from './support/inspect.js';
import { entriesOf } from '../support/tar.js';

const contextTar = Buffer.from('pretend this is a tar: the fake engine does not unpack it');
const builtId = 'sha256:b9a7eb81c31e1f8ad96039dd49d92bc60207be1a49cd511655fc73e3dca40aa5';

function buildEngine(reply: FakeReply = { body: readFixture('build-classic.jsonl') }) {
  return fakeEngine((request) => (request.versionless === '/build' ? reply : inspectReply(request.versionless)));
}

function buildCall(calls: SeenRequest[]): SeenRequest {
  const call = calls.find((request) => request.path.endsWith('/build'));
  if (call === undefined) throw new Error('no build request');
  return call;
}

let emptyConfig: string;
beforeAll(async () => {
  emptyConfig = await mkdtemp(join(tmpdir(), 'berth-images-config-'));
});
afterAll(async () => {
  await rm(emptyConfig, { recursive: true, force: true });
});

function collection(engine: ReturnType<typeof buildEngine>, configDirectory = emptyConfig, credentials?: ConstructorParameters<typeof ImageCollection>[0]['credentials']) {
  return new ImageCollection({ client: engine.client, environment: { DOCKER_CONFIG: configDirectory }, ...(credentials ? { credentials } : {}) });
}

describe('ImageCollection.build with a ready context', () => {
  it('sends every option under its wire name and resolves to the image and the log', async () => {
    const engine = buildEngine();
    const options: BuildOptions = {
      file: contextTar,
      customContext: true,
      encoding: 'gzip',
      dockerfile: 'build/Dockerfile',
      tag: ['app:1', 'app:latest'],
      quiet: false,
      noCache: true,
      removeIntermediateContainers: true,
      forceRemoveIntermediateContainers: false,
      pull: true,
      buildArgs: { SIZE: '2' },
      containerLimits: { memory: 64 * 1024 * 1024, memorySwap: -1, cpuShares: 512, cpusetCpus: '0', cpuPeriod: 100000, cpuQuota: 50000 },
      sharedMemorySize: 1024 * 1024,
      labels: { team: 'core' },
      cacheFrom: ['app:0'],
      target: 'final',
      networkMode: 'none',
      squash: false,
      extraHosts: { 'db.local': '10.0.0.2' },
      platform: 'linux/amd64',
      isolation: 'default',
      version: '1',
    };
    const result = await collection(engine).build(options);
    const call = buildCall(engine.calls());
    expect(call.method).toBe('POST');
    expect(call.body).toEqual(contextTar);
    expect(call.headers['content-type']).toBe('application/x-tar');
    const query = Object.fromEntries([...new Set(call.query.keys())].map((key) => [key, call.query.getAll(key)]));
    expect(query).toEqual({
      dockerfile: ['build/Dockerfile'],
      t: ['app:1', 'app:latest'],
      extrahosts: ['db.local:10.0.0.2'],
      q: ['0'],
      nocache: ['1'],
      cachefrom: ['["app:0"]'],
      pull: ['1'],
      rm: ['1'],
      forcerm: ['0'],
      memory: [String(64 * 1024 * 1024)],
      memswap: ['-1'],
      cpushares: ['512'],
      cpusetcpus: ['0'],
      cpuperiod: ['100000'],
      cpuquota: ['50000'],
      buildargs: ['{"SIZE":"2"}'],
      shmsize: [String(1024 * 1024)],
      squash: ['0'],
      labels: ['{"team":"core"}'],
      networkmode: ['none'],
      platform: ['linux/amd64'],
      target: ['final'],
      version: ['1'],
      isolation: ['default'],
    });
    expect(result.image.id).toBe(builtId);
    expect(result.log.some((event) => event.type === 'warning')).toBe(true);
    expect(result.log.filter((event) => event.type === 'image-id')).toHaveLength(1);
  });

  it('takes the context as a web stream or an async iterable', async () => {
    for (const file of [
      new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(contextTar.subarray(0, 10));
          controller.enqueue(contextTar.subarray(10));
          controller.close();
        },
      }),
      (async function* () {
        yield contextTar.subarray(0, 5);
        yield contextTar.subarray(5);
      })(),
      Readable.from([contextTar]),
    ]) {
      const engine = buildEngine();
      await collection(engine).build({ file, customContext: true });
      expect(buildCall(engine.calls()).body).toEqual(contextTar);
    }
  });

  it('builds from a remote URL without a body, also given as path', async () => {
    for (const options of [{ remote: 'https://example.com/app.git#main' }, { path: 'https://example.com/app.git#main' }]) {
      const engine = buildEngine();
      await collection(engine).build(options);
      const call = buildCall(engine.calls());
      expect(call.query.get('remote')).toBe('https://example.com/app.git#main');
      expect(call.body).toBeUndefined();
    }
  });

  it('rejects a failing build with a BuildError that carries the log', async () => {
    const engine = buildEngine({ body: readFixture('build-failing.jsonl') });
    const building = collection(engine).build({ file: contextTar, customContext: true });
    const error = await building.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(BuildError);
    const buildError = error as BuildError;
    expect(buildError.engineCode).toBe(3);
    expect(buildError.engineMessage).toBe("The command '/bin/sh -c echo before && exit 3' returned a non-zero code: 3");
    expect(buildError.output()).toContain('before\n');
    expect(buildError.log.at(-1)).toMatchObject({ type: 'error', code: 3 });
    expect(building.log).toEqual(buildError.log);
    // No inspect after a failure.
    expect(engine.calls()).toHaveLength(1);
  });

  it('rejects a failing BuildKit build with its step output', async () => {
    const engine = buildEngine({ body: readFixture('build-buildkit-failing.jsonl') });
    const failure = await collection(engine)
      .build({ file: contextTar, customContext: true, version: '2' })
      .then(
        () => undefined,
        (reason: unknown) => reason as BuildError,
      );
    expect(failure).toBeInstanceOf(BuildError);
    expect(failure?.output()).toBe('before\n');
    expect(failure?.engineCode).toBeUndefined();
    expect(failure?.step).toEqual({ name: '[2/2] RUN echo before && exit 3', lastLines: ['before'] });
    expect(failure?.shortMessage).toContain('at [2/2] RUN echo before && exit 3');
    expect(failure?.message).toContain('Last output of the step:\n  before');
    expect(failure?.log.filter((event) => event.type === 'buildkit-status').length).toBeGreaterThan(5);
  });

  it('rejects a build that reports no image id', async () => {
    const engine = buildEngine({ body: toBody([{ stream: 'Step 1/1 : FROM scratch\n' }]) });
    await expect(collection(engine).build({ file: contextTar, customContext: true })).rejects.toMatchObject({
      name: 'BuildError',
      shortMessage: 'The build ended without reporting an image id.',
    });
  });

  it('finds the image of a quiet build and of a BuildKit build', async () => {
    for (const [fixture, id] of [
      ['build-quiet.jsonl', 'sha256:889af68c6457dd347183d47eae82a385f86cc36b6eb5aecee4dfb33233da4d41'],
      ['build-buildkit.jsonl', 'sha256:e7abeef662f7131b5d1bd628be373b0ede86bff97c0a9a578bba61d05d60fa49'],
    ] as const) {
      const engine = buildEngine({ body: readFixture(fixture) });
      const { image } = await collection(engine).build({ file: contextTar, customContext: true });
      expect(image.id).toBe(id);
    }
  });
});

describe('ImageCollection.build packs local sources', () => {
  it('packs a directory, with a Dockerfile path relative to the context', async () => {
    const context = await mkdtemp(join(tmpdir(), 'berth-images-context-'));
    try {
      await mkdir(join(context, 'docker'));
      await writeFile(join(context, 'docker', 'app.Dockerfile'), 'FROM scratch\n');
      await writeFile(join(context, 'data.txt'), 'data');
      await writeFile(join(context, '.dockerignore'), 'secret.txt\n');
      await writeFile(join(context, 'secret.txt'), 'do not send');
      const engine = buildEngine();
      await collection(engine).build({ path: context, dockerfile: 'docker/app.Dockerfile' });
      const call = buildCall(engine.calls());
      expect(call.query.get('dockerfile')).toBe('docker/app.Dockerfile');
      const entries = await entriesOf(Readable.from([call.body ?? Buffer.alloc(0)]));
      expect([...entries.keys()].sort()).toEqual(['.dockerignore', 'data.txt', 'docker/', 'docker/app.Dockerfile'].sort());
    } finally {
      await rm(context, { recursive: true, force: true });
    }
  });

  it('packs a Dockerfile given as text into a one-file context, gzip on request', async () => {
    const engine = buildEngine();
    await collection(engine).build({ file: 'FROM scratch\nLABEL a=b\n', gzip: true });
    const call = buildCall(engine.calls());
    expect(call.query.get('dockerfile')).toBe('Dockerfile');
    const body = call.body ?? Buffer.alloc(0);
    expect([body[0], body[1]]).toEqual([0x1f, 0x8b]);
    const entries = await entriesOf(Readable.from([gunzipSync(body)]));
    expect(entries.get('Dockerfile')?.toString('utf8')).toBe('FROM scratch\nLABEL a=b\n');
  });
});

describe('ImageCollection.build refuses bad options before any request', () => {
  const cases: [string, BuildOptions][] = [
    ['no source', {}],
    ['two sources', { path: '/tmp', remote: 'https://example.com/x.git' }],
    ['customContext without file', { path: '/tmp', customContext: true }],
    ['encoding without customContext', { file: 'FROM scratch', encoding: 'gzip' }],
    ['gzip of a ready context', { file: contextTar, customContext: true, gzip: true }],
    ['gzip of a remote context', { remote: 'https://example.com/x.git', gzip: true }],
    ['dockerfile with a Dockerfile file', { file: 'FROM scratch', dockerfile: 'other' }],
    ['a string as customContext', { file: 'FROM scratch', customContext: true }],
  ];
  for (const [name, options] of cases) {
    it(name, async () => {
      const engine = buildEngine();
      await expect(collection(engine).build(options)).rejects.toBeInstanceOf(InvalidArgumentError);
      expect(engine.seen).toEqual([]);
    });
  }

  it('an unknown container limit or a malformed extra host', async () => {
    const engine = buildEngine();
    const images = collection(engine);
    await expect(
      images.build({ file: contextTar, customContext: true, containerLimits: { memory: 1, swappiness: 1 } as never }),
    ).rejects.toMatchObject({ argument: 'containerLimits' });
    await expect(images.build({ file: contextTar, customContext: true, extraHosts: ['no-address'] })).rejects.toMatchObject({
      argument: 'extraHosts',
    });
    expect(engine.calls()).toEqual([]);
  });

  it('an invalid platform, before the context is read', async () => {
    const engine = buildEngine();
    let read = false;
    const file = new Readable({
      read() {
        read = true;
        this.push(null);
      },
    });
    await expect(collection(engine).build({ file, customContext: true, platform: 'linux/amd64/v8/extra' })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(engine.calls()).toEqual([]);
    expect(read).toBe(false);
  });
});

describe('ImageCollection.build credentials and proxies', () => {
  it('sends X-Registry-Config with every credential of the provider; explicit authConfigs win', async () => {
    const provider = {
      forReference: async () => undefined,
      all: async () => ({ 'registry.example.com': { username: 'ci', password: 'secret' } }),
    };
    const engine = buildEngine();
    const images = collection(engine, emptyConfig, provider);
    await images.build({ file: contextTar, customContext: true });
    expect(decodeRegistryHeader(buildCall(engine.calls()).headers['x-registry-config'])).toEqual({
      'registry.example.com': { username: 'ci', password: 'secret' },
    });
    const explicitEngine = buildEngine();
    await collection(explicitEngine, emptyConfig, provider).build({
      file: contextTar,
      customContext: true,
      authConfigs: { 'other.example.com': { username: 'me', password: 'pw' } },
    });
    expect(decodeRegistryHeader(buildCall(explicitEngine.calls()).headers['x-registry-config'])).toEqual({
      'other.example.com': { username: 'me', password: 'pw' },
    });
  });

  it('adds the proxy settings of config.json as build arguments unless told not to; buildArgs win', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'berth-images-proxy-'));
    try {
      await writeFile(
        join(directory, 'config.json'),
        JSON.stringify({ proxies: { default: { httpProxy: 'http://proxy:3128', noProxy: 'localhost', ftpProxy: '' } } }),
      );
      const engine = buildEngine();
      await collection(engine, directory).build({ file: contextTar, customContext: true, buildArgs: { http_proxy: 'http://mine:1' } });
      expect(JSON.parse(buildCall(engine.calls()).query.get('buildargs') ?? '')).toEqual({
        HTTP_PROXY: 'http://proxy:3128',
        http_proxy: 'http://mine:1',
        NO_PROXY: 'localhost',
        no_proxy: 'localhost',
      });
      const without = buildEngine();
      await collection(without, directory).build({ file: contextTar, customContext: true, useConfigProxy: false });
      expect(buildCall(without.calls()).query.has('buildargs')).toBe(false);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('reads no proxies when there is no config file, and refuses a config that is not JSON', async () => {
    expect(await readProxyBuildArguments({ environment: { DOCKER_CONFIG: emptyConfig } })).toEqual({});
    const directory = await mkdtemp(join(tmpdir(), 'berth-images-badconfig-'));
    try {
      await writeFile(join(directory, 'config.json'), '{ not json');
      await expect(readProxyBuildArguments({ environment: { DOCKER_CONFIG: directory } })).rejects.toBeInstanceOf(InvalidArgumentError);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('falls back to $HOME/.docker/config.json', async () => {
    const home = await mkdtemp(join(tmpdir(), 'berth-images-home-'));
    try {
      await import('node:fs/promises').then(({ mkdir }) => mkdir(join(home, '.docker')));
      await writeFile(join(home, '.docker', 'config.json'), JSON.stringify({ proxies: { default: { httpsProxy: 'http://p:1', allProxy: 'socks5://p:2' } } }));
      expect(await readProxyBuildArguments({ environment: { HOME: home } })).toEqual({
        HTTPS_PROXY: 'http://p:1',
        https_proxy: 'http://p:1',
        ALL_PROXY: 'socks5://p:2',
        all_proxy: 'socks5://p:2',
      });
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
