import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import { createEngineError, redactRequest, TransportError } from '../errors/index.js';
import { buildRequest, type PreparedRequest } from '../request/build-request.js';
import type { EndpointDefinition } from '../request/endpoint.js';
import type { Transport } from '../transport.js';
import { CLIENT_MAX_API_VERSION } from '../version/api-version.js';
import { createCallSignal, type CallOptions } from './call-signal.js';
import { mapTransportError, type TransportErrorContext } from './map-transport-error.js';
import { extractEngineMessage } from './read-error-body.js';

/**
 * Options of an upgrade (`EngineClient.upgrade`): the protocol to switch to and extra headers.
 * The call's `signal` and `timeout` govern the handshake only, up to `101 Switching
 * Protocols`; the connection then lives until it is closed.
 *
 * @example
 * ```ts
 * const options: UpgradeOptions = {
 *   protocol: 'h2c',
 *   headers: { 'X-Docker-Expose-Session-Grpc-Method': ['/moby.filesync.v1.Auth/Credentials'] },
 *   timeout: 10_000,
 * };
 * ```
 */
export interface UpgradeOptions extends CallOptions {
  /** Sent as `Upgrade` (with `Connection: Upgrade`); `h2c` for BuildKit sessions and `/grpc`. */
  readonly protocol: string;
  /** Extra request headers; an array is sent as repeated header lines. */
  readonly headers?: Readonly<Record<string, string | readonly string[]>> | undefined;
}

/**
 * A connection the engine switched to another protocol (`POST /session`, `POST /grpc`): the raw
 * socket of whichever transport carried it (a Unix socket, a TLS socket, an SSH channel). It is
 * no longer part of the transport's pool; close it when done. The client's `close()` closes it
 * too.
 *
 * @example
 * ```ts
 * const connection = await client.upgrade(sessionEndpoint, {}, { protocol: 'h2c', headers });
 * const http2Session = http2.performServerHandshake(connection.socket);
 * // … later
 * connection.close();
 * await connection.closed;
 * ```
 */
export interface UpgradedConnection {
  /** The switched connection, as a byte stream in both directions. */
  readonly socket: Duplex;
  /** Headers of the engine's `101` reply, lower-case names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** `POST /v1.45/session`, for messages. */
  readonly requestLine: string;
  /** Resolves once the socket is closed, whoever closed it. Never rejects. */
  readonly closed: Promise<void>;
  /** Destroys the socket (idempotent). */
  close(): void;
}

/** Largest error body read to find the engine's message. */
const maxErrorBodyBytes = 64 * 1024;

/**
 * The upgraded connections of one client, so that the client's `close()` ends them with it.
 *
 * @example
 * ```ts
 * const upgrades = new UpgradedConnections(transport, 'berth');
 * const connection = await upgrades.open(sessionEndpoint, {}, { protocol: 'h2c' }, () => client.apiVersion());
 * upgrades.closeAll();
 * ```
 */
export class UpgradedConnections {
  readonly #open = new Set<UpgradedConnection>();
  readonly #transport: Transport;
  readonly #userAgent: string;

  constructor(transport: Transport, userAgent: string) {
    this.#transport = transport;
    this.#userAgent = userAgent;
  }

  /** How many upgraded connections are open. */
  get size(): number {
    return this.#open.size;
  }

