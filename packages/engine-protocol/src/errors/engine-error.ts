import { BerthError } from './base-error.js';
import { redactText, type RedactedRequest } from './redact.js';

/** What the engine answered, as far as an error needs it. */
export interface EngineErrorParameters {
  /** HTTP status code of the engine's reply. */
  status: number;
  /** The engine's own message (`{"message": …}` or the text body). */
  engineMessage: string;
  /** The request that failed, already redacted. */
  request: RedactedRequest;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * The engine answered with an HTTP error status. Carries the status, the engine's message,
 * and a redacted copy of the request (no auth headers, no credentials in URLs).
 *
 * @example
 * ```ts
 * try {
 *   await inspectImage(client, { name: 'nope' });
 * } catch (error) {
 *   if (error instanceof EngineError) console.log(error.status, error.engineMessage);
 * }
 * ```
 */
export class EngineError extends BerthError {
  static override readonly brandName: string = 'EngineError';
  override name = 'EngineError';
  /** HTTP status code. */
  readonly status: number;
  /** The engine's message. */
  readonly engineMessage: string;
  /** HTTP method of the failed request. */
  readonly method: string;
  /** Versioned path (with query) of the failed request, redacted. */
  readonly path: string;
  /** Redacted copy of the request. */
  readonly request: RedactedRequest;

  constructor(parameters: EngineErrorParameters) {
    const engineMessage = redactText(parameters.engineMessage);
    super(`Engine error ${parameters.status}: ${engineMessage || 'no message'}`, {
      cause: parameters.cause,
      metaMessages: [`Request: ${parameters.request.method} ${parameters.request.path}`],
    });
    this.status = parameters.status;
    this.engineMessage = engineMessage;
    this.method = parameters.request.method;
    this.path = parameters.request.path;
    this.request = parameters.request;
  }
}

/**
 * The engine answered 404: no such image, container, or endpoint.
 *
 * @example
 * ```ts
 * const exists = await inspectImage(client, { name }).then(() => true, (error) => {
 *   if (error instanceof NotFoundError) return false;
 *   throw error;
 * });
 * ```
 */
export class NotFoundError extends EngineError {
  static override readonly brandName: string = 'NotFoundError';
  override name = 'NotFoundError';
}

/**
 * The engine answered 409: the request conflicts with the current state
 * (for example removing an image that a container uses).
 *
 * @example
 * ```ts
 * try { await deleteImage(client, { name }); }
 * catch (error) { if (error instanceof ConflictError) await deleteImage(client, { name, force: true }); }
 * ```
 */
export class ConflictError extends EngineError {
  static override readonly brandName: string = 'ConflictError';
  override name = 'ConflictError';
}

/**
 * Picks the most specific engine error class for a status code.
 *
 * @example
 * ```ts
 * throw createEngineError({ status: 404, engineMessage: 'No such image', request });
 * ```
 */
export function createEngineError(parameters: EngineErrorParameters): EngineError {
  if (parameters.status === 404) return new NotFoundError(parameters);
  if (parameters.status === 409) return new ConflictError(parameters);
  return new EngineError(parameters);
}
