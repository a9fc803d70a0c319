import type { IncomingHttpHeaders } from 'node:http';
import { ConnectionError } from '@berth/engine-protocol';
import type { Dispatcher } from 'undici';

/** The reply of Go's HTTP server (so dockerd's) to plain HTTP on a TLS port. */
const goPlainOnTlsReply = 'Client sent an HTTP request to an HTTPS server';
/**
 * `code` of the `ConnectionError` raised when a plain-HTTP transport meets a TLS port.
 *
 * @example
 * ```ts
 * if (error instanceof ConnectionError && error.causeCode === PLAIN_HTTP_TO_TLS_PORT) console.error('the port speaks TLS: pass tls options');
 * ```
 */
export const PLAIN_HTTP_TO_TLS_PORT = 'BERTH_PLAIN_HTTP_TO_TLS_PORT';
// The reply is one short line; anything longer is not it.
const maxHeldBytes = 1024;

/**
 * An undici interceptor for plain-HTTP transports: when the port speaks TLS, dockerd answers
 * a bare `400` without any header ("Client sent an HTTP request to an HTTPS server."). That
 * reply is turned into a `ConnectionError` saying the engine expects TLS, instead of looking
 * like an engine error. Replies with headers (every reply of the engine itself) pass through
 * untouched.
 *
 * @example
 * ```ts
 * const dispatcher = new Agent().compose(detectPlainHttpToTlsPort('10.0.0.5:2376'));
 * ```
 */
export function detectPlainHttpToTlsPort(authority: string): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => dispatch(options, new PlainToTlsHandler(handler, authority));
}

class PlainToTlsHandler implements Dispatcher.DispatchHandler {
  readonly #inner: Dispatcher.DispatchHandler;
  readonly #authority: string;
  #held: { statusCode: number; headers: IncomingHttpHeaders; statusMessage: string | undefined; chunks: Buffer[]; size: number } | undefined;

  constructor(inner: Dispatcher.DispatchHandler, authority: string) {
    this.#inner = inner;
    this.#authority = authority;
  }

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.#inner.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, socket: import('node:stream').Duplex): void {
    this.#inner.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders, statusMessage?: string): void {
    if (statusCode === 400 && Object.keys(headers).length === 0) {
      // Hold the reply until its end shows whether it is Go's TLS notice.
      this.#held = { statusCode, headers, statusMessage, chunks: [], size: 0 };
      return;
    }
    this.#inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const held = this.#held;
    if (held === undefined) {
      this.#inner.onResponseData?.(controller, chunk);
      return;
    }
    held.chunks.push(chunk);
    held.size += chunk.length;
    if (held.size > maxHeldBytes) this.#release(controller);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    const held = this.#held;
    if (held !== undefined && Buffer.concat(held.chunks).toString('utf8').startsWith(goPlainOnTlsReply)) {
      this.#held = undefined;
      const reply = Buffer.concat(held.chunks).toString('utf8').trim();
      this.#inner.onResponseError?.(
        controller,
        new ConnectionError(`The engine on ${this.#authority} expects TLS, but this transport speaks plain HTTP.`, {
          causeCode: PLAIN_HTTP_TO_TLS_PORT,
          cause: new Error(`HTTP 400 from ${this.#authority}: ${reply}`),
          details:
            'Give TLS options (tls: { ca, cert, key }, or DOCKER_TLS_VERIFY=1 with DOCKER_CERT_PATH) or use https://; 2376 is the TLS port by convention.',
        }),
      );
      return;
    }
    if (held !== undefined) this.#release(controller);
    this.#inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.#inner.onResponseError?.(controller, error);
  }

  /** Hands a held reply on as it came. */
  #release(controller: Dispatcher.DispatchController): void {
    const held = this.#held;
    if (held === undefined) return;
    this.#held = undefined;
    this.#inner.onResponseStart?.(controller, held.statusCode, held.headers, held.statusMessage);
    if (held.size > 0) this.#inner.onResponseData?.(controller, Buffer.concat(held.chunks));
  }
}
