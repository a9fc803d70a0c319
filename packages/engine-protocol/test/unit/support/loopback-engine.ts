import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Agent } from 'undici';
import { createEngineClient, type EngineClient, type EngineClientOptions } from '../../../src/index.js';

/** A real HTTP server on loopback playing the engine, and a client of it. */
export interface LoopbackEngine {
  readonly client: EngineClient;
  readonly agent: Agent;
  /** Requests seen, as `METHOD path`. */
  readonly seen: string[];
  /** Connections the server holds open right now. */
  openConnections(): number;
  /** Stops the server (the client is closed separately by the test). */
  stop(): Promise<void>;
}

/**
 * Starts `handler` on 127.0.0.1 and a client with a plain undici Agent. `/_ping` answers
 * `Api-Version: 1.45` unless the handler returns `true` for it (handled).
 */
export async function startLoopbackEngine(
  handler: (request: IncomingMessage, response: ServerResponse) => boolean | void,
  options: Partial<EngineClientOptions> = {},
): Promise<LoopbackEngine> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`);
    if (handler(request, response) === true) return;
    if (request.url === '/_ping') response.writeHead(200, { 'api-version': '1.45' }).end('OK');
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAliveTimeout: 60_000 });
  const client = createEngineClient({
    transport: { type: 'test', description: `loopback:${port}`, origin: `http://127.0.0.1:${port}`, dispatcher: agent, close: () => agent.close() },
    environment: {},
    ...options,
  });
  return {
    client,
    agent,
    seen,
    openConnections: () => sockets.size,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Resolves once `condition()` holds, polling; rejects after `timeout` ms. */
export async function eventually(condition: () => boolean, timeout = 2_000): Promise<void> {
  const end = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** How a promise settled, and after how many milliseconds. */
export async function settle(promise: Promise<unknown>): Promise<{ error: unknown; value: unknown; elapsed: number }> {
  const start = Date.now();
  try {
    const value = await promise;
    return { error: undefined, value, elapsed: Date.now() - start };
  } catch (error) {
    return { error, value: undefined, elapsed: Date.now() - start };
  }
}
