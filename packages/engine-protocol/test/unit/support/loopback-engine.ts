import type { IncomingMessage, ServerResponse } from 'node:http';
import { startFakeEngine } from '@berth/test-engine';
import { Agent } from 'undici';
import { createEngineClient, type EngineClient, type EngineClientOptions } from '../../../src/index.js';

/** The fake engine of `@berth/test-engine` answering through `handler`, and a client of it. */
export interface LoopbackEngine {
  readonly client: EngineClient;
  /** Requests seen, as `METHOD path`. */
  readonly seen: readonly string[];
  /** Connections the engine side holds open right now. */
  openConnections(): number;
  /** Stops the engine (the client is closed separately by the test). */
  stop(): Promise<void>;
}

/**
 * Starts the fake engine with `handler` answering every request, and a client with a plain
 * undici Agent on its socket (this package has no transport of its own). `/_ping` answers
 * `Api-Version: 1.45` unless the handler returns `true` for it (handled); any other request the
 * handler leaves is never answered.
 */
export async function startLoopbackEngine(
  handler: (request: IncomingMessage, response: ServerResponse) => boolean | void,
  options: Partial<EngineClientOptions> = {},
): Promise<LoopbackEngine> {
  const fake = await startFakeEngine({ apiVersion: '1.45' });
  fake.on(
    () => true,
    ({ request, response }) => {
      if (handler(request, response) === true) return;
      if (request.url === '/_ping') response.writeHead(200, { 'api-version': '1.45' }).end('OK');
    },
  );
  const agent = new Agent({ keepAliveTimeout: 60_000, connect: { socketPath: fake.socketPath } });
  const client = createEngineClient({
    transport: { type: 'test', description: `fake engine at ${fake.socketPath}`, origin: 'http://localhost', dispatcher: agent, close: () => agent.close() },
    environment: {},
    ...options,
  });
  return {
    client,
    get seen() {
      return fake.requests.map((request) => `${request.method} ${request.url}`);
    },
    openConnections: () => fake.openConnections(),
    stop: () => fake.close(),
  };
}
