import type { Readable } from 'node:stream';
import { UnexpectedReplyError, type UnexpectedReplyReason } from '../errors/index.js';
import { jsonSyntaxLocationSuffix } from '../json/json-syntax-location.js';
import type { PreparedRequest } from '../request/build-request.js';
import type { CallSignal } from './call-signal.js';
import { mapTransportError, type TransportErrorContext } from './map-transport-error.js';
import { describeShapeProblem } from './reply-shape.js';

/**
 * The largest reply `json()` and `text()` read by default: 64 MiB. Streams (`chunks()`) have
 * no limit. Set per client with `maxReplyBytes`.
 *
 * @example
 * ```ts
 * createEngineClient({ transport, maxReplyBytes: 2 * DEFAULT_MAX_REPLY_BYTES });
 * ```
 */
export const DEFAULT_MAX_REPLY_BYTES = 64 * 1024 * 1024;

/**
 * What a reply is made from: undici's `request()` result, or the byte-stream dispatch's.
 *
 * @internal
 */
export interface ReplyData {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The body; `dump()` (undici's body) discards the rest and keeps the connection when it can. */
  readonly body: Readable & { dump?(): Promise<unknown> };
}

/**
 * A successful reply (a status the endpoint documents as success) whose body has not been read yet. Read it exactly once
 * (`json()`, `text()`, iterate `chunks()`), or `dispose()` it: an unread body keeps its
 * connection busy. `Reply` is what `json()` resolves to: `client.send` sets it from the
 * endpoint (see `EndpointReply`).
 *
 * @example
 * ```ts
 * const response = await client.send(imageInspectEndpoint, { name: 'busybox' });
 * console.log(response.status, response.header('content-type'));
 * const image: ImageInspect = await response.json();
 * ```
 */
export class EngineResponse<Reply = unknown> {
  /** HTTP status. */
  readonly status: number;
  /** Reply headers, lower-case names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The request that was sent (not redacted: do not log it, log `EngineError.request`). */
  readonly request: PreparedRequest;
  readonly #body: ReplyData['body'];
  readonly #call: CallSignal;
  readonly #context: TransportErrorContext;
  readonly #maxReplyBytes: number;

  /** @internal Made by the engine client for each successful reply. */
  constructor(
    data: ReplyData,
    request: PreparedRequest,
    call: CallSignal,
    context: TransportErrorContext,
    options: { readonly maxReplyBytes?: number } = {},
  ) {
    this.status = data.statusCode;
    this.headers = data.headers;
    this.request = request;
    this.#body = data.body;
    this.#call = call;
    this.#context = context;
    this.#maxReplyBytes = options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
    // The call's timer and abort listener live until the body is done, however it ends.
    data.body.once('close', () => call.dispose());
  }

  /**
   * A single header value (first one when repeated).
   *
   * @example
   * ```ts
   * response.header('Api-Version'); // '1.45'
   * ```
   */
  header(name: string): string | undefined {
    const value = this.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  }

  /**
   * Parses the body as JSON and checks it against the shape the endpoint declares. A body that
   * is not JSON (a proxy's page), an empty body (except a 204), JSON of the wrong shape, or a
   * body above `maxReplyBytes` is an `UnexpectedReplyError` naming the endpoint. Typed from the
   * endpoint's success reply in the spec; only the top-level shape the endpoint declares is
   * checked at run time.
   *
   * @example
   * ```ts
   * const images: ImageSummary[] = await (await client.send(imageListEndpoint, {})).json();
   * ```
   */
  async json(): Promise<Reply> {
    const text = await this.text();
    const endpoint = this.request.endpoint;
    if (text.length === 0) {
      if (this.status === 204 || endpoint.response !== 'json') return undefined as Reply;
      throw this.#unexpected('BERTH_REPLY_EMPTY', `The engine's reply to ${this.#context.requestLine} is empty; ${endpoint.id} answers JSON.`);
    }
    let value: unknown;
    // No excerpt of a well-formed reply goes into an error: it may hold a token (`POST /auth`).
    try {
      value = JSON.parse(text);
    } catch (error) {
      const message = `The engine's reply to ${this.#context.requestLine} is not JSON`;
      // V8's SyntaxError quotes the input, so a reply that may hold a token (a cut
      // `{"IdentityToken":…`) gives neither an excerpt nor that cause: only where it breaks.
      if (endpoint.replyHoldsSecrets === true) throw this.#unexpected('BERTH_REPLY_NOT_JSON', `${message}${jsonSyntaxLocationSuffix(text)}.`);
      throw this.#unexpected('BERTH_REPLY_NOT_JSON', `${message}.`, error, text.slice(0, 200));
    }
    const problem = endpoint.jsonShape === undefined ? undefined : describeShapeProblem(value, endpoint.jsonShape);
    if (problem !== undefined) {
      throw this.#unexpected(
        'BERTH_REPLY_SHAPE',
        `The engine's reply to ${this.#context.requestLine} does not have the shape ${endpoint.id} documents: ${problem}.`,
      );
    }
    return value as Reply;
  }

