import { BerthError, type BerthErrorOptions } from './base-error.js';
import { redactText } from './redact.js';

/**
 * Something went wrong inside a streamed reply (pull, push, build, load, save, logs).
 *
 * @example
 * ```ts
 * if (error instanceof StreamError) console.log('the stream failed');
 * ```
 */
export class StreamError extends BerthError {
  static override readonly brandName: string = 'StreamError';
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = 'BERTH_STREAM_ERROR';
  override name = 'StreamError';
}

/** Options of {@link StreamMessageError}. */
export interface StreamMessageErrorOptions extends BerthErrorOptions {
  /** The `errorDetail.code` the engine sent, if any. */
  engineCode?: number | undefined;
  /** The whole message object that carried the error. */
  rawMessage?: unknown;
}

/**
 * The engine reported a failure inside a progress stream
 * (`{"errorDetail":{"message":…},"error":…}`), after having answered 200.
 *
 * @example
 * ```ts
 * try {
 *   for await (const message of await pullImage(client, { fromImage: 'localhost:5000/app', tag: 'v1' })) console.log(message.status);
 * } catch (error) {
 *   if (error instanceof StreamMessageError) console.log(error.engineMessage);
 * }
 * ```
 */
export class StreamMessageError extends StreamError {
  static override readonly brandName: string = 'StreamMessageError';
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = 'BERTH_STREAM_MESSAGE';
  override name = 'StreamMessageError';
  /** The engine's message. */
  readonly engineMessage: string;
  /** The engine's error code (`errorDetail.code`), when it sent one. */
  readonly engineCode: number | undefined;
  /** The message object that carried the error. */
  readonly rawMessage: unknown;

  constructor(message: string, options: StreamMessageErrorOptions = {}) {
    // The engine quotes URLs it failed on (a build's remote), user info included.
    const engineMessage = redactText(message);
    super(`Engine reported an error in the stream: ${engineMessage}`, options);
    this.engineMessage = engineMessage;
    this.engineCode = options.engineCode;
    this.rawMessage = redactRawMessage(options.rawMessage);
  }
}

/** Options of {@link StreamDecodeError}. */
export interface StreamDecodeErrorOptions extends BerthErrorOptions {
  /** The offending input, cut to a safe length. */
  excerpt?: string | undefined;
}

/**
 * The stream's bytes did not follow the expected format (malformed JSON, a bad frame header,
 * a stream that ended in the middle of a message).
 *
 * @example
 * ```ts
 * if (error instanceof StreamDecodeError) console.log(error.excerpt);
 * ```
 */
export class StreamDecodeError extends StreamError {
  static override readonly brandName: string = 'StreamDecodeError';
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = 'BERTH_STREAM_DECODE';
  override name = 'StreamDecodeError';
  /** The offending input, cut to at most 200 characters. */
  readonly excerpt: string | undefined;

  constructor(shortMessage: string, options: StreamDecodeErrorOptions = {}) {
    const excerpt =
      options.excerpt === undefined ? undefined : options.excerpt.length > 200 ? `${options.excerpt.slice(0, 200)}…` : options.excerpt;
    super(shortMessage, {
      ...options,
      metaMessages: excerpt === undefined ? options.metaMessages : [...(options.metaMessages ?? []), `Input: ${JSON.stringify(excerpt)}`],
    });
    this.excerpt = excerpt;
  }
}

/**
 * Why a reply was refused by {@link UnexpectedReplyError}, as its `reason`:
 * - `BERTH_REPLY_NOT_JSON`: the body of a JSON reply does not parse (a proxy's page, a cut body);
 * - `BERTH_REPLY_EMPTY`: a JSON reply came with no body at all;
 * - `BERTH_REPLY_SHAPE`: valid JSON of the wrong shape (an object where a list belongs, `null`,
 *   a missing `Id`);
 * - `BERTH_REPLY_TOO_LARGE`: the body is larger than the client's `maxReplyBytes`.
 *
 * @example
 * ```ts
 * if (error instanceof UnexpectedReplyError && error.reason === 'BERTH_REPLY_SHAPE') console.error(`unexpected reply of ${error.endpoint}`);
 * ```
 */
export type UnexpectedReplyReason = 'BERTH_REPLY_NOT_JSON' | 'BERTH_REPLY_EMPTY' | 'BERTH_REPLY_SHAPE' | 'BERTH_REPLY_TOO_LARGE';

/** Options of {@link UnexpectedReplyError}. */
export interface UnexpectedReplyErrorOptions extends StreamDecodeErrorOptions {
  /** What is wrong with the reply. */
  reason: UnexpectedReplyReason;
  /** The endpoint's operation id, e.g. `ImageList`. */
  endpoint: string;
  /** HTTP status of the reply. */
  status: number;
}

/**
 * The engine answered with a success status, but the body is not what the endpoint documents:
 * not JSON, empty, of the wrong shape, or too large. Names the endpoint; `reason` says which.
 *
 * @example
 * ```ts
 * try {
 *   await listImages(client);
 * } catch (error) {
 *   if (error instanceof UnexpectedReplyError) console.log(error.endpoint, error.reason); // 'ImageList' 'BERTH_REPLY_SHAPE'
 * }
 * ```
 */
export class UnexpectedReplyError extends StreamDecodeError {
  static override readonly brandName: string = 'UnexpectedReplyError';
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = 'BERTH_UNEXPECTED_REPLY';
  override name = 'UnexpectedReplyError';
  /** What is wrong with the reply. */
  readonly reason: UnexpectedReplyReason;
  /** The endpoint's operation id, e.g. `ImageList`. */
  readonly endpoint: string;
  /** HTTP status of the reply. */
  readonly status: number;

  constructor(shortMessage: string, options: UnexpectedReplyErrorOptions) {
    super(shortMessage, options);
    this.reason = options.reason;
    this.endpoint = options.endpoint;
    this.status = options.status;
  }
}

function redactRawMessage(raw: unknown): unknown {
  if (raw === undefined || raw === null || typeof raw !== 'object') return raw;
  try {
    return JSON.parse(redactText(JSON.stringify(raw))) as unknown;
  } catch {
    return undefined;
  }
}
