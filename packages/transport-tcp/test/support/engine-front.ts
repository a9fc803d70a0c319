// A TCP front for the harness engine's Unix socket: plain, or TLS with a chosen certificate
// (expired, wrong name, …). Like stunnel or nginx in front of dockerd, it lets the tests meet
// the real engine behind certificates dockerd itself was not started with.
import { connect as connectUnix, createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';

/** A running front. */
export interface EngineFront {
  /** `tcp://127.0.0.1:PORT` */
  readonly host: string;
  /** Stops it and drops open connections. */
  close(): Promise<void>;
}

/** Forwards every connection on 127.0.0.1 to `socketPath`; with `tls`, after a TLS handshake. */
export async function startEngineFront(socketPath: string, tls?: TlsOptions): Promise<EngineFront> {
  const sockets = new Set<Socket>();
  const forward = (client: Socket): void => {
    const upstream = connectUnix(socketPath);
    sockets.add(client).add(upstream);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream).pipe(client);
  };
  const server: Server = tls ? createTlsServer(tls, forward) : createNetServer(forward);
  // Handshakes the client refuses are what some tests are about.
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    host: `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
