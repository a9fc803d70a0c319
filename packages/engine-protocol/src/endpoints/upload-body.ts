import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { describeType } from '../errors/describe-value.js';
import { InvalidArgumentError } from '../errors/index.js';

/**
 * A request body to stream: bytes, a Node stream, a web stream, or any async iterable.
 *
 * @example
 * ```ts
 * const body: UploadBody = createReadStream('image.tar');
 * await loadImages(client, { body });
 * ```
 */
export type UploadBody =
  | Uint8Array
  | Readable
  | WebReadableStream<Uint8Array>
  | globalThis.ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>;

/**
 * Turns any accepted body into something undici streams with backpressure (a `Readable` or
 * bytes); nothing is read ahead into memory. Anything else is an `InvalidArgumentError` naming
 * `argument`.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 *
 * toUploadBody(createReadStream('image.tar'));
 * toUploadBody((await fetch('http://127.0.0.1:8080/image.tar')).body!); // a web ReadableStream
 * ```
 */
export function toUploadBody(body: UploadBody, argument = 'body'): Uint8Array | Readable {
  if (body instanceof Uint8Array || body instanceof Readable) return body;
  if (typeof body !== 'object' || body === null) {
    throw new InvalidArgumentError(`${argument} must be bytes, a Node or web stream, or an async iterable of bytes; got ${describeType(body)}.`, {
      argument,
    });
  }
  if (typeof (body as globalThis.ReadableStream<Uint8Array>).getReader === 'function') {
    return Readable.fromWeb(body as WebReadableStream<Uint8Array>);
  }
  if (typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] !== 'function') {
    throw new InvalidArgumentError(`${argument} must be bytes, a Node or web stream, or an async iterable of bytes; got an object that is none of them.`, {
      argument,
    });
  }
  return Readable.from(body as AsyncIterable<Uint8Array>, { objectMode: false });
}
