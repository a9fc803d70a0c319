import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ApiVersionError,
  checkRegistryAuth,
  createEngineClient,
  deleteImage,
  EngineError,
  getImageHistory,
  getVersion,
  inspectImage,
  listImages,
  pullImage,
  searchImages,
  tagImage,
  UnexpectedReplyError,
} from '../../../src/index.js';
import { mockTransport, type CannedReply } from '../support/mock-transport.js';
import { outcomeOf } from '@berth/test-engine';
import { startLoopbackEngine } from '../support/loopback-engine.js';

const clientAnswering = (reply: CannedReply) =>
  createEngineClient({ transport: mockTransport((request) => (request.path === '/_ping' ? undefined : reply)), environment: {} });

describe('statuses other than the documented success (issue 8, failure 1)', () => {
  it('turns a redirect into an EngineError and never follows it', async () => {
    const engine = await startLoopbackEngine((request, response) => {
      if (request.url === '/_ping') return undefined;
      if (request.url?.startsWith('/elsewhere')) {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"Id":"sha256:wrong","Status":"Login Succeeded"}');
        return true;
      }
      response.writeHead(request.url?.includes('/auth') ? 307 : 301, { location: 'http://user:pw@127.0.0.1/elsewhere' }).end('<a href="/elsewhere">Moved</a>');
      return true;
    }, { apiVersion: '1.45' });
    try {
      const calls = [
        inspectImage(engine.client, { name: 'busybox' }),
        tagImage(engine.client, { name: 'busybox', repo: 'other' }),
        deleteImage(engine.client, { name: 'busybox' }),
        checkRegistryAuth(engine.client, { authConfig: { username: 'me', password: 'hunter2' } }),
        pullImage(engine.client, { fromImage: 'busybox', tag: 'latest' }),
      ];
      for (const outcome of await Promise.all(calls.map(outcomeOf))) {
        expect(outcome.error).toBeInstanceOf(EngineError);
        const error = outcome.error as EngineError;
        expect([301, 307]).toContain(error.status);
        expect(error.engineMessage).toContain('never follows');
        expect(error.message).not.toContain('user:pw');
      }
      expect(engine.seen.filter((line) => line.includes('/elsewhere'))).toEqual([]);
    } finally {
      await engine.client.close();
      await engine.stop();
    }
  });

  it('refuses a 2xx the endpoint does not document (a tag answered 200 instead of 201)', async () => {
    const error = await tagImage(clientAnswering({ status: 200 }), { name: 'a', repo: 'b' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).status).toBe(200);
    await expect(tagImage(clientAnswering({ status: 201 }), { name: 'a', repo: 'b' })).resolves.toBeUndefined();
  });

  it('a login succeeds only on 200 with a Status, or the documented 204', async () => {
    const authConfig = { username: 'me', password: 'hunter2' };
    await expect(checkRegistryAuth(clientAnswering({ body: '{"Status":"Login Succeeded"}' }), { authConfig })).resolves.toEqual({ Status: 'Login Succeeded' });
    await expect(checkRegistryAuth(clientAnswering({ status: 204, body: '' }), { authConfig })).resolves.toBeUndefined();
    for (const reply of [{ body: '' }, { body: '{}' }, { body: 'null' }, { status: 202, body: '{"Status":"x"}' }]) {
      const error = await checkRegistryAuth(clientAnswering(reply), { authConfig }).catch((caught: unknown) => caught);
      expect(error instanceof UnexpectedReplyError || error instanceof EngineError).toBe(true);
    }
  });
});

