import { describe, expect, it } from 'vitest';
import {
  buildImage,
  createEngineClient,
  deleteImage,
  imageBuildEndpoint,
  imageInspectEndpoint,
  InvalidArgumentError,
  inspectImage,
  listImages,
  loadImages,
  pullImage,
  saveImages,
  tagImage,
} from '../../../src/index.js';
import {
  buildRequest,
  encodeFilters,
  formatPlatformJson,
  formatPlatformString,
  MAX_TIMEOUT,
  resolveMilliseconds,
  resolveTimeout,
} from '../../../src/internal.js';
import { mockTransport } from '../support/mock-transport.js';
import { startLoopbackEngine } from '../support/loopback-engine.js';

function refused(action: () => unknown, argument: string): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidArgumentError);
  expect((caught as InvalidArgumentError).argument).toBe(argument);
}

async function refusedAsync(action: () => Promise<unknown>, argument: string): Promise<void> {
  const caught = await action().then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(caught).toBeInstanceOf(InvalidArgumentError);
  expect((caught as InvalidArgumentError).argument).toBe(argument);
}

const apiVersion = '1.45';

describe('path parameters with path tricks (issue 8, failure 1)', () => {
  it.each(['..', '.', 'a/../../b', './busybox', '../x', 'a/./b', '/etc', 'a//b', 'busybox/', 'x\u0000y', 'x\ny'])('refuses %j before sending', async (name) => {
    refused(() => buildRequest(imageInspectEndpoint, { name }, { apiVersion }), 'name');
    const transport = mockTransport();
    const client = createEngineClient({ transport, environment: {} });
    await refusedAsync(() => inspectImage(client, { name }), 'name');
    await refusedAsync(() => deleteImage(client, { name }), 'name');
    await refusedAsync(() => tagImage(client, { name, repo: 'x' }), 'name');
    // Not even the negotiation's ping went out.
    expect(transport.seen).toEqual([]);
  });

  it.each(['busybox', 'localhost:5000/team/app:v1', 'app@sha256:' + 'a'.repeat(64), 'sha256:' + 'b'.repeat(64), 'a..b', '...x'])('sends %j URL-encoded', (name) => {
    const request = buildRequest(imageInspectEndpoint, { name }, { apiVersion });
    expect(request.path).toBe(`/v1.45/images/${encodeURIComponent(name)}/json`);
  });
});

describe('values JSON cannot carry (issue 8, failure 8)', () => {
  const circular: Record<string, unknown> = { a: 'b' };
  circular['self'] = circular;

  it('refuses circular and BigInt filters with InvalidArgumentError naming filters', async () => {
    refused(() => encodeFilters({ label: circular as never }), 'filters');
    refused(() => encodeFilters({ since: 1n as never }), 'filters');
    refused(() => encodeFilters({ label: [{}] as never }), 'filters');
    refused(() => encodeFilters(null as never), 'filters');
    const client = createEngineClient({ transport: mockTransport(), apiVersion, environment: {} });
    await refusedAsync(() => listImages(client, { filters: { dangling: 1n as never } }), 'filters');
  });

  it('refuses circular and BigInt build arguments, labels and other JSON parameters', async () => {
    refused(() => buildRequest(imageBuildEndpoint, { buildargs: circular }, { apiVersion }), 'buildargs');
    refused(() => buildRequest(imageBuildEndpoint, { labels: { size: 10n } }, { apiVersion }), 'labels');
    const client = createEngineClient({ transport: mockTransport(), apiVersion, environment: {} });
    await refusedAsync(() => buildImage(client, { buildargs: { n: 1n } as never }), 'buildargs');
  });

  it('refuses credentials that are not an object of strings (the daemon would go anonymous)', async () => {
    const client = createEngineClient({ transport: mockTransport(), apiVersion, environment: {} });
    await refusedAsync(() => pullImage(client, { fromImage: 'x', tag: 'latest', authConfig: 'token' as never }), 'authConfig');
    await refusedAsync(() => pullImage(client, { fromImage: 'x', tag: 'latest', authConfig: { username: 'me', password: 1 } as never }), 'authConfig.password');
    await refusedAsync(() => pullImage(client, { fromImage: 'x', tag: 'latest', authConfig: { user: 'me' } as never }), 'authConfig');
    const error = await pullImage(client, { fromImage: 'x', tag: 'latest', authConfig: 'hunter2-token' as never }).catch((caught: unknown) => caught);
    expect(String(error)).not.toContain('hunter2-token');
  });
});

