// A TLS listener on 127.0.0.1 in front of an engine's Unix socket (like stunnel or nginx in front
// of dockerd). The fault suite reaches the engine it kills over TLS through it: the front
// outlives the engine's restarts, so the same client can be used afterwards.
import { connect as connectUnix, type AddressInfo, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';

/**
 * A running TLS front.
 *
 * @example
 * ```ts
 * const front = await startTlsFront(engine.socketPath, { cert, key });
 * tcpTransport({ host: front.host, tls: tlsOptionsFromCertPath(certificates) });
 * ```
 */
export interface TlsFront {
  /** `tcp://127.0.0.1:PORT` */
  readonly host: string;
  /** Connection pairs open right now. */
  openConnections(): number;
  /** Stops listening and drops every connection. Idempotent. */
  close(): Promise<void>;
}

/**
 * Terminates TLS (the harness server certificate) and pipes each connection to `socketPath`;
 * when either side closes or fails, both are destroyed.
 *
 * @example
 * ```ts
 * const front = await startTlsFront('/run/docker.sock', { cert: readFileSync('server-cert.pem'), key: readFileSync('server-key.pem') });
 * ```
 */
export async function startTlsFront(socketPath: string, tls: { readonly cert: string | Buffer; readonly key: string | Buffer }): Promise<TlsFront> {
  const pairs = new Set<Socket>();
  const server = createTlsServer({ cert: tls.cert, key: tls.key }, (client: TLSSocket) => {
    const upstream = connectUnix(socketPath);
    pairs.add(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      pairs.delete(client);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream).pipe(client);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  let closing: Promise<void> | undefined;
  return {
    host: `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`,
    openConnections: () => pairs.size,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const client of pairs) client.destroy();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
