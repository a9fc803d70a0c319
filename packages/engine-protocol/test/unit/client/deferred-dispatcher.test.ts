import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngineClient, ping, TransportError } from '../../../src/index.js';
import { createDeferredDispatcher, deferredDispatcher, loadUndiciParts, type UndiciParts } from '../../../src/client/deferred-dispatcher.js';

// A real HTTP server on a Unix socket: the deferred dispatcher must behave like the Agent it builds.
let directory: string;
let socketPath: string;
let server: Server;
const seenPaths: string[] = [];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'berth-deferred-'));
  socketPath = join(directory, 'engine.sock');
  server = createServer((request, response) => {
    seenPaths.push(request.url ?? '');
    response.setHeader('Api-Version', '1.45');
    response.end('OK');
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(directory, { recursive: true, force: true });
});

/** A build callback that counts its calls and makes a real Agent on the test socket. */
function countingBuild(): { build: (undici: UndiciParts) => Dispatcher; calls: () => number } {
  let calls = 0;
  return {
    build: ({ Agent: AgentClass, buildConnector }) => {
      calls += 1;
      return new AgentClass({ connect: buildConnector({ socketPath }), pipelining: 1 });
    },
    calls: () => calls,
  };
}

describe('deferredDispatcher', () => {
  it('builds nothing until the first request, then once', async () => {
    const { build, calls } = countingBuild();
    const dispatcher = deferredDispatcher(build, { description: `unix://${socketPath}` });
    expect(calls()).toBe(0);
    expect(dispatcher).toBeInstanceOf(Dispatcher);
    const [first, second] = await Promise.all([
      dispatcher.request({ origin: 'http://localhost', path: '/one', method: 'GET' }),
      dispatcher.request({ origin: 'http://localhost', path: '/two', method: 'GET' }),
    ]);
    expect(await first.body.text()).toBe('OK');
    expect(await second.body.text()).toBe('OK');
    const third = await dispatcher.request({ origin: 'http://localhost', path: '/three', method: 'GET' });
    expect(third.statusCode).toBe(200);
    await third.body.dump();
    expect(calls()).toBe(1);
    await dispatcher.close();
    expect(dispatcher.closed).toBe(true);
  });

  it('loads the same undici classes as the package entry', async () => {
    const undici = await loadUndiciParts();
    expect(undici.Agent).toBe(Agent);
    expect(new undici.Agent()).toBeInstanceOf(Dispatcher);
  });

  it('applies interceptors composed before undici was loaded', async () => {
    const { build } = countingBuild();
    const dispatcher = deferredDispatcher(build, { description: 'test' });
    const composed = dispatcher.compose((dispatch) => (options, handler) => dispatch({ ...options, path: `/prefix${options.path}` }, handler));
    const response = await composed.request({ origin: 'http://localhost', path: '/ping', method: 'GET' });
    await response.body.dump();
    expect(seenPaths).toContain('/prefix/ping');
    await dispatcher.close();
  });

  it('hands the connect event of the Agent to its listeners', async () => {
    const { build } = countingBuild();
    const dispatcher = deferredDispatcher(build, { description: 'test' });
    const connected: unknown[] = [];
    dispatcher.on('connect', (origin) => connected.push(String(origin)));
    const response = await dispatcher.request({ origin: 'http://localhost', path: '/events', method: 'GET' });
    await response.body.dump();
    expect(connected).toEqual(['http://localhost/']);
    await dispatcher.close();
  });

  it('closes without loading anything when no request was made, and refuses requests after that as undici does', async () => {
    const { build, calls } = countingBuild();
    const dispatcher = deferredDispatcher(build, { description: 'test' });
    await dispatcher.close();
    expect(calls()).toBe(0);
    const error = await dispatcher.request({ origin: 'http://localhost', path: '/late', method: 'GET' }).catch((caught: unknown) => caught);
    const agent = new Agent();
    await agent.close();
    const agentError = await agent.request({ origin: 'http://localhost', path: '/late', method: 'GET' }).catch((caught: unknown) => caught);
    expect((error as { code?: unknown }).code).toBe((agentError as { code?: unknown }).code);
    expect((error as { code?: unknown }).code).toMatch(/^UND_ERR_(CLOSED|DESTROYED)$/);
  });

  it('runs the dispatches made while undici loads, then closes', async () => {
    const { build } = countingBuild();
    const dispatcher = deferredDispatcher(build, { description: 'test' });
    const pending = dispatcher.request({ origin: 'http://localhost', path: '/in-flight', method: 'GET' });
    const closed = dispatcher.close();
    const response = await pending;
    expect(await response.body.text()).toBe('OK');
    await closed;
    expect(dispatcher.destroyed).toBe(true);
  });

  it('turns a failed load into a TransportError naming the transport, and tries again on the next request', async () => {
    let attempts = 0;
    const failing = () => {
      attempts += 1;
      return attempts === 1 ? Promise.reject(Object.assign(new Error("Cannot find module 'undici/lib/dispatcher/agent.js'"), { code: 'ERR_MODULE_NOT_FOUND' })) : loadUndiciParts();
    };
    const { build } = countingBuild();
    const dispatcher = createDeferredDispatcher(build, { description: `unix://${socketPath}` }, failing);
    const client = createEngineClient({
      transport: { type: 'test', description: `unix://${socketPath}`, origin: 'http://localhost', dispatcher, close: () => dispatcher.close() },
      environment: {},
    });
    const error = await ping(client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).message).toContain(`Cannot set up the HTTP client (undici) for unix://${socketPath}`);
    expect((error as TransportError).causeCode).toBe('ERR_MODULE_NOT_FOUND');
    expect((await ping(client)).body).toBe('OK');
    await client.close();
  });

  it('reports a failed load to a dispatch handler of either undici handler API', async () => {
    const fail = () => Promise.reject(new Error('no undici here'));
    const dispatcher = createDeferredDispatcher(() => new Agent(), { description: 'test' }, fail);
    const legacy = await new Promise<unknown>((resolve) => {
      dispatcher.dispatch({ origin: 'http://localhost', path: '/', method: 'GET' }, { onError: resolve } as Dispatcher.DispatchHandler);
    });
    expect(legacy).toBeInstanceOf(TransportError);
    const modern = await new Promise<unknown>((resolve) => {
      dispatcher.dispatch({ origin: 'http://localhost', path: '/', method: 'GET' }, {
        onRequestStart() {},
        onResponseError: (_controller, error) => resolve(error),
      });
    });
    expect(modern).toBeInstanceOf(TransportError);
    await dispatcher.close();
  });

  it('turns a build callback that throws into a TransportError', async () => {
    const dispatcher = deferredDispatcher(
      () => {
        throw new RangeError('bad agent options');
      },
      { description: 'unix:///nowhere.sock' },
    );
    const error = await dispatcher.request({ origin: 'http://localhost', path: '/', method: 'GET' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).details).toBe('bad agent options');
    expect((error as TransportError).cause).toBeInstanceOf(RangeError);
  });
});
