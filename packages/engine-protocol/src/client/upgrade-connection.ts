import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import { createEngineError } from '../errors/engine-error.js';
import { TransportError } from '../errors/index.js';
import { redactRequest } from '../errors/redact.js';
import type { PreparedRequest } from '../request/build-request.js';
import type { Transport } from '../transport.js';
import type { CallOptions, CallSignal } from './call-signal.js';
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
 * too (even a graceful close waits for it no longer than its timeout).
 *
 * @example
 * ```ts
 * import http2 from 'node:http2';
 *
 * const headers = { 'X-Docker-Expose-Session-Uuid': crypto.randomUUID() };
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
 * Sends one upgrade request through the transport's dispatcher and hands back the switched
 * socket; `call` governs the handshake (its abort, timeout, or the client's close end it). Used
 * by `EngineClient.upgrade`, which also ends the connection when the client closes; call that
 * instead.
 *
 * @example
 * ```ts
 * const request = buildRequest(sessionEndpoint, {}, { apiVersion: '1.45' });
 * const call = createCallSignal({ timeout: 10_000 }, 'POST /v1.45/session');
 * const connection = await upgradeConnection(transport, request, call, { protocol: 'h2c' }, 'berth');
 * ```
 */
export function upgradeConnection(
  transport: Transport,
  request: PreparedRequest,
  call: CallSignal,
  options: Pick<UpgradeOptions, 'protocol' | 'headers'>,
  userAgent: string,
): Promise<UpgradedConnection> {
  const redacted = redactRequest(request);
  const requestLine = `${redacted.method} ${redacted.path}`;
  const context: TransportErrorContext = { transport, requestLine };
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
      call.signal.removeEventListener('abort', onAbort);
      call.dispose();
      outcome();
    };
    const fail = (error: unknown): void => settle(() => reject(call.reason() ?? mapTransportError(error, context)));
    const onAbort = (): void => {
      const reason = call.reason();
      if (reason) controller?.abort(reason);
      fail(reason);
    };
    if (call.signal.aborted) {
      fail(call.reason());
      return;
    }
    call.signal.addEventListener('abort', onAbort, { once: true });

    let errorStatus = 0;
    const errorBody: Buffer[] = [];
    let errorBodySize = 0;

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(requestController) {
        controller = requestController;
        if (settled) requestController.abort(call.reason() ?? new Error('upgrade settled'));
      },
      onRequestUpgrade(_requestController, _statusCode, responseHeaders, socket) {
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
