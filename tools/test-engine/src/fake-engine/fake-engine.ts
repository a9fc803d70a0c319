// An engine that misbehaves on purpose: a Node HTTP server on a Unix socket (and, when asked,
// on a TLS port of 127.0.0.1) whose answer to each request is chosen by the test. The harness
// sshd reaches its socket like the real engine's (both SSH modes take a socket path), so one
// fake serves the fault suite on every transport.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';

/** One request the fake engine received. */
export interface FakeRequest {
  /** `GET`, `POST`, … */
  readonly method: string;
  /** Path with query, as sent. */
  readonly url: string;
  /** Request headers, lower-case names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** What a behaviour gets to answer one request. */
export interface FakeExchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  /** The connection, for faults below HTTP (reset, raw bytes). */
  readonly socket: Socket;
}

/** How the fake engine answers a request; see `fake-behaviours.ts` for ready ones. */
export type FakeBehaviour = (exchange: FakeExchange) => void | Promise<void>;

/** Which requests a behaviour applies to: a predicate, or a pattern tested on `METHOD url`. */
export type FakeRequestMatcher = RegExp | ((request: FakeRequest) => boolean);

/**
 * Options of {@link startFakeEngine}.
 *
 * @example
 * ```ts
 * const fake = await startFakeEngine({ tls: { cert: readFileSync(certFile), key: readFileSync(keyFile) } });
 * ```
 */
export interface FakeEngineOptions {
  /** Also serve TLS on 127.0.0.1 with this certificate (PEM). */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer } | undefined;
  /** The `Api-Version` its `/_ping` announces. Default: `1.41`. */
  readonly apiVersion?: string | undefined;
}

/**
 * A running fake engine.
 *
 * @example
 * ```ts
 * const fake = await startFakeEngine();
 * fake.on(/GET .*\/images\/json/, replyJson(200, { not: 'a list' }));
 * await listImages(createEngineClient({ transport: unixTransport({ socketPath: fake.socketPath }) })); // UnexpectedReplyError
 * await fake.close();
 * ```
 */