describe('platforms', () => {
  it('refuses null, non-objects, an empty os and a variant without architecture instead of dropping them', () => {
    refused(() => formatPlatformJson(null as never), 'platform');
    refused(() => formatPlatformJson(42 as never), 'platform');
    refused(() => formatPlatformString(undefined as never), 'platform');
    refused(() => formatPlatformJson({ os: '' }), 'platform');
    refused(() => formatPlatformString({ os: '', architecture: 'arm64' }), 'platform');
    refused(() => formatPlatformString({ os: 'linux', variant: 'v8' }), 'platform');
    refused(() => formatPlatformJson({ os: 'linux', architecture: 'arm 64' }), 'platform');
    refused(() => formatPlatformJson({ os: 'linux', 'os.features': 'sse4' as never }), 'platform');
  });

  it('formats valid ones as before', () => {
    expect(formatPlatformString({ os: 'linux', architecture: 'arm64', variant: 'v8' })).toBe('linux/arm64/v8');
    expect(formatPlatformString({ os: 'linux', architecture: '' })).toBe('linux');
    expect(formatPlatformJson('linux/arm64')).toBe('{"os":"linux","architecture":"arm64"}');
    expect(formatPlatformJson({ os: 'windows', architecture: 'amd64', 'os.version': '10.0.1' })).toBe(
      '{"os":"windows","architecture":"amd64","os.version":"10.0.1"}',
    );
  });
});

describe('call options and parameters', () => {
  const client = () => createEngineClient({ transport: mockTransport(), apiVersion, environment: {} });

  it('refuses a signal that is not an AbortSignal, and options that are not an object', async () => {
    await refusedAsync(() => listImages(client(), {}, { signal: 'stop' as never }), 'signal');
    await refusedAsync(() => listImages(client(), {}, { signal: {} as never }), 'signal');
    await refusedAsync(() => listImages(client(), {}, 5 as never), 'options');
    await refusedAsync(() => client().apiVersion({ signal: 1 as never }), 'signal');
  });

  it('accepts an AbortSignal from another realm (duck-typed)', async () => {
    const foreign = { aborted: false, reason: undefined, addEventListener: () => undefined, removeEventListener: () => undefined };
    const transport = mockTransport((request) => (request.path.endsWith('/images/json') ? { body: '[]' } : undefined));
    const ok = createEngineClient({ transport, apiVersion, environment: {} });
    await expect(listImages(ok, {}, { signal: foreign as unknown as AbortSignal })).resolves.toEqual([]);
  });

  it('refuses parameters that are not an object, and bodies that are not bytes or streams', async () => {
    await refusedAsync(() => listImages(client(), null as never), 'parameters');
    await refusedAsync(() => inspectImage(client(), 'busybox' as never), 'parameters');
    await refusedAsync(() => saveImages(client(), null as never), 'parameters');
    await refusedAsync(() => saveImages(client(), { names: 42 as never }), 'names');
    await refusedAsync(() => loadImages(client(), { body: 'archive.tar' as never }), 'body');
    await refusedAsync(() => loadImages(client(), { body: {} as never }), 'body');
    await refusedAsync(() => buildImage(client(), null as never), 'parameters');
  });
});

describe('timeouts (issue 8, failure 4)', () => {
  it('accepts 1 to 2^31-1 ms, and 0 / Infinity / undefined as no deadline', () => {
    expect(resolveTimeout(1, 'timeout')).toBe(1);
    expect(resolveTimeout(MAX_TIMEOUT, 'timeout')).toBe(MAX_TIMEOUT);
    expect(resolveTimeout(2.5, 'timeout')).toBe(2.5);
    expect(resolveTimeout(0, 'timeout')).toBeUndefined();
    expect(resolveTimeout(Infinity, 'timeout')).toBeUndefined();
    expect(resolveTimeout(undefined, 'timeout')).toBeUndefined();
  });

  it.each([MAX_TIMEOUT + 1, 2 ** 40, -1, -Infinity, Number.NaN, '5000', null, 1n])('refuses %s', async (value) => {
    refused(() => resolveTimeout(value, 'timeout'), 'timeout');
    await refusedAsync(() => listImages(createEngineClient({ transport: mockTransport(), apiVersion, environment: {} }), {}, { timeout: value as never }), 'timeout');
  });

  it('the longest timeout accepted is a real deadline: it does not overflow the timer and fire at once', async () => {
    // A timer above 2^31 - 1 ms fires after 1 ms (TimeoutOverflowWarning): the reply, 50 ms away,
    // would lose to it. (Refusing a value above the limit is checked above.)
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.name);
    };
    process.on('warning', onWarning);
    const engine = await startLoopbackEngine((request, response) => {
      if (request.url?.startsWith('/v1.45/images/json') !== true) return;
      setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end('[]'), 50);
    });
    try {
      await expect(listImages(engine.client, {}, { timeout: MAX_TIMEOUT })).resolves.toEqual([]);
      expect(warnings).not.toContain('TimeoutOverflowWarning');
    } finally {
      process.off('warning', onWarning);
      await engine.client.close();
      await engine.stop();
    }
  });

  it('checks whole-millisecond settings of transports', () => {
    expect(resolveMilliseconds(undefined, 'connectTimeout', 10_000)).toBe(10_000);
    expect(resolveMilliseconds(500, 'connectTimeout', 10_000)).toBe(500);
    for (const value of [0, -5, 0.5, Number.NaN, MAX_TIMEOUT + 1, Infinity]) refused(() => resolveMilliseconds(value, 'keepAliveTimeout', 1), 'keepAliveTimeout');
  });
});
