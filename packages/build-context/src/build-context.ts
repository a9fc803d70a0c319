// The value every packing function resolves to.
import type { Readable } from 'node:stream';

/**
 * A build context ready for `POST /build`: the archive to send as the body and the value of
 * the `dockerfile` query parameter.
 *
 * @example
 * ```ts
 * const context = await packDirectory('./app');
 * await buildImage(client, { body: context.stream, dockerfile: context.dockerfile, t: ['app:dev'] });
 * ```
 */
export interface BuildContext {
  /**
   * The tar archive (gzip-compressed with `gzip: true`). Produced lazily as it is read,
   * files streamed from disk with backpressure, never held whole in memory. Destroying it
   * stops the producer; 'close' is emitted once every file it opened is closed.
   */
  readonly stream: Readable;
  /** Path of the Dockerfile inside the archive, `/`-separated (the `dockerfile` parameter). */
  readonly dockerfile: string;
}