  /**
   * Reads the body as UTF-8 text (at most `maxReplyBytes`, else an `UnexpectedReplyError`).
   *
   * @example
   * ```ts
   * const body = await (await client.send(pingEndpoint, {})).text(); // 'OK'
   * ```
   */
  async text(): Promise<string> {
    const parts: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.chunks()) {
      size += chunk.byteLength;
      if (size > this.#maxReplyBytes) {
        // Leaving the loop destroys the body: the rest is never read.
        throw this.#unexpected(
          'BERTH_REPLY_TOO_LARGE',
          `The engine's reply to ${this.#context.requestLine} is larger than ${this.#maxReplyBytes} bytes (the client's maxReplyBytes).`,
        );
      }
      // undici hands Buffers: kept as they are, copied once by the concat below.
      parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    }
    return Buffer.concat(parts).toString('utf8');
  }

  /**
   * The body as the transport's own Node `Readable`, for a caller that streams it with the
   * fewest hops (the save path pipes it straight into its consumer). Errors it emits are
   * undici's: turn them into Berth errors with {@link EngineResponse.bodyError}. Destroying it
   * closes the connection. Use it instead of, never together with, the other readers.
   *
   * @example
   * ```ts
   * const body = response.body();
   * body.on('error', (error) => console.error(response.bodyError(error)));
   * body.pipe(createWriteStream('image.tar'));
   * ```
   */
  body(): Readable {
    return this.#body;
  }

  /**
   * The Berth error for a failure of the body stream: the call's own abort or timeout when that
   * is what stopped it, else the transport failure mapped like any other.
   *
   * @example
   * ```ts
   * const body = response.body();
   * body.once('error', (error) => console.error(response.bodyError(error).message));
   * ```
   */
  bodyError(error: unknown): Error {
    return this.#call.reason() ?? mapTransportError(error, this.#context);
  }

  /**
   * The body as it arrives, with backpressure; failures (dropped connection, abort, timeout)
   * surface as Berth errors. Stopping the iteration early destroys the body, which closes the
   * connection; for pull, push and build the engine then cancels the work.
   *
   * @example
   * ```ts
   * for await (const chunk of response.chunks()) process.stdout.write(chunk);
   * ```
   */
  async *chunks(): AsyncGenerator<Uint8Array, void, undefined> {
    try {
      for await (const chunk of this.#body) yield chunk as Uint8Array;
    } catch (error) {
      throw this.bodyError(error);
    } finally {
      if (!this.#body.destroyed) this.#body.destroy();
      this.#call.dispose();
    }
  }

  /**
   * Discards the body and releases the connection.
   *
   * @example
   * ```ts
   * await (await client.send(imageTagEndpoint, { name: 'app:v1', repo: 'localhost:5000/app' })).dispose();
   * ```
   */
  async dispose(): Promise<void> {
    try {
      const body = this.#body;
      if (body.dump !== undefined) await body.dump();
      else if (!body.destroyed) {
        // A byte stream (a save) is not worth reading to its end: close its connection.
        const closed = new Promise((resolve) => body.once('close', resolve));
        body.destroy();
        await closed;
      }
    } finally {
      this.#call.dispose();
    }
  }

  #unexpected(code: UnexpectedReplyReason, message: string, cause?: unknown, excerpt?: string): UnexpectedReplyError {
    return new UnexpectedReplyError(message, {
      reason: code,
      endpoint: this.request.endpoint.id,
      status: this.status,
      ...(cause === undefined ? {} : { cause }),
      ...(excerpt === undefined ? {} : { excerpt }),
    });
  }
}