describe('wrong-shape JSON replies (issue 8, failure 5)', () => {
  it.each([
    ['a list reply that is an object', () => listImages(clientAnswering({ body: '{"Id":"x"}' })), 'ImageList', 'BERTH_REPLY_SHAPE'],
    ['a list element without Id', () => listImages(clientAnswering({ body: '[{"RepoTags":[]}]' })), 'ImageList', 'BERTH_REPLY_SHAPE'],
    ['an inspect reply that is null', () => inspectImage(clientAnswering({ body: 'null' }), { name: 'x' }), 'ImageInspect', 'BERTH_REPLY_SHAPE'],
    ['an inspect reply that is empty', () => inspectImage(clientAnswering({ body: '' }), { name: 'x' }), 'ImageInspect', 'BERTH_REPLY_EMPTY'],
    ['an inspect reply that is a list', () => inspectImage(clientAnswering({ body: '[]' }), { name: 'x' }), 'ImageInspect', 'BERTH_REPLY_SHAPE'],
    ['a history that is a string', () => getImageHistory(clientAnswering({ body: '"x"' }), { name: 'x' }), 'ImageHistory', 'BERTH_REPLY_SHAPE'],
    ['a search result that is an object', () => searchImages(clientAnswering({ body: '{}' }), { term: 'x' }), 'ImageSearch', 'BERTH_REPLY_SHAPE'],
    ['a version that is a number', () => getVersion(clientAnswering({ body: '42' })), 'SystemVersion', 'BERTH_REPLY_SHAPE'],
    ['a truncated reply', () => listImages(clientAnswering({ body: '[{"Id":"sha256:' })), 'ImageList', 'BERTH_REPLY_NOT_JSON'],
  ])('%s is an UnexpectedReplyError naming the endpoint', async (_name, call, endpoint, code) => {
    const error = await call().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnexpectedReplyError);
    expect((error as UnexpectedReplyError).endpoint).toBe(endpoint);
    expect((error as UnexpectedReplyError).reason).toBe(code);
    expect((error as Error).message).toContain(endpoint === 'ImageList' ? '/images/json' : '/v1.45/');
  });

  it('keeps a well-formed reply out of the error (it may hold a token)', async () => {
    const error = await checkRegistryAuth(clientAnswering({ body: '{"IdentityToken":"tok-secret-123"}' }), {
      authConfig: { username: 'me', password: 'pw' },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnexpectedReplyError);
    expect(`${String(error)}|${JSON.stringify(error)}`).not.toContain('tok-secret-123');
  });

  it.each([
    ['cut inside the token', '{"Status":"Login Succeeded","IdentityToken":"tok-secret-123'],
    ['with an unquoted token', '{"Status":"Login Succeeded","IdentityToken":tok-secret-123}'],
    ['that is only the token', 'tok-secret-123'],
  ])('keeps a login reply that is not JSON out of the error too, %s (review 1: excerpt and SyntaxError)', async (_name, body) => {
    const error = await checkRegistryAuth(clientAnswering({ body }), { authConfig: { username: 'me', password: 'pw' } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnexpectedReplyError);
    expect((error as UnexpectedReplyError).reason).toBe('BERTH_REPLY_NOT_JSON');
    expect((error as UnexpectedReplyError).message).toMatch(/line 1, column \d+/);
    const rendered = `${String(error)}|${JSON.stringify(error)}|${inspect(error, { depth: 10 })}|${(error as Error).stack}`;
    expect(rendered).not.toContain('tok-secret');
    // Endpoints whose replies hold no secrets keep the excerpt that helps to debug a proxy's page.
    const other = await listImages(clientAnswering({ body: 'Bad Gateway from a proxy' })).catch((caught: unknown) => caught);
    expect((other as UnexpectedReplyError).excerpt).toBe('Bad Gateway from a proxy');
  });

  it('refuses a reply larger than maxReplyBytes without reading the rest', async () => {
    const engine = await startLoopbackEngine((request, response) => {
      if (!request.url?.includes('/images/json')) return undefined;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('[');
      const more = (): void => {
        while (response.write(`{"Id":"${'x'.repeat(1000)}"},`)) {
          if (response.destroyed) return;
        }
        response.once('drain', more);
      };
      more();
      return true;
    }, { apiVersion: '1.45', maxReplyBytes: 1024 * 1024 });
    try {
      const error = await listImages(engine.client).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(UnexpectedReplyError);
      expect((error as UnexpectedReplyError).reason).toBe('BERTH_REPLY_TOO_LARGE');
    } finally {
      await engine.client.close();
      await engine.stop();
    }
  });

  it('refuses a nonsense maxReplyBytes', () => {
    expect(() => createEngineClient({ transport: mockTransport(), maxReplyBytes: 0 })).toThrow(/maxReplyBytes/);
  });
});

describe('the Api-Version the engine announces', () => {
  it('is an ApiVersionError when it is not a version', async () => {
    const client = createEngineClient({
      transport: mockTransport((request) => (request.path === '/_ping' ? { body: 'OK', headers: { 'api-version': 'garbage' } } : undefined)),
      environment: {},
    });
    await expect(listImages(client)).rejects.toBeInstanceOf(ApiVersionError);
  });

  it('falls back to the oldest supported version when the header is missing, like the CLI', async () => {
    const client = createEngineClient({
      transport: mockTransport((request) => (request.path === '/_ping' ? { body: 'OK', headers: { 'api-version': '' } } : { body: '[]' })),
      environment: {},
    });
    await expect(listImages(client)).resolves.toEqual([]);
  });
});
