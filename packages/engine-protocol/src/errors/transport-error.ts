import { BerthError, type BerthErrorOptions } from './base-error.js';

/** Options of transport errors. */
export interface TransportErrorOptions extends BerthErrorOptions {
  /** The code of the underlying error (`UND_ERR_SOCKET`, `ECONNREFUSED`, `SSH_CONNECT_TIMEOUT`, …). */
  causeCode?: string | undefined;
}

/**
 * The request could not be carried to the engine or back: connection, socket or timeout
 * trouble. The undici (or system) error is kept as `cause`, its code as `causeCode`; `code` is
 * the class's (`BERTH_CONNECTION_FAILED`, …).
 *
 * @example
 * ```ts
 * try {
 *   await listImages(client);
 * } catch (error) {
 *   if (error instanceof TransportError) console.log(error.code, error.causeCode); // 'BERTH_CONNECTION_FAILED' 'ECONNREFUSED'
 * }
 * ```
 */
export class TransportError extends BerthError {
  static override readonly brandName: string = 'TransportError';
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = 'BERTH_TRANSPORT_ERROR';
  override name = 'TransportError';
  /** The code of the underlying error, when it had one (`ECONNREFUSED`, `UND_ERR_SOCKET`, …). */
  readonly causeCode: string | undefined;

  constructor(shortMessage: string, options: TransportErrorOptions = {}) {
    super(shortMessage, options);
    this.causeCode = options.causeCode;
  }
}

/**
 * No connection could be made: socket missing, permission denied, connection refused, TLS
 * handshake refused, SSH authentication failed.
 *
 * @example
 * ```ts
 * if (error instanceof ConnectionError) console.log('is the engine running?');
 * ```
 */
export class ConnectionError extends TransportError {
  static override readonly brandName: string = 'ConnectionError';
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = 'BERTH_CONNECTION_FAILED';
  override name = 'ConnectionError';
}

/**
 * The connection closed before the reply was complete.
 *
 * @example
 * ```ts
 * if (error instanceof SocketClosedError) console.log('the connection dropped: try again');
 * ```
 */
export class SocketClosedError extends TransportError {
  static override readonly brandName: string = 'SocketClosedError';
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = 'BERTH_SOCKET_CLOSED';
  override name = 'SocketClosedError';
}

/**
 * A connect, headers or body timeout ran out, or the call's own `timeout` did.
 *
 * @example
 * ```ts
 * await listImages(client, {}, { timeout: 5_000 }).catch((error) => {
 *   if (error instanceof TimeoutError) console.log('engine too slow');
 * });
 * ```
 */
export class TimeoutError extends TransportError {
  static override readonly brandName: string = 'TimeoutError';
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = 'BERTH_TIMEOUT';
  override name = 'TimeoutError';
}

/**
 * The `code` of every {@link ClientClosedError}.
 *
 * @example
 * ```ts
 * if ((error as { code?: unknown }).code === CLIENT_CLOSED_CODE) console.log('shutting down');
 * ```
 */
export const CLIENT_CLOSED_CODE = 'BERTH_CLIENT_CLOSED';

/**
 * The client (or the `Docker` object holding it) was closed: a call that was in flight ended
 * with this error, and every call made after `close()` is refused with it. `code` is always
 * `BERTH_CLIENT_CLOSED`.
 *
 * @example
 * ```ts
 * const listing = listImages(client);
 * await client.close();
 * await listing.catch((error) => error instanceof ClientClosedError); // true
 * ```
 */
export class ClientClosedError extends TransportError {
  static override readonly brandName: string = 'ClientClosedError';
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = CLIENT_CLOSED_CODE;
  override name = 'ClientClosedError';

}

/**
 * The caller aborted the call through its `AbortSignal`. The connection was released.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const saving = saveImages(client, { names: ['busybox:latest'] }, { signal: controller.signal });
 * controller.abort();
 * await saving.catch((error: unknown) => error instanceof AbortedError); // true
 * ```
 */
export class AbortedError extends BerthError {
  static override readonly brandName: string = 'AbortedError';
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = 'BERTH_ABORTED';
  override name = 'AbortError';
}
