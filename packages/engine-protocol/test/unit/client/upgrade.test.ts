// EngineClient.upgrade against a real HTTP/1.1 server on a Unix socket that answers 101 the way
// the engine does for POST /session and POST /grpc (or refuses).
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AbortedError,
  ClientClosedError,
  ConnectionError,
  EngineError,
  UnsupportedEndpointError,
  TimeoutError,
  TransportError,
  createEngineClient,
  grpcEndpoint,
  sessionEndpoint,
  type EngineClient,
  type Transport,
} from '../../../src/index.js';

interface SeenUpgrade {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingMessage['headers'];
  readonly rawHeaders: readonly string[];
}

let directory: string;
let socketPath: string;
let server: Server;
let seen: SeenUpgrade[];
let serverSockets: Socket[];
let onUpgrade: (request: IncomingMessage, socket: Socket) => void;

function unixTransport(path: string): Transport {
  const agent = new Agent({ connect: { socketPath: path } });
  return { type: 'unix', description: `unix://${path}`, origin: 'http://localhost', dispatcher: agent, close: () => agent.close() };
}

function switchProtocols(socket: Socket, protocol = 'h2c'): void {
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: ${protocol}\r\n\r\n`);
}

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'berth-upgrade-'));
  socketPath = join(directory, 'engine.sock');
  seen = [];
  serverSockets = [];
  onUpgrade = (_request, socket) => {
    switchProtocols(socket);
    // An echo service after the switch.
    socket.on('data', (chunk: Buffer) => socket.write(Buffer.concat([Buffer.from('echo:'), chunk])));
  };
  server = createServer((request, response) => {
    if (request.url === '/_ping') {
      response.writeHead(200, { 'api-version': '1.45' }).end('OK');
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"page not found"}');
  });
  server.on('upgrade', (request: IncomingMessage, socket: Socket) => {
    seen.push({ method: request.method, url: request.url, headers: request.headers, rawHeaders: request.rawHeaders });
    serverSockets.push(socket);
    onUpgrade(request, socket);
  });
  server.listen(socketPath);
  await once(server, 'listening');
});

afterEach(async () => {
  for (const socket of serverSockets) socket.destroy();
  server.close();
  await rm(directory, { recursive: true, force: true });
});

async function withClient(test: (client: EngineClient) => Promise<void>): Promise<void> {
  const client = createEngineClient({ transport: unixTransport(socketPath), environment: {} });
  try {
    await test(client);
  } finally {
    await client.close();
  }
}

describe('EngineClient.upgrade', () => {
  it('switches protocols at the negotiated version and hands back a socket that carries bytes both ways', async () => {
    await withClient(async (client) => {
      const connection = await client.upgrade(sessionEndpoint, {}, {
        protocol: 'h2c',
        headers: {
          'X-Docker-Expose-Session-Uuid': 'session-1',
          'X-Docker-Expose-Session-Grpc-Method': ['/a.B/C', '/a.B/D'],
        },
      });
      expect(connection.requestLine).toBe('POST /v1.45/session');
      expect(connection.headers['upgrade']).toBe('h2c');
      const [request] = seen;
      expect(request?.method).toBe('POST');
      expect(request?.url).toBe('/v1.45/session');
      expect(request?.headers['upgrade']).toBe('h2c');
      expect(String(request?.headers['connection']).toLowerCase()).toContain('upgrade');
      expect(request?.headers['x-docker-expose-session-uuid']).toBe('session-1');
      // Repeated header lines, not one comma-joined value: the engine reads each method.
      const methods = request?.rawHeaders.filter((_value, index, all) => index % 2 === 1 && all[index - 1]?.toLowerCase() === 'x-docker-expose-session-grpc-method');
      expect(methods).toEqual(['/a.B/C', '/a.B/D']);

      connection.socket.write('hello');
      const [reply] = (await once(connection.socket, 'data')) as [Buffer];
      expect(reply.toString()).toBe('echo:hello');
      connection.close();
      await connection.closed;
      expect(connection.socket.destroyed).toBe(true);
    });
  });

  it('keeps bytes the server sent right behind the 101 reply', async () => {
    onUpgrade = (_request, socket) => {
      // One write: the reply and the first bytes of the new protocol in the same packet.
      socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\nPRI-early-bytes');
    };
    await withClient(async (client) => {
      const connection = await client.upgrade(grpcEndpoint, {}, { protocol: 'h2c' });
      const chunks: Buffer[] = [];
      for await (const chunk of connection.socket) {
        chunks.push(chunk as Buffer);
        if (Buffer.concat(chunks).length >= 'PRI-early-bytes'.length) break;
      }
      expect(Buffer.concat(chunks).toString()).toBe('PRI-early-bytes');
    });
  });

  it("rejects with the engine's message when it refuses the upgrade", async () => {
    onUpgrade = (_request, socket) => {
      socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{"message":"session x already exists"}\r\n');
    };
    await withClient(async (client) => {
      const error = await client.upgrade(sessionEndpoint, {}, { protocol: 'h2c' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).status).toBe(400);
      expect((error as EngineError).engineMessage).toBe('session x already exists');
    });
  });

  it('maps the 404 of an engine without the endpoint to UnsupportedEndpointError', async () => {
    onUpgrade = (_request, socket) => {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 29\r\n\r\n{"message":"page not found"}\n');
    };
    await withClient(async (client) => {
      await expect(client.upgrade(grpcEndpoint, {}, { protocol: 'h2c' })).rejects.toBeInstanceOf(UnsupportedEndpointError);
    });
  });

  it('rejects with TransportError when the server answers 200 instead of switching', async () => {
    onUpgrade = (_request, socket) => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    };
    await withClient(async (client) => {
      const error = await client.upgrade(sessionEndpoint, {}, { protocol: 'h2c' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TransportError);
      expect((error as Error).message).toContain('200 instead of switching protocols');
    });
  });

  it('rejects with AbortedError when aborted during the handshake, and with TimeoutError on its timeout', async () => {
    onUpgrade = () => undefined; // never answers
    await withClient(async (client) => {
      await client.apiVersion();
      const controller = new AbortController();
      const aborted = client.upgrade(sessionEndpoint, {}, { protocol: 'h2c', signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await expect(aborted).rejects.toBeInstanceOf(AbortedError);
      await expect(client.upgrade(sessionEndpoint, {}, { protocol: 'h2c', timeout: 50 })).rejects.toBeInstanceOf(TimeoutError);
      await expect(client.upgrade(sessionEndpoint, {}, { protocol: 'h2c', signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortedError);
    });
  });

  it('closes every switched connection when the client closes', async () => {
    const client = createEngineClient({ transport: unixTransport(socketPath), environment: {} });
    const first = await client.upgrade(sessionEndpoint, {}, { protocol: 'h2c' });
    const second = await client.upgrade(grpcEndpoint, {}, { protocol: 'h2c' });
    // The engine sees the end of both connections.
    const serverSideEnded = serverSockets.map((socket) => once(socket, 'end'));
    await client.close();
    await Promise.all([first.closed, second.closed, ...serverSideEnded]);
    expect(first.socket.destroyed && second.socket.destroyed).toBe(true);
  });

  it('ends a handshake in progress on close(), and refuses an upgrade after it, with ClientClosedError', async () => {
    onUpgrade = () => undefined; // never answers
    const client = createEngineClient({ transport: unixTransport(socketPath), environment: {} });
    await client.apiVersion();
    const pending = client.upgrade(sessionEndpoint, {}, { protocol: 'h2c' });
    // Handled from the start: close() rejects it at once but may itself take a while (a busy
    // machine), and a rejection left unhandled across that is an unhandled rejection.
    const outcome = expect(pending).rejects.toBeInstanceOf(ClientClosedError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await client.close();
    await outcome;
    await expect(client.upgrade(sessionEndpoint, {}, { protocol: 'h2c' })).rejects.toBeInstanceOf(ClientClosedError);
  });

  it('rejects with ConnectionError when nothing listens', async () => {
    const client = createEngineClient({ transport: unixTransport(join(directory, 'missing.sock')), environment: {}, apiVersion: '1.45' });
    try {
      await expect(client.upgrade(sessionEndpoint, {}, { protocol: 'h2c' })).rejects.toBeInstanceOf(ConnectionError);
    } finally {
      await client.close();
    }
  });
});
