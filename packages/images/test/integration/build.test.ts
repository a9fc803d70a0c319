import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AbortedError, EngineError, InvalidArgumentError, UnsupportedEndpointError, type EngineClient } from '@berth/engine-protocol';
import { findTestEngine, uniqueName } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BuildError,
  buildOutputOf,
  ImageCollection,
  type BuildOptions,
  type BuildResult,
  type ProgressEvent,
  type ProgressOperation,
} from '../../src/index.js';
import { createTestClient } from '../support/client.js';
import { docker, dockerRemove } from '../support/docker-cli.js';
import { engineTraits, familiarTag, type EngineTraits } from '../support/engine-traits.js';
import { tarOf } from '../support/tar.js';

const engine = findTestEngine();

describe.runIf(engine)('build on the harness engine', () => {
  const harness = engine!;
  let client: EngineClient;
  let images: ImageCollection;
  let workspace: string;
  let emptyConfig: string;
  let traits: EngineTraits;
  const created: string[] = [];

  /** Labels the engine's builder adds on its own (Podman's Buildah names itself). */
  const builderLabels = (): Record<string, unknown> => (traits.kind === 'podman' ? { 'io.buildah.version': expect.any(String) } : {});

  /** A tag for this run; remembered for cleanup. */
  function tagFor(prefix: string, tag = 'latest'): string {
    const name = `${uniqueName(prefix)}:${tag}`;
    created.push(name);
    return name;
  }

  /** Remembers the image a build makes, for cleanup. */
  function trackBuild(operation: ProgressOperation<BuildResult>): ProgressOperation<BuildResult> {
    operation.then(
      (result) => created.push(result.image.id),
      () => undefined,
    );
    return operation;
  }

  /**
   * Builds with the suite's collection, remembering the image. This suite is the classic
   * builder's (BuildKit has test/integration/buildkit): `version: '1'` unless a test says
   * otherwise, since engines from 23 on default to BuildKit when `version` is left out.
   */
  function build(options: BuildOptions): ProgressOperation<BuildResult> {
    return trackBuild(images.build({ version: '1', ...options }));
  }

  /** Writes files under a fresh directory of the workspace. */
  async function directoryWith(files: Record<string, string>): Promise<string> {
    const directory = await mkdtemp(join(workspace, 'context-'));
    for (const [name, content] of Object.entries(files)) {
      await mkdir(join(directory, name, '..'), { recursive: true });
      await writeFile(join(directory, name), content);
    }
    return directory;
  }

  beforeAll(async () => {
    client = createTestClient(harness);
    workspace = await mkdtemp(join(tmpdir(), 'berth-images-build-'));
    emptyConfig = await mkdtemp(join(workspace, 'config-'));
    // An empty docker config, so that the proxies of whoever runs the tests do not leak in.
    images = new ImageCollection({ client, environment: { DOCKER_CONFIG: emptyConfig } });
    traits = await engineTraits(client, harness);
  });

  afterAll(async () => {
    await dockerRemove(harness, created);
    await rm(workspace, { recursive: true, force: true });
    await client?.close();
  });

  it('builds a directory with the classic builder, honouring .dockerignore', async () => {
    const context = await directoryWith({
      Dockerfile: `FROM ${harness.seedImage}\nCOPY . /context/\nRUN ls -a /context | sort | tr '\\n' ' '\n`,
      'kept.txt': 'kept',
      'ignored.txt': 'ignored',
      'logs/today.log': 'log',
      'logs/keep.log': 'keep',
      '.dockerignore': 'ignored.txt\nlogs\n!logs/keep.log\n',
    });
    const tag = tagFor('build-dir');
    const building = build({ path: context, tag, networkMode: 'none', version: '1', noCache: true });
    const streamed: ProgressEvent[] = [];
    for await (const event of building) streamed.push(event);
    const { image, log } = await building;
    expect(image.tags.map(familiarTag)).toEqual([tag]);
    expect(image.id).toBe(await docker(harness, ['image', 'inspect', '--format', '{{.Id}}', tag]));
    const output = buildOutputOf(log);
    expect(output).toContain('. .. .dockerignore Dockerfile kept.txt logs');
    expect(output).not.toContain('ignored.txt');
    expect(streamed.filter((event) => event.type === 'image-id')).toEqual([expect.objectContaining({ imageId: image.id })]);
    // The operation's log ends with the `complete` event that follows the result.
    expect([...log, { type: 'complete', raw: {} }]).toEqual(building.log);
  });

  it('builds with a Dockerfile outside the context, given relative to it', async () => {
    const context = await directoryWith({ 'data.txt': 'from the context' });
    const outside = await directoryWith({ 'Dockerfile.custom': `FROM ${harness.seedImage}\nCOPY data.txt /data.txt\nRUN cat /data.txt\n` });
    const { log } = await build({
      path: context,
      dockerfile: join('..', outside.slice(workspace.length + 1), 'Dockerfile.custom'),
      tag: tagFor('build-outside'),
      networkMode: 'none',
      noCache: true,
    });
    expect(buildOutputOf(log)).toContain('from the context');
  });

  it('passes build arguments, labels, multiple tags, and reports unused arguments as warnings', async () => {
    const context = await directoryWith({
      Dockerfile: `FROM ${harness.seedImage}\nARG GREETING=none\nLABEL greeting=$GREETING\nRUN echo "greeting=$GREETING"\n`,
    });
    const first = tagFor('build-args', 'one');
    const second = tagFor('build-args', 'two');
    const { image, log } = await build({
      path: context,
      tag: [first, second],
      buildArgs: { GREETING: 'hello', UNUSED: 'x' },
      labels: { 'berth.test': 'labels' },
      networkMode: 'none',
      noCache: true,
    });
    expect(buildOutputOf(log)).toContain('greeting=hello');
    expect(image.labels).toEqual({ greeting: 'hello', 'berth.test': 'labels', ...builderLabels() });
    expect(image.tags.map(familiarTag).sort()).toEqual([first, second].sort());
    expect(log.find((event) => event.type === 'warning')).toMatchObject({ text: expect.stringContaining('[UNUSED]') });
    expect(await docker(harness, ['image', 'inspect', '--format', '{{index .Config.Labels "greeting"}}', second])).toBe('hello');
  });

  it('stops at a target stage', async () => {
    const context = await directoryWith({
      Dockerfile: `FROM ${harness.seedImage} AS first\nLABEL stage=first\nFROM ${harness.seedImage} AS second\nLABEL stage=second\n`,
    });
    const { image } = await build({ path: context, target: 'first', tag: tagFor('build-target') });
    expect(image.labels['stage']).toBe('first');
  });

  it('rejects a failing step with a BuildError that carries the log and the exit code', async () => {
    const building = build({ file: `FROM ${harness.seedImage}\nRUN echo before-failure && exit 7\n`, networkMode: 'none', forceRemoveIntermediateContainers: true });
    const error = await building.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(BuildError);
    const failure = error as BuildError;
    expect(failure.output()).toContain('before-failure');
    if (traits.kind === 'podman') {
      // Podman (Buildah) sends no error code, only the message.
      expect(failure.engineCode).toBeUndefined();
      expect(failure.engineMessage).toContain('exit status 7');
      expect(failure.log.at(-1)).toMatchObject({ type: 'error', text: expect.stringContaining('exit status 7') });
    } else {
      expect(failure.engineCode).toBe(7);
      expect(failure.engineMessage).toContain('returned a non-zero code: 7');
      expect(failure.log.at(-1)).toMatchObject({ type: 'error', code: 7 });
    }
    expect(building.log).toEqual(failure.log);
  });

  it('builds a Dockerfile given as text or as a stream', async () => {
    const text = `FROM ${harness.seedImage}\nLABEL source=text\n`;
    expect((await build({ file: text, tag: tagFor('build-text') })).image.labels['source']).toBe('text');
    const stream = Readable.from([Buffer.from(`FROM ${harness.seedImage}\n`), Buffer.from('LABEL source=stream\n')]);
    expect((await build({ file: stream, gzip: true, tag: tagFor('build-stream') })).image.labels['source']).toBe('stream');
  });

  it('builds a ready context tar, plain or gzip, with a Dockerfile at another path', async () => {
    const files = {
      'docker/app.Dockerfile': `FROM ${harness.seedImage}\nCOPY message.txt /\nRUN cat /message.txt\n`,
      'message.txt': 'inside the tar',
    };
    for (const gzip of [false, true]) {
      const archive = await tarOf(files, { gzip });
      const { log } = await build({
        file: archive,
        customContext: true,
        ...(gzip ? { encoding: 'gzip' as const } : {}),
        dockerfile: 'docker/app.Dockerfile',
        networkMode: 'none',
        noCache: true,
        tag: tagFor(gzip ? 'build-gzip' : 'build-tar'),
      });
      expect(buildOutputOf(log)).toContain('inside the tar');
    }
  });

  it('builds a remote context the engine fetches over HTTP', async () => {
    const archive = await tarOf({ Dockerfile: `FROM ${harness.seedImage}\nLABEL source=remote\n` });
    const requests: string[] = [];
    const server: Server = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      response.writeHead(200, { 'Content-Type': 'application/x-tar' });
      response.end(archive);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const building = build({ remote: `http://127.0.0.1:${port}/context.tar`, tag: tagFor('build-remote') });
      if (traits.kind === 'podman') {
        // Podman 4.3 does not fetch a tar URL given as `remote`: it looks for the Dockerfile in
        // an empty context.
        await expect(building).rejects.toBeInstanceOf(BuildError);
        await expect(building).rejects.toMatchObject({ engineMessage: expect.stringContaining('Dockerfile: no such file or directory') });
        expect(requests).toEqual([]);
      } else {
        expect((await building).image.labels['source']).toBe('remote');
        expect(requests).toContain('GET /context.tar');
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('applies container limits, shared memory size and extra hosts to RUN steps', async () => {
    const options: BuildOptions = {
      file:
        `FROM ${harness.seedImage}\n` +
        'RUN (grep db.local /etc/hosts || true) && (cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max) && df -k /dev/shm | tail -1\n',
      containerLimits: { memory: 64 * 1024 * 1024, memorySwap: -1 },
      sharedMemorySize: 8 * 1024 * 1024,
      extraHosts: { 'db.local': '10.0.0.2' },
      networkMode: 'none',
      noCache: true,
    };
    if (traits.kind === 'podman') {
      // Podman 4.3 wants `extrahosts` as one JSON array where Docker takes repeated keys (the
      // CLI's form, which Berth sends): it answers 400 with no message.
      await expect(build(options)).rejects.toMatchObject({ status: 400 });
      await expect(build(options)).rejects.toBeInstanceOf(EngineError);
      const { extraHosts: _podmanRefusesThem, ...withoutHosts } = options;
      const { log } = await build(withoutHosts);
      expect(buildOutputOf(log)).toContain(String(64 * 1024 * 1024));
      expect(buildOutputOf(log)).toMatch(/\s8192\s/);
      return;
    }
    const { log } = await build(options);
    const output = buildOutputOf(log);
    expect(output).toMatch(/10\.0\.0\.2\s+db\.local/);
    expect(output).toContain(String(64 * 1024 * 1024));
    expect(output).toMatch(/\s8192\s/);
  });

  it('passes the proxy settings of the docker config as build arguments', async () => {
    const config = await mkdtemp(join(workspace, 'proxy-config-'));
    await writeFile(join(config, 'config.json'), JSON.stringify({ proxies: { default: { httpProxy: 'http://proxy.invalid:3128' } } }));
    const withProxy = new ImageCollection({ client, environment: { DOCKER_CONFIG: config } });
    const dockerfile = `FROM ${harness.seedImage}\nRUN echo "proxy=[$HTTP_PROXY] [$http_proxy]"\n`;
    const { log } = await trackBuild(withProxy.build({ file: dockerfile, networkMode: 'none', noCache: true, version: '1' }));
    expect(buildOutputOf(log)).toContain('proxy=[http://proxy.invalid:3128] [http://proxy.invalid:3128]');
    const without = await trackBuild(withProxy.build({ file: dockerfile, networkMode: 'none', noCache: true, useConfigProxy: false, version: '1' }));
    expect(buildOutputOf(without.log)).toContain('proxy=[] []');
  });

  it('finds the image of a quiet build and of a BuildKit build', async () => {
    const quiet = await build({ file: `FROM ${harness.seedImage}\nLABEL quiet=yes\n`, quiet: true, tag: tagFor('build-quiet') });
    expect(quiet.image.labels['quiet']).toBe('yes');
    // Docker prints `sha256:<hex>`, Podman the bare hex.
    expect(buildOutputOf(quiet.log).trim().replace(/^sha256:/, '')).toBe(quiet.image.id.replace(/^sha256:/, ''));

    const tag = tagFor('build-buildkit');
    const buildkitOptions: BuildOptions = {
      file: `FROM ${harness.seedImage}\nRUN echo "buildkit says $((6 * 7))"\nLABEL builder=buildkit\n`,
      version: '2',
      networkMode: 'none',
      noCache: true,
      tag,
    };
    if (traits.kind === 'podman') {
      // No BuildKit: refused before the context is sent (Podman would build with Buildah instead).
      await expect(build(buildkitOptions)).rejects.toMatchObject({ argument: 'version' });
      await expect(build(buildkitOptions)).rejects.toBeInstanceOf(InvalidArgumentError);
      return;
    }
    const buildkit: BuildResult = await build(buildkitOptions);
    expect(buildkit.image.labels['builder']).toBe('buildkit');
    expect(buildkit.image.tags).toEqual([tag]);
    expect(buildOutputOf(buildkit.log)).toContain('buildkit says 42');
    const steps = buildkit.log.flatMap((event) => (event.type === 'buildkit-status' ? event.status.vertexes.map((vertex) => vertex.name) : []));
    expect(steps).toContain('[2/2] RUN echo "buildkit says $((6 * 7))"');
  });

  it('rejects a failing BuildKit build with the step output', async () => {
    if (traits.kind === 'podman') {
      const refused = images.build({ file: `FROM ${harness.seedImage}\nRUN exit 4\n`, version: '2', networkMode: 'none' });
      await expect(refused).rejects.toBeInstanceOf(InvalidArgumentError);
      return;
    }
    const failure = await images
      .build({ file: `FROM ${harness.seedImage}\nRUN echo buildkit-failure && exit 4\n`, version: '2', networkMode: 'none', forceRemoveIntermediateContainers: true })
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );
    expect(failure).toBeInstanceOf(BuildError);
    expect((failure as BuildError).output()).toContain('buildkit-failure');
    expect((failure as BuildError).engineMessage).toContain('exit code: 4');
  });

  it('cancels a build through its signal', async () => {
    const controller = new AbortController();
    const building = build({
      file: `FROM ${harness.seedImage}\nRUN echo started && sleep 30\n`,
      networkMode: 'none',
      noCache: true,
      forceRemoveIntermediateContainers: true,
      signal: controller.signal,
    });
    for await (const event of building) {
      if (event.type === 'output' && event.text.includes('started')) break;
    }
    const started = Date.now();
    controller.abort();
    await expect(building).rejects.toBeInstanceOf(AbortedError);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(buildOutputOf(building.log)).toContain('started');
  });

  it('refuses a missing context directory before any build request', async () => {
    await expect(build({ path: join(workspace, 'does-not-exist') })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('prunes the build cache', async () => {
    if (traits.kind === 'podman') {
      // Podman has no /build/prune: a typed error, not a NotFoundError ("no such image").
      const pruning = images.pruneBuilds({ all: true });
      await expect(pruning).rejects.toBeInstanceOf(UnsupportedEndpointError);
      await expect(pruning).rejects.toMatchObject({ code: 'BERTH_UNSUPPORTED_ENDPOINT', status: 404, method: 'POST' });
      return;
    }
    // The BuildKit build above left cache records.
    const result = await images.pruneBuilds({ all: true });
    expect(Array.isArray(result.CachesDeleted)).toBe(true);
    expect(result.CachesDeleted?.length).toBeGreaterThan(0);
    expect(result.SpaceReclaimed).toBeGreaterThanOrEqual(0);
    const again = await images.pruneBuilds({ all: true, keepStorage: 0 });
    expect(typeof again.SpaceReclaimed).toBe('number');
  });
});
