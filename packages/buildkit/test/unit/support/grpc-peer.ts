// The engine's side of a session in unit tests: a real HTTP/2 client over a real Unix socket
// pair, calling a GrpcServer the way BuildKit's gRPC client does (integration tests use the real
// engine).
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import http2 from 'node:http2';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeGrpcFrame, GrpcFrameDecoder } from '../../../src/grpc/grpc-frames.js';
import { GrpcServer, type GrpcHandler } from '../../../src/grpc/grpc-server.js';
import { decodeGrpcMessage } from '../../../src/grpc/grpc-status.js';

/** A server serving `handlers` and a client connected to it. */
export interface GrpcPeer {
  readonly server: GrpcServer;
  readonly client: http2.ClientHttp2Session;
  readonly serverSession: http2.ServerHttp2Session;
  /** Opens a call: write request messages with `send`, end them with `end`, read replies with `replies`. */
  open(method: string, metadata?: Record<string, string | string[]>): PeerCall;
  close(): Promise<void>;
}

/** One call from the engine's side. */
export interface PeerCall {
  readonly stream: http2.ClientHttp2Stream;
  send(message: Uint8Array): void;
  end(): void;
  /** Reply messages as they come; ends when the server ends the call. */
  replies(): AsyncGenerator<Uint8Array, void, undefined>;
  /** The final status (from trailers, or headers of a trailers-only reply). */
  status(): Promise<{ code: number; message: string }>;
}

export async function startGrpcPeer(handlers: Record<string, GrpcHandler>): Promise<GrpcPeer> {
  const directory = await mkdtemp(join(tmpdir(), 'berth-grpc-peer-'));
  const path = join(directory, 'peer.sock');
  const listener = createServer();
  listener.listen(path);
  await once(listener, 'listening');
  const accepted = once(listener, 'connection') as Promise<[Socket]>;
  const clientSocket = connect(path);
  const [serverSocket] = await accepted;
  const server = new GrpcServer(handlers);
  const serverSession = http2.performServerHandshake(serverSocket);
  serverSession.on('error', () => undefined);
  server.serve(serverSession);
  const client = http2.connect('http://localhost', { createConnection: () => clientSocket });
  client.on('error', () => undefined);

  return {
    server,
    client,
    serverSession,
    open(method, metadata = {}) {
      const stream = client.request({
        ':method': 'POST',
        ':path': method,
        'content-type': 'application/grpc',
        te: 'trailers',
        ...metadata,
      });
      stream.on('error', () => undefined);
      let headers: http2.IncomingHttpHeaders | undefined;
      let trailers: http2.IncomingHttpHeaders | undefined;
      const responded = new Promise<void>((resolve) => stream.once('response', (received) => ((headers = received), resolve())));
      stream.on('trailers', (received) => (trailers = received));
      const ended = new Promise<void>((resolve) => stream.once('close', resolve));
      return {
        stream,
        send: (message) => void stream.write(encodeGrpcFrame(message)),
        end: () => void stream.end(),
        async *replies() {
          const decoder = new GrpcFrameDecoder();
          for await (const chunk of stream) for (const message of decoder.push(chunk as Buffer)) yield message;
        },
        async status() {
          await responded;
          await ended;
          const source = trailers?.['grpc-status'] !== undefined ? trailers : headers;
          return { code: Number(source?.['grpc-status'] ?? -1), message: decodeGrpcMessage(String(source?.['grpc-message'] ?? '')) };
        },
      };
    },
    async close() {
      client.destroy();
      serverSession.destroy();
      clientSocket.destroy();
      serverSocket.destroy();
      listener.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
