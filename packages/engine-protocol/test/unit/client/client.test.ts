import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  ApiVersionError,
  ConflictError,
  ConnectionError,
  EngineError,
  InvalidArgumentError,
  NotFoundError,
  SocketClosedError,
  TimeoutError,
  TransportError,
  UnsupportedOptionError,
  createEngineClient,
  inspectImage,
  listImages,
  mapTransportError,
  pullImage,
  pushImage,
  saveImages,
  buildImage,
  StreamDecodeError,
  StreamMessageError,
} from '../../../src/index.js';
import { mockTransport } from '../support/mock-transport.js';

describe('API version negotiation', () => {
  it('uses the lower of the engine maximum and ours, negotiated once per client', async () => {
    const transport = mockTransport((request) => (request.path.endsWith('/images/json') ? { body: '[]' } : undefined), {
      apiVersion: '1.45',
    });
    const client = createEngineClient({ transport, environment: {} });
    await Promise.all([listImages(client), listImages(client), listImages(client)]);
    expect(await client.apiVersion()).toBe('1.45');
    expect(transport.seen.filter((request) => request.path === '/_ping')).toHaveLength(1);
    expect(transport.seen.filter((request) => request.path === '/v1.45/images/json')).toHaveLength(3);
  });

  it('caps at the newest version this package speaks', async () => {
    const transport = mockTransport(undefined, { apiVersion: '1.99' });
    const client = createEngineClient({ transport, environment: {} });
    expect(await client.apiVersion()).toBe('1.56');
  });

  it('refuses engines older than the oldest supported version', async () => {
    const client = createEngineClient({ transport: mockTransport(undefined, { apiVersion: '1.40' }), environment: {} });
    await expect(client.apiVersion()).rejects.toBeInstanceOf(ApiVersionError);
  });

  it('is pinned by DOCKER_API_VERSION or the option, without a ping', async () => {
    const transport = mockTransport((request) => (request.path.endsWith('/images/json') ? { body: '[]' } : undefined));
    const fromEnvironment = createEngineClient({ transport, environment: { DOCKER_API_VERSION: '1.43' } });
    await listImages(fromEnvironment);
    const fromOption = createEngineClient({ transport, apiVersion: '1.44', environment: { DOCKER_API_VERSION: '1.43' } });
    await listImages(fromOption);
    expect(transport.seen.map((request) => request.path)).toEqual(['/v1.43/images/json', '/v1.44/images/json']);
  });

  it('refuses a malformed pinned version', () => {
    expect(() => createEngineClient({ transport: mockTransport(), environment: { DOCKER_API_VERSION: 'latest' } })).toThrow(
      /DOCKER_API_VERSION must look like "1.45"/,
    );
  });

  it('refuses options the negotiated version lacks, before sending them', async () => {
    const transport = mockTransport(undefined, { apiVersion: '1.41' });
    const client = createEngineClient({ transport, environment: {} });
    await expect(pushImage(client, { name: 'localhost:5000/a', platform: 'linux/amd64' })).rejects.toBeInstanceOf(UnsupportedOptionError);
    expect(transport.seen.map((request) => request.path)).toEqual(['/_ping']);
  });

  it('retries a failed negotiation on the next call', async () => {
    let pings = 0;
    const transport = mockTransport((request) => {
      if (request.path === '/_ping') {
        pings += 1;
        return pings === 1 ? { status: 500, body: 'starting' } : { body: 'OK', headers: { 'api-version': '1.44' } };
      }
      return { body: '[]' };
    });
    const client = createEngineClient({ transport, environment: {} });
    await expect(listImages(client)).rejects.toBeInstanceOf(EngineError);
    await expect(listImages(client)).resolves.toEqual([]);
    expect(await client.apiVersion()).toBe('1.44');
  });
});

