import {
  AbortedError,
  BerthError,
  ConnectionError,
  SocketClosedError,
  TimeoutError,
  TransportError,
} from '../errors/index.js';
import type { Transport } from '../transport.js';

const timeoutCodes = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
const closedCodes = new Set(['UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);
const connectCodes = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'EPERM',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTSOCK',
]);

/** Where the failure happened, for the message. */
export interface TransportErrorContext {
  /** The transport in use. */
  readonly transport: Transport;
  /** `GET /v1.45/images/json`, already redacted. */
  readonly requestLine: string;
}

/**
 * Maps whatever undici, Node or a transport threw into Berth's error hierarchy, keeping the
 * original as `cause` and its code as `causeCode`. Berth errors pass through unchanged.
 *
 * @example
 * ```ts
 * try {
 *   await dispatcher.request({ origin: transport.origin, method: 'GET', path: '/_ping' });
 * } catch (error) {
 *   throw mapTransportError(error, { transport, requestLine: 'GET /_ping' });
 * }
 * ```
 */
export function mapTransportError(error: unknown, context: TransportErrorContext): Error {
  if (error instanceof BerthError) return error;
  const described = context.transport.describeError?.(error);
  if (described) return described;

  const code = errorCode(error);
  const where = `${context.requestLine} via ${context.transport.description}`;
  const options = { cause: error, causeCode: code };
  if (code === 'UND_ERR_ABORTED' || (error instanceof Error && error.name === 'AbortError')) {
    return new AbortedError(`Request aborted: ${where}`, { cause: error });
  }
  if (code !== undefined && timeoutCodes.has(code)) {
    return new TimeoutError(`Timed out talking to the engine: ${where}`, options);
  }
  if (code !== undefined && closedCodes.has(code)) {
    return new SocketClosedError(`Connection to the engine closed early: ${where}`, options);
  }
  if (code !== undefined && (connectCodes.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.includes('CERT'))) {
    return new ConnectionError(`Cannot connect to the engine (${code}): ${context.transport.description}`, options);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TransportError(`Transport failure (${code ?? 'no code'}): ${where}`, { ...options, details: message });
}

/**
 * The code of an error or of the first cause that has one: a Node or undici code
 * (`ECONNREFUSED`, `UND_ERR_SOCKET`), or a Berth transport error's `causeCode`. The class code
 * every Berth error carries (`BERTH_…`) is skipped: it names the class, not the failure.
 *
 * @example
 * ```ts
 * errorCode(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })); // 'ECONNREFUSED'
 * ```
 */
export function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth += 1) {
    const code = current instanceof BerthError ? (current as { causeCode?: unknown }).causeCode : (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
