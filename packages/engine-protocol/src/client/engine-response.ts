import type { Dispatcher } from 'undici';
import { StreamDecodeError } from '../errors/index.js';
import type { PreparedRequest } from '../request/build-request.js';
import type { CallSignal } from './call-signal.js';
import { mapTransportError, type TransportErrorContext } from './map-transport-error.js';

/**
 * A successful (status < 400) reply whose body has not been read yet. Read it exactly once
 * (`json()`, `text()`, iterate `chunks()`), or `dispose()` it: an unread body keeps its
 * connection busy.
 *
 * @example
 * ```ts
 * const response = await client.send(imageInspectEndpoint, { name: 'busybox' });
 * console.log(response.status, response.header('content-type'));
 * const image = await response.json<ImageInspect>();
 * ```
 */
export class EngineResponse {
  /** HTTP status. */
  readonly status: number;
  /** Reply headers, lower-case names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The request that was sent (not redacted: do not log it, log `EngineError.request`). */
  readonly request: PreparedRequest;
  readonly #body: Dispatcher.ResponseData['body'];
  readonly #call: CallSignal;
  readonly #context: TransportErrorContext;

  /** @internal Made by the engine client for each successful reply. */
  constructor(data: Dispatcher.ResponseData, request: PreparedRequest, call: CallSignal, context: TransportErrorContext) {
    this.status = data.statusCode;
    this.headers = data.headers;
    this.request = request;
    this.#body = data.body;
    this.#call = call;
    this.#context = context;
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
   * Parses the body as JSON; a body that is not JSON (a proxy's page) is a `StreamDecodeError`.
   *
   * @example
   * ```ts
   * const images = await response.json<ImageSummary[]>();
   * ```
   */
  async json<T>(): Promise<T> {
    const text = await this.text();
    if (text.length === 0) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new StreamDecodeError(`The engine's reply to ${this.#context.requestLine} is not JSON.`, {
        cause: error,
        excerpt: text.slice(0, 200),
      });
    }
  }

  /**
   * Reads the body as UTF-8 text.
   *
   * @example
   * ```ts
   * const body = await (await client.send(pingEndpoint, {})).text(); // 'OK'
   * ```
   */
  async text(): Promise<string> {
    const parts: Buffer[] = [];
    for await (const chunk of this.chunks()) parts.push(Buffer.from(chunk));
    return Buffer.concat(parts).toString('utf8');
  }

  /**
   * The body as it arrives, with backpressure; failures (dropped connection, abort, timeout)
   * surface as Berth errors. Stopping the iteration early destroys the body, which closes the
   * connection; for pull, push and build the engine then cancels the work.
   *
   * @example
   * ```ts
   * for await (const chunk of response.chunks()) output.write(chunk);
   * ```
   */
  async *chunks(): AsyncGenerator<Uint8Array, void, undefined> {
    try {
      for await (const chunk of this.#body) yield chunk as Uint8Array;
    } catch (error) {
      throw this.#call.reason() ?? mapTransportError(error, this.#context);
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
   * await (await client.send(imageTagEndpoint, { name, repo })).dispose();
   * ```
   */
  async dispose(): Promise<void> {
    try {
      await this.#body.dump();
    } finally {
      this.#call.dispose();
    }
  }
}