describe('error replies', () => {
  const client = (status: number, body: string, headers: Record<string, string> = {}) =>
    createEngineClient({
      transport: mockTransport((request) => (request.path === '/_ping' ? undefined : { status, body, headers })),
      environment: {},
    });

  it('maps 404 and 409 to their classes with the engine message', async () => {
    const notFound = await inspectImage(client(404, '{"message":"No such image: nope:latest"}'), { name: 'nope' }).catch((e) => e);
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound.engineMessage).toBe('No such image: nope:latest');
    expect(notFound.method).toBe('GET');
    expect(notFound.path).toBe('/v1.45/images/nope/json');
    const conflict = await inspectImage(client(409, '{"message":"in use"}'), { name: 'x' }).catch((e) => e);
    expect(conflict).toBeInstanceOf(ConflictError);
  });

  it('reads text and HTML error bodies', async () => {
    const text = await listImages(client(500, 'page not found\n', { 'content-type': 'text/plain' })).catch((e) => e);
    expect(text.engineMessage).toBe('page not found');
    const html = await listImages(client(502, '<html><head><title>502 Bad Gateway</title></head></html>')).catch((e) => e);
    expect(html.engineMessage).toBe('HTML reply: 502 Bad Gateway');
  });

  it('keeps credentials out of the error', async () => {
    const error = await pullImage(client(401, '{"message":"unauthorized"}'), {
      fromImage: 'localhost:5000/private',
      tag: 'latest',
      authConfig: { username: 'me', password: 'hunter2-secret' },
    }).catch((e) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error.request.headers['X-Registry-Auth']).toBe('[redacted]');
    const shown = `${error.message}|${JSON.stringify(error)}|${JSON.stringify(error.request)}|${error.stack}`;
    expect(shown).not.toContain('hunter2-secret');
    expect(shown).not.toContain(Buffer.from('hunter2-secret').toString('base64url').slice(0, 12));
  });
});

