// Small local servers on 127.0.0.1 that stand in for an engine in unit tests.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server } from 'node:net';

/** A listening server and a way to stop it. */
export interface LocalServer {
  /** The port on 127.0.0.1. */
  readonly port: number;
  /** TCP connections accepted so far. */
  connections(): number;
  /** TCP connections open now. */
  open(): number;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** Answers `/_ping` like an engine does: `OK` with an `Api-Version` header. */
export function engineLikeHandler(request: IncomingMessage, response: ServerResponse): void {
  if (request.url === '/_ping') {
    response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Api-Version': '1.41' });
    response.end('OK');
    return;
  }
  response.writeHead(404, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ message: `page not found: ${request.url ?? ''}` }));
}

/** An HTTPS server with the given TLS options (certificate, client-certificate demands, …). */
export function startHttpsServer(options: ServerOptions): Promise<LocalServer> {
  return listen(createHttpsServer(options, engineLikeHandler));
}

/** A plain-HTTP server answering like an engine. */
export function startHttpServer(): Promise<LocalServer> {
  return listen(createHttpServer(engineLikeHandler));
}

/**
 * A server that answers the first bytes of every connection with `reply` and closes, like
 * Go's HTTP server answering plain HTTP on a TLS port.
 */
export function startRawReplyServer(reply: string): Promise<LocalServer> {
  return listen(
    createNetServer((socket) => {
      socket.once('data', () => socket.end(reply));
      socket.on('error', () => {});
    }),
  );
}

/** A server that accepts connections and never sends a byte. */
export function startSilentServer(): Promise<LocalServer> {
  return listen(createNetServer((socket) => socket.on('error', () => {})));
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = await listen(createNetServer());
  await server.close();
  return server.port;
}

async function listen(server: Server): Promise<LocalServer> {
  let accepted = 0;
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A refused handshake is what several tests provoke; it must not crash the run.
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => accepted,
    open: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * `openssl s_server` on 127.0.0.1: a TLS server that, unlike Node's, answers a refused client
 * certificate with a TLS alert (as dockerd and most TLS proxies do). `arguments_` are extra
 * s_server options such as `-Verify 1 -verify_return_error -CAfile ca.pem`.
 */
export async function startOpensslServer(arguments_: readonly string[]): Promise<LocalServer> {
  const { spawn } = await import('node:child_process');
  const child = spawn('openssl', ['s_server', '-accept', '127.0.0.1:0', '-www', ...arguments_], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`openssl s_server did not start: ${output}`)), 5_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /^ACCEPT .*:(\d+)$/m.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`openssl s_server exited (${code ?? 'signal'}): ${output}`));
    });
  });
  return {
    port,
    connections: () => Number.NaN,
    open: () => Number.NaN,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