export interface FakeEngine {
  /** Its Unix socket. */
  readonly socketPath: string;
  /** `tcp://127.0.0.1:PORT` of the TLS listener, when `tls` was given. */
  readonly tlsHost: string | undefined;
  /** Requests received since the last `reset()`, oldest first. */
  readonly requests: readonly FakeRequest[];
  /**
   * Answers requests that `matcher` accepts with `behaviour` (rules added later win) until
   * `reset()`. Unmatched requests get the default: `/_ping` answers like an engine, anything
   * else a JSON 404.
   */
  on(matcher: FakeRequestMatcher, behaviour: FakeBehaviour): void;
  /** Drops every rule and the request log; connections stay. */
  reset(): void;
  /** Resolves with the first request (already received or to come) that `predicate` accepts. */
  waitForRequest(predicate: (request: FakeRequest) => boolean, timeout?: number): Promise<FakeRequest>;
  /** Connections open right now, on every listener. */
  openConnections(): number;
  /** Destroys every connection (an engine that dies) but keeps listening. */
  destroyConnections(): void;
  /** Stops listening, destroys every connection, removes the socket's directory. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts a fake engine on a fresh Unix socket (and a TLS port when `tls` is given).
 *
 * @example
 * ```ts
 * const fake = await startFakeEngine({ apiVersion: '1.45' });
 * ```
 */
export async function startFakeEngine(options: FakeEngineOptions = {}): Promise<FakeEngine> {
  const apiVersion = options.apiVersion ?? '1.41';
  const directory = mkdtempSync(join(tmpdir(), 'berth-fake-'));
  const socketPath = join(directory, 'engine.sock');
  const rules: { matcher: FakeRequestMatcher; behaviour: FakeBehaviour }[] = [];
  const requests: FakeRequest[] = [];
  const waiters = new Set<{ predicate: (request: FakeRequest) => boolean; resolve: (request: FakeRequest) => void }>();
  const connections = new Set<Socket>();

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const seen: FakeRequest = { method: request.method ?? 'GET', url: request.url ?? '/', headers: { ...request.headers } };
    requests.push(seen);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(seen)) {
        waiters.delete(waiter);
        waiter.resolve(seen);
      }
    }
    const rule = [...rules].reverse().find(({ matcher }) => matches(matcher, seen));
    const behaviour = rule?.behaviour ?? defaultBehaviour(apiVersion);
    const socket = request.socket;
    Promise.resolve()
      .then(() => behaviour({ request, response, socket }))
      .catch(() => socket.destroy());
  };

  // No Keep-Alive header, like dockerd (Go): the client's own keep-alive timeout applies.
  const http: Server = createHttpServer({ keepAliveTimeout: 0 }, handle);
  // Faults leave half-read requests behind: never let them crash the test process.
  http.on('clientError', (_error, socket) => socket.destroy());
  const track = (socket: Socket): void => {
    connections.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => connections.delete(socket));
  };
  const unixServer = createNetServer((socket) => {
    track(socket);
    http.emit('connection', socket);
  });
  await new Promise<void>((resolve, reject) => {
    unixServer.once('error', reject);
    unixServer.listen(socketPath, () => resolve());
  });

  let tlsHost: string | undefined;
  const tlsServer =
    options.tls === undefined
      ? undefined
      : createTlsServer({ cert: options.tls.cert, key: options.tls.key }, (socket: TLSSocket) => {
          track(socket);
          http.emit('connection', socket);
        });
  if (tlsServer !== undefined) {
    tlsServer.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve, reject) => {
      tlsServer.once('error', reject);
      tlsServer.listen(0, '127.0.0.1', () => resolve());
    });
    tlsHost = `tcp://127.0.0.1:${(tlsServer.address() as AddressInfo).port}`;
  }

  let closing: Promise<void> | undefined;
  const destroyConnections = (): void => {
    for (const socket of connections) socket.destroy();
  };
  return {
    socketPath,
    tlsHost,
    get requests() {
      return requests;
    },
    on(matcher, behaviour) {
      rules.push({ matcher, behaviour });
    },
    reset() {
      rules.length = 0;
      requests.length = 0;
    },
    waitForRequest(predicate, timeout = 10_000) {
      const already = requests.find(predicate);
      if (already) return Promise.resolve(already);
      return new Promise<FakeRequest>((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (request: FakeRequest) => {
            clearTimeout(timer);
            resolve(request);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`The fake engine saw no matching request within ${timeout} ms; it saw: ${requests.map((r) => `${r.method} ${r.url}`).join(', ') || 'nothing'}.`));
        }, timeout);
        waiters.add(waiter);
      });
    },
    openConnections: () => connections.size,
    destroyConnections,
    close() {
      closing ??= (async () => {
        destroyConnections();
        await Promise.all([
          new Promise<void>((resolve) => unixServer.close(() => resolve())),
          tlsServer === undefined ? undefined : new Promise<void>((resolve) => tlsServer.close(() => resolve())),
        ]);
        http.close();
        rmSync(directory, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

function matches(matcher: FakeRequestMatcher, request: FakeRequest): boolean {
  return typeof matcher === 'function' ? matcher(request) : matcher.test(`${request.method} ${request.url}`);
}

/** `/_ping` (GET and HEAD: the docker CLI's dial-stdio pings with HEAD first) like an engine; anything else a 404. */
function defaultBehaviour(apiVersion: string): FakeBehaviour {
  return ({ request, response }) => {
    if (request.url === '/_ping') {
      response.writeHead(200, { 'api-version': apiVersion, 'builder-version': '1', ostype: 'linux', 'content-type': 'text/plain' });
      response.end(request.method === 'HEAD' ? undefined : 'OK');
      return;
    }
    request.resume();
    response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `fake engine: no rule for ${request.method} ${request.url}` }));
  };
}