describe('abort and timeout', () => {
  it('rejects with AbortedError when aborted before sending', async () => {
    const transport = mockTransport();
    const client = createEngineClient({ transport, apiVersion: '1.45', environment: {} });
    const controller = new AbortController();
    controller.abort();
    await expect(listImages(client, {}, { signal: controller.signal })).rejects.toBeInstanceOf(AbortedError);
  });

  it('rejects with TimeoutError when the reply does not come in time, and aborts a body mid-stream', async () => {
    // A real server on loopback that accepts requests and answers slowly or never finishes.
    const server = createServer((request, response) => {
      if (request.url?.includes('/images/slow/')) return; // never answers
      response.writeHead(200, { 'content-type': 'application/x-tar' });
      response.write(Buffer.alloc(64 * 1024));
      // …and never ends the body.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const agent = new Agent();
    const client = createEngineClient({
      transport: { type: 'test', description: 'loopback', origin: `http://127.0.0.1:${port}`, dispatcher: agent, close: () => agent.close() },
      apiVersion: '1.45',
      environment: {},
    });
    try {
      await expect(inspectImage(client, { name: 'slow' }, { timeout: 50 })).rejects.toBeInstanceOf(TimeoutError);
      const tar = await saveImages(client, { names: 'endless' }, { timeout: 1_000 });
      const chunks: Buffer[] = [];
      const reading = (async () => {
        for await (const chunk of tar) chunks.push(chunk as Buffer);
      })();
      await expect(reading).rejects.toBeInstanceOf(TimeoutError);
      expect(Buffer.concat(chunks).length).toBeGreaterThan(0);
      const controller = new AbortController();
      const aborted = await saveImages(client, { names: 'endless' }, { signal: controller.signal });
      const abortedReading = (async () => {
        for await (const chunk of aborted) {
          if (chunk) controller.abort();
        }
      })();
      await expect(abortedReading).rejects.toBeInstanceOf(AbortedError);
    } finally {
      await client.close();
      server.closeAllConnections();
      server.close();
    }
  });

  // Regression (issue 8, failure 10): a save answered 200 with an empty body passed as a
  // 0-byte success, and a truncated archive as a shorter one.
  it('fails a save whose 200 reply is empty or not a whole tar with StreamDecodeError', async () => {
    const replies: Record<string, string | Buffer> = { empty: '', cut: Buffer.alloc(4096, 0x41), text: 'OK' };
    const transport = mockTransport((request) => {
      const name = /\/images\/(\w+)\/get$/.exec(request.path)?.[1];
      return name === undefined ? undefined : { body: replies[name] ?? '', headers: { 'content-type': 'application/x-tar' } };
    });
    const client = createEngineClient({ transport, apiVersion: '1.41', environment: {} });
    for (const name of Object.keys(replies)) {
      const tar = await saveImages(client, { names: name });
      const reading = (async () => {
        for await (const _chunk of tar) {
          // drain
        }
      })();
      await expect(reading, name).rejects.toBeInstanceOf(StreamDecodeError);
    }
  });

  it('refuses a nonsense timeout with a typed error', async () => {
    const client = createEngineClient({ transport: mockTransport(), apiVersion: '1.45', environment: {} });
    await expect(listImages(client, {}, { timeout: -1 })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('mapTransportError', () => {
  const transport = mockTransport();
  const context = { transport, requestLine: 'GET /_ping' };
  const withCode = (code: string) => Object.assign(new Error(code), { code });

  it.each([
    ['UND_ERR_CONNECT_TIMEOUT', TimeoutError],
    ['UND_ERR_HEADERS_TIMEOUT', TimeoutError],
    ['UND_ERR_BODY_TIMEOUT', TimeoutError],
    ['UND_ERR_SOCKET', SocketClosedError],
    ['ECONNRESET', SocketClosedError],
    ['ECONNREFUSED', ConnectionError],
    ['ENOENT', ConnectionError],
    ['EACCES', ConnectionError],
    ['ERR_TLS_CERT_ALTNAME_INVALID', ConnectionError],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', ConnectionError],
    ['UND_ERR_ABORTED', AbortedError],
    ['SOMETHING_ELSE', TransportError],
  ] as const)('maps %s', (code, expected) => {
    const mapped = mapTransportError(withCode(code), context);
    expect(mapped).toBeInstanceOf(expected);
    expect((mapped as { cause?: unknown }).cause).toBeInstanceOf(Error);
  });

  it('lets the transport describe its own failures first', () => {
    const described = new ConnectionError('socket /x missing');
    const mapped = mapTransportError(withCode('ENOENT'), { ...context, transport: { ...transport, describeError: () => described } });
    expect(mapped).toBe(described);
  });

  it('passes Berth errors through', () => {
    const error = new InvalidArgumentError('bad');
    expect(mapTransportError(error, context)).toBe(error);
  });
});

describe('regressions', () => {
  async function loopbackClient(
    handler: Parameters<typeof createServer>[1],
    options: { apiVersion?: string } = {},
  ): Promise<{ client: ReturnType<typeof createEngineClient>; close(): Promise<void> }> {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const agent = new Agent();
    const client = createEngineClient({
      transport: { type: 'test', description: 'loopback', origin: `http://127.0.0.1:${port}`, dispatcher: agent, close: () => agent.close() },
      environment: {},
      ...options,
    });
    return {
      client,
      close: async () => {
        await client.close();
        server.closeAllConnections();
        server.close();
      },
    };
  }

  it('negotiation shared by concurrent calls honours each caller\'s own signal (review #3)', async () => {
    let answerPing: (() => void) | undefined;
    const { client, close } = await loopbackClient((request, response) => {
      if (request.url === '/_ping') {
        answerPing = () => response.writeHead(200, { 'api-version': '1.45' }).end('OK');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('[]');
    });
    try {
      const first = new AbortController();
      const aborted = listImages(client, {}, { signal: first.signal });
      const timedOut = listImages(client, {}, { timeout: 100 });
      const patient = listImages(client);
      first.abort();
      await expect(aborted).rejects.toBeInstanceOf(AbortedError);
      // The ping still hangs: this caller's own timeout fires, not someone else's abort.
      await expect(timedOut).rejects.toBeInstanceOf(TimeoutError);
      while (!answerPing) await new Promise((resolve) => setTimeout(resolve, 10));
      answerPing();
      await expect(patient).resolves.toEqual([]);
      expect(await client.apiVersion()).toBe('1.45');
    } finally {
      await close();
    }
  });

  it('rejects with AbortedError when aborted while the error body is read', async () => {
    const controller = new AbortController();
    const { client, close } = await loopbackClient((_request, response) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.write('{"message":"half');
      controller.abort();
    }, { apiVersion: '1.45' });
    try {
      await expect(listImages(client, {}, { signal: controller.signal })).rejects.toBeInstanceOf(AbortedError);
    } finally {
      await close();
    }
  });

  it('reports a 200 reply that is not JSON as a typed decode error', async () => {
    const client = createEngineClient({
      transport: mockTransport((request) => (request.path === '/_ping' ? undefined : { body: '<html>proxy login</html>' })),
      environment: {},
    });
    await expect(listImages(client)).rejects.toBeInstanceOf(StreamDecodeError);
  });

  it('keeps credentials of a build remote URL out of errors (review #2)', async () => {
    const secretUrl = 'https://bob:ghp_secretToken123@git.example/repo.git';
    const client = createEngineClient({
      transport: mockTransport((request) =>
        request.path === '/_ping' ? undefined : { status: 500, body: JSON.stringify({ message: `error fetching ${secretUrl}: denied` }) },
      ),
      environment: {},
    });
    const error = await buildImage(client, { remote: secretUrl }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineError);
    const shown = `${String(error)}|${JSON.stringify(error)}|${(error as EngineError).path}|${(error as EngineError).engineMessage}`;
    expect(shown).not.toContain('ghp_secretToken123');
    expect(shown).toContain('https://[redacted]@git.example/repo.git');
  });

  it('keeps URL credentials out of errors raised inside a stream', () => {
    const raw = { errorDetail: { message: 'clone https://bob:ghp_secretToken123@git.example/x failed' } };
    const error = new StreamMessageError(raw.errorDetail.message, { rawMessage: raw });
    expect(`${String(error)}|${JSON.stringify(error)}|${JSON.stringify(error.rawMessage)}`).not.toContain('ghp_secretToken123');
  });
});
