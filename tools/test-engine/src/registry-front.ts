// An HTTP front for a registry (the harness's docker-registry) that can hold a pull or a push in
// the middle of a transfer and then die, the way a registry process killed mid-transfer does:
// every connection is reset and nothing listens any more. The engine talks to the front as to
// the registry (127.0.0.0/8 registries are insecure by default, so plain HTTP is fine).
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Where the front holds a transfer:
 * - `blob-download`: a blob GET (pull) after `afterBytes` bytes of the blob were sent;
 * - `blob-upload`: a blob upload (push) after `afterBytes` bytes of it were received;
 * - `manifest-upload`: a manifest PUT (push, after the layers), before it reaches the registry.
 */
export type RegistryHoldPoint = 'blob-download' | 'blob-upload' | 'manifest-upload';

/**
 * A running registry front.
 *
 * @example
 * ```ts
 * const front = await startRegistryFront(process.env.BERTH_TEST_REGISTRY!);
 * front.hold('blob-download', 64 * 1024);
 * const pulling = images.pull(`${front.address}/app:v1`);
 * await front.held();
 * front.kill(); // the registry "dies" in the middle of the pull
 * ```
 */
export interface RegistryFront {
  /** `127.0.0.1:PORT`, the registry address to use in image names. */
  readonly address: string;
  /** Holds the next transfers at `point` (after `afterBytes` bytes), until `kill()`. */
  hold(point: RegistryHoldPoint, afterBytes?: number): void;
  /** Forwards everything again (transfers held so far stay held). */
  passThrough(): void;
  /** Resolves once a transfer is being held. */
  held(timeout?: number): Promise<void>;
  /** Resets every connection and stops listening: the registry is gone. Idempotent. */
  kill(): void;
  /** Connections open right now. */
  openConnections(): number;
}

/**
 * Starts a front for the registry at `upstream` (`host:port`) on a free 127.0.0.1 port.
 *
 * @example
 * ```ts
 * const front = await startRegistryFront('127.0.0.1:5000');
 * ```
 */
export async function startRegistryFront(upstream: string): Promise<RegistryFront> {
  const [upstreamHost = '127.0.0.1', upstreamPort = '80'] = upstream.split(':');
  let rule: { point: RegistryHoldPoint; afterBytes: number } | undefined;
  let heldCount = 0;
  const heldWaiters: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const markHeld = (): void => {
    heldCount += 1;
    for (const wake of heldWaiters.splice(0)) wake();
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '/';
    const method = request.method ?? 'GET';
    const isBlobGet = method === 'GET' && /\/blobs\/sha256:/.test(url);
    const isBlobUpload = (method === 'PATCH' || method === 'PUT') && /\/blobs\/uploads\//.test(url);
    const isManifestPut = method === 'PUT' && /\/manifests\//.test(url);
    const current = rule;

    if (current?.point === 'manifest-upload' && isManifestPut) {
      request.resume();
      markHeld();
      return; // held: nothing is answered until the front dies
    }
    const holdUpload = current?.point === 'blob-upload' && isBlobUpload;
    const upstreamRequest = httpRequest(
      { host: upstreamHost, port: Number(upstreamPort), method, path: url, headers: request.headers },
      (upstreamResponse) => {
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        if (current?.point === 'blob-download' && isBlobGet && (upstreamResponse.statusCode ?? 0) === 200) {
          let sent = 0;
          upstreamResponse.on('data', (chunk: Buffer) => {
            if (sent >= current.afterBytes) return;
            const room = current.afterBytes - sent;
            response.write(chunk.length > room ? chunk.subarray(0, room) : chunk);
            sent += Math.min(chunk.length, room);
            if (sent >= current.afterBytes) {
              upstreamResponse.pause();
              markHeld();
            }
          });
          return;
        }
        upstreamResponse.pipe(response);
      },
    );
    upstreamRequest.on('error', () => response.destroy());
    if (!holdUpload) {
      request.pipe(upstreamRequest);
      return;
    }
    let received = 0;
    const holdAfter = current.afterBytes;
    request.on('data', (chunk: Buffer) => {
      if (received >= holdAfter) return;
      received += chunk.length;
      upstreamRequest.write(chunk);
      if (received >= holdAfter) {
        request.pause(); // the engine's upload blocks once the socket buffers are full
        markHeld();
      }
    });
    request.on('end', () => {
      if (received < holdAfter) upstreamRequest.end();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });

  let killed = false;
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    hold(point, afterBytes = 64 * 1024) {
      rule = { point, afterBytes };
    },
    passThrough() {
      rule = undefined;
    },
    held(timeout = 30_000) {
      if (heldCount > 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`No transfer reached the registry front's hold point within ${timeout} ms.`)), timeout);
        heldWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    kill() {
      if (killed) return;
      killed = true;
      server.close();
      for (const socket of sockets) {
        try {
          socket.resetAndDestroy();
        } catch {
          socket.destroy();
        }
      }
    },
    openConnections: () => sockets.size,
  };
}