  /**
   * Builds the request for `endpoint` at the API version `apiVersion()` answers, sends it with
   * `Connection: Upgrade`, and resolves once the engine switched protocols. An error status
   * rejects with the engine's message (`EngineError` and its kinds); a reply that is neither
   * (a `200`) rejects with `TransportError`; connection failures, aborts and timeouts as for
   * every other call.
   */
  async open(
    endpoint: EndpointDefinition,
    parameters: object,
    options: UpgradeOptions,
    apiVersion: (options: CallOptions) => Promise<string>,
  ): Promise<UpgradedConnection> {
    const callOptions: CallOptions = { signal: options.signal, timeout: options.timeout };
    const version = endpoint.versioned === false ? CLIENT_MAX_API_VERSION : await apiVersion(callOptions);
    const request = buildRequest(endpoint, parameters, { apiVersion: version });
    const connection = await upgradeConnection(this.#transport, request, options, this.#userAgent);
    this.#open.add(connection);
    void connection.closed.then(() => this.#open.delete(connection));
    return connection;
  }

  /** Destroys every open upgraded connection. */
  closeAll(): void {
    for (const connection of this.#open) connection.close();
  }
}

/**
 * Sends one upgrade request through the transport's dispatcher and hands back the switched
 * socket. Used by {@link UpgradedConnections}; call `EngineClient.upgrade` instead.
 *
 * @example
 * ```ts
 * const request = buildRequest(sessionEndpoint, {}, { apiVersion: '1.45' });
 * const connection = await upgradeConnection(transport, request, { protocol: 'h2c' }, 'berth');
 * ```
 */
export function upgradeConnection(
  transport: Transport,
  request: PreparedRequest,
  options: UpgradeOptions,
  userAgent: string,
): Promise<UpgradedConnection> {
  const redacted = redactRequest(request);
  const requestLine = `${redacted.method} ${redacted.path}`;
  const context: TransportErrorContext = { transport, requestLine };
  const call = createCallSignal(options, requestLine);
  const headers: Record<string, string | string[]> = { 'User-Agent': userAgent, ...request.headers };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    headers[name] = typeof value === 'string' ? value : [...value];
  }

  return new Promise<UpgradedConnection>((resolve, reject) => {
    let settled = false;
    let controller: Dispatcher.DispatchController | undefined;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      call.signal?.removeEventListener('abort', onAbort);
      call.dispose();
      outcome();
    };
    const fail = (error: unknown): void => settle(() => reject(call.reason() ?? mapTransportError(error, context)));
    const onAbort = (): void => {
      const reason = call.reason();
      if (reason) controller?.abort(reason);
      fail(reason);
    };
    if (call.signal?.aborted) {
      fail(call.reason());
      return;
    }
    call.signal?.addEventListener('abort', onAbort, { once: true });

    let errorStatus = 0;
    const errorBody: Buffer[] = [];
    let errorBodySize = 0;

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(requestController) {
        controller = requestController;
        if (settled) requestController.abort(call.reason() ?? new Error('upgrade settled'));
      },
      onRequestUpgrade(_requestController, statusCode, responseHeaders, socket) {
        if (settled) {
          socket.destroy();
          return;
        }
        settle(() => resolve(switchedConnection(socket, responseHeaders as Record<string, string | string[] | undefined>, requestLine)));
      },
      onResponseStart(_requestController, statusCode) {
        errorStatus = statusCode;
      },
      onResponseData(_requestController, chunk) {
        if (errorBodySize < maxErrorBodyBytes) {
          errorBody.push(chunk);
          errorBodySize += chunk.length;
        }
      },
      onResponseEnd() {
        const engineMessage = extractEngineMessage(Buffer.concat(errorBody).toString('utf8'));
        if (errorStatus >= 400) {
          settle(() => reject(createEngineError({ status: errorStatus, engineMessage, request: redacted })));
        } else {
          settle(() =>
            reject(
              new TransportError(`The engine answered ${errorStatus} instead of switching protocols: ${requestLine} via ${transport.description}`, {
                details: engineMessage || undefined,
              }),
            ),
          );
        }
      },
      onResponseError(_requestController, error) {
        fail(error);
      },
    };

    try {
      transport.dispatcher.dispatch(
        {
          origin: transport.origin,
          path: request.path,
          method: request.method,
          headers,
          body: (request.body ?? null) as NonNullable<Dispatcher.DispatchOptions['body']>,
          upgrade: options.protocol,
          // The handshake is quick; the switched connection is ours afterwards, so undici's idle
          // timers must not close it.
          headersTimeout: 0,
          bodyTimeout: 0,
        },
        handler,
      );
    } catch (error) {
      fail(error);
    }
  });
}

function switchedConnection(
  socket: Duplex,
  headers: Record<string, string | string[] | undefined>,
  requestLine: string,
): UpgradedConnection {
  const closed = new Promise<void>((resolve) => {
    if (socket.destroyed) resolve();
    else socket.once('close', () => resolve());
  });
  // Errors after the switch belong to whoever speaks on the socket; without a listener one would
  // crash the process.
  socket.on('error', () => undefined);
  return {
    socket,
    headers,
    requestLine,
    closed,
    close: () => {
      if (!socket.destroyed) socket.destroy();
    },
  };
}
