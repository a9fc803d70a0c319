import type { Readable } from 'node:stream';
import type { EngineResponse } from '../client/engine-response.js';
import { decodeJsonMessages, type JsonMessage } from '../streams/index.js';
import { guardTarReadable, TarFeedReadable } from '../streams/guard-tar-readable.js';

/**
 * A progress stream: the engine's JSON messages as they arrive. An error message inside the
 * stream is thrown from the iteration as a `StreamMessageError`; breaking out of the loop
 * closes the connection (for pull, push and build the engine then cancels the work).
 *
 * @example
 * ```ts
 * const progress: JsonMessageStream = await pullImage(client, { fromImage: 'app', tag: 'v1' });
 * for await (const message of progress) console.log(message.status);
 * ```
 */
export type JsonMessageStream = AsyncGenerator<JsonMessage, void, undefined>;

/**
 * Decodes a reply body as a progress stream.
 *
 * @example
 * ```ts
 * const response = await client.send(imagePullEndpoint, { fromImage: 'busybox', tag: 'latest' });
 * for await (const message of toJsonMessageStream(response)) console.log(message.status);
 * ```
 */
export function toJsonMessageStream(response: EngineResponse): JsonMessageStream {
  return decodeJsonMessages(response.chunks());
}

/**
 * Exposes a tar reply as a Node `Readable` with backpressure (nothing is buffered whole). A
 * failure the daemon appends to the tar bytes becomes an error on the stream, and so does a
 * reply that is not a whole archive (empty, or cut short). The body's chunks pass through
 * whole; for a byte-stream reply the returned stream is the reply's own body stream (one stream
 * between the HTTP parser and the consumer), otherwise one stream over the transport's body.
 *
 * @example
 * ```ts
 * await pipeline(toByteStream(response), createWriteStream('image.tar'));
 * ```
 */
export function toByteStream(response: EngineResponse): Readable {
  const body = response.body();
  const mapError = (error: unknown): Error => response.bodyError(error);
  if (body instanceof TarFeedReadable && body.guardable) return body.guardTar({ mapError });
  return guardTarReadable(body, { mapError });
}
