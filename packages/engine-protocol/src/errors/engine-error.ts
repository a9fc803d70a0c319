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
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = 'BERTH_ENGINE_ERROR';
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
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = 'BERTH_NOT_FOUND';
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
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = 'BERTH_CONFLICT';
  override name = 'ConflictError';
}

/**
 * The `code` of every {@link UnsupportedEndpointError}.
 *
 * @example
 * ```ts
 * if ((error as { code?: unknown }).code === UNSUPPORTED_ENDPOINT_CODE) console.log('this engine lacks the endpoint');
 * ```
 */
export const UNSUPPORTED_ENDPOINT_CODE = 'BERTH_UNSUPPORTED_ENDPOINT';

/**
 * The engine does not have the endpoint at all: it answered 404 (or 501) for the path itself,
 * not for an object. Podman, for example, has no `/distribution/{name}/json` and no
 * `/build/prune`. Told apart from {@link NotFoundError} ("no such image") by the reply:
 * Podman's `Path /v1.41/… is not supported` and bare `Not Found`, the engine router's
 * `page not found`, Go's `404 page not found`, or a 501. Not a `NotFoundError`, so code that
 * treats "not found" as "absent" does not take a missing feature for a missing image. `code`
 * is always `BERTH_UNSUPPORTED_ENDPOINT`.
 *
 * @example
 * ```ts
 * try {
 *   await inspectDistribution(client, { name: 'localhost:5000/app:v1' });
 * } catch (error) {
 *   if (error instanceof UnsupportedEndpointError) console.log(`${error.method} ${error.path} is not offered by this engine`);
 * }
 * ```
 */
export class UnsupportedEndpointError extends EngineError {
  static override readonly brandName: string = 'UnsupportedEndpointError';
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = UNSUPPORTED_ENDPOINT_CODE;
  override name = 'UnsupportedEndpointError';
}

/** Replies of engines and routers for a path they do not serve (not for an absent object). */
const unsupportedPathMessages = [/^path \S+ is not supported$/i, /^(?:404 )?page not found$/i, /^not found$/i];

/**
 * Whether an error reply says that the endpoint itself does not exist on the engine.
 *
 * @example
 * ```ts
 * isUnsupportedEndpointReply(404, 'Path /v1.41/build/prune is not supported'); // true
 * isUnsupportedEndpointReply(404, 'No such image: app:v1'); // false
 * ```
 */
export function isUnsupportedEndpointReply(status: number, engineMessage: string): boolean {
  if (status === 501) return true;
  const message = engineMessage.trim();
  return status === 404 && unsupportedPathMessages.some((pattern) => pattern.test(message));
}

/**
 * Picks the most specific engine error class for a status code (and, for a 404 or 501, the
 * reply: see {@link UnsupportedEndpointError}).
 *
 * @example
 * ```ts
 * const request = { method: 'GET', path: '/v1.45/images/nope/json', headers: {} };
 * throw createEngineError({ status: 404, engineMessage: 'No such image: nope:latest', request });
 * ```
 */
export function createEngineError(parameters: EngineErrorParameters): EngineError {
  if (isUnsupportedEndpointReply(parameters.status, parameters.engineMessage)) return new UnsupportedEndpointError(parameters);
  if (parameters.status === 404) return new NotFoundError(parameters);
  if (parameters.status === 409) return new ConflictError(parameters);
  return new EngineError(parameters);
}
