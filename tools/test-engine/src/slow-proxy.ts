// A TCP proxy on 127.0.0.1 that slows what the upstream (the harness registry) sends, so that a
// pull takes seconds: long enough to see its bars and to press Ctrl-C in the middle of it. The
// engine treats every 127.0.0.0/8 registry as insecure, so it pulls through it as through the
// registry itself.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * A running {@link startSlowProxy}.
 *
 * @example
 * ```ts
 * const proxy = await startSlowProxy(engine.registry, 1_000_000);
 * await images.pull(`${proxy.address}/app:v1`); // takes about a second per MB
 * ```
 */
export interface SlowProxy {
  /** `127.0.0.1:PORT`, usable as a registry address. */
  readonly address: string;
  /** Connections open right now. */
  openConnections(): number;
  close(): Promise<void>;
}

/**
 * Starts the proxy; `bytesPerSecond` bounds what each connection receives from the upstream.
 *
 * @example
 * ```ts
 * const proxy = await startSlowProxy('127.0.0.1:5000', 1_500_000);
 * await proxy.close();
 * ```
 */
export async function startSlowProxy(upstream: string, bytesPerSecond: number): Promise<SlowProxy> {
  const [host, port] = upstream.split(':') as [string, string];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const target = createConnection({ host, port: Number(port) });
    sockets.add(client);
    sockets.add(target);
    const drop = (): void => {
      client.destroy();
      target.destroy();
      sockets.delete(client);
      sockets.delete(target);
    };
    // Downstream: 16 KiB at a time, each followed by the wait that keeps the rate; the transform's
    // callback comes late, so backpressure slows the upstream too.
    const throttle = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        void (async () => {
          for (let offset = 0; offset < chunk.length; offset += 16_384) {
            const piece = chunk.subarray(offset, offset + 16_384);
            this.push(piece);
            await new Promise((resolve) => setTimeout(resolve, (piece.length / bytesPerSecond) * 1000));
          }
          callback();
        })();
      },
    });
    // Upstream with plain pipe(): the registry may close its side once it sent the whole reply,
    // and that must not cut what the throttle still has to deliver.
    client.pipe(target);
    client.on('error', drop);
    pipeline(target, throttle, client).then(drop, drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    address: `127.0.0.1:${address.port}`,
    openConnections: () => [...sockets].filter((socket) => !socket.destroyed).length / 2,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
