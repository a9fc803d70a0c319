// An HTTP front for a registry (the harness's docker-registry) that can hold a pull or a push in
// the middle of a transfer and then die, the way a registry process killed mid-transfer does:
// every connection is reset and nothing listens any more. The engine talks to the front as to
// the registry (127.0.0.0/8 registries are insecure by default, so plain HTTP is fine).
import { createServer, request as httpRequest, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
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
  /** Holds the next transfers at `point` (after `afterBytes` bytes), until `kill()`; several points may be held at once. */
  hold(point: RegistryHoldPoint, afterBytes?: number): void;
  /** Forwards everything again (transfers held so far stay held). */
  passThrough(): void;
  /** Resolves once a transfer is being held at `point` (any point when omitted). */
  held(point?: RegistryHoldPoint, timeout?: number): Promise<void>;
  /** Resets every connection (its requests to the registry too) and stops listening: the registry is gone. Idempotent. */
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
  const rules = new Map<RegistryHoldPoint, number>();
  const heldPoints = new Set<RegistryHoldPoint>();
  let heldWaiters: { point: RegistryHoldPoint | undefined; wake: () => void }[] = [];
  const sockets = new Set<Socket>();
  const upstreamRequests = new Set<ClientRequest>();
  const markHeld = (point: RegistryHoldPoint): void => {
    heldPoints.add(point);
    const waiting = heldWaiters;
    heldWaiters = [];
    for (const waiter of waiting) {
      if (waiter.point === undefined || waiter.point === point) waiter.wake();
      else heldWaiters.push(waiter);
    }
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '/';
    const method = request.method ?? 'GET';
    const isBlobGet = method === 'GET' && /\/blobs\/sha256:/.test(url);
    const isBlobUpload = (method === 'PATCH' || method === 'PUT') && /\/blobs\/uploads\//.test(url);
    const isManifestPut = method === 'PUT' && /\/manifests\//.test(url);
    if (rules.has('manifest-upload') && isManifestPut) {
      request.resume();
      markHeld('manifest-upload');
      return; // held: nothing is answered until the front dies
    }
    const downloadLimit = isBlobGet ? rules.get('blob-download') : undefined;
    const uploadLimit = isBlobUpload ? rules.get('blob-upload') : undefined;
    // No pooling towards the registry: a killed front leaves nothing open behind it.
    const upstreamRequest = httpRequest(
      { host: upstreamHost, port: Number(upstreamPort), method, path: url, headers: request.headers, agent: false },
      (upstreamResponse) => {
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        if (downloadLimit !== undefined && (upstreamResponse.statusCode ?? 0) === 200) {
          let sent = 0;
          upstreamResponse.on('data', (chunk: Buffer) => {
            if (sent >= downloadLimit) return;
            const room = downloadLimit - sent;
            response.write(chunk.length > room ? chunk.subarray(0, room) : chunk);
            sent += Math.min(chunk.length, room);
            if (sent >= downloadLimit) {
              upstreamResponse.pause();
              markHeld('blob-download');
            }
          });
          return;
        }
        upstreamResponse.pipe(response);
      },
    );
    upstreamRequests.add(upstreamRequest);
    upstreamRequest.once('close', () => upstreamRequests.delete(upstreamRequest));
    upstreamRequest.on('error', () => response.destroy());
    if (uploadLimit === undefined) {
      request.pipe(upstreamRequest);
      return;
    }
    let received = 0;
    request.on('data', (chunk: Buffer) => {
      if (received >= uploadLimit) return;
      received += chunk.length;
      upstreamRequest.write(chunk);
      if (received >= uploadLimit) {
        request.pause(); // the engine's upload blocks once the socket buffers are full
        markHeld('blob-upload');
      }
    });
    request.on('end', () => {
      if (received < uploadLimit) upstreamRequest.end();
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
      rules.set(point, afterBytes);
    },
    passThrough() {
      rules.clear();
    },
    held(point, timeout = 30_000) {
      if (point === undefined ? heldPoints.size > 0 : heldPoints.has(point)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`No transfer reached the registry front's hold point ${point ?? ''} within ${timeout} ms.`)), timeout);
        heldWaiters.push({
          point,
          wake: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    kill() {
      if (killed) return;
      killed = true;
      server.close();
      for (const upstreamRequest of upstreamRequests) upstreamRequest.destroy();
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
