import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { InvalidArgumentError, type UploadBody } from '@berth/engine-protocol';
import { describeType } from '@berth/engine-protocol/internal';

/**
 * What {@link ImageCollection.load} accepts: the path of an archive file, or the archive itself
 * as bytes, a Node `Readable`, a web `ReadableStream` or any async iterable of bytes. Archives
 * may be compressed (gzip, bzip2, xz, zstd): the engine detects it.
 *
 * @example
 * ```ts
 * const fromPath: LoadSource = './app.tar';
 * const fromStream: LoadSource = (await fetch('http://127.0.0.1:8080/app.tar')).body!;
 * ```
 */
export type LoadSource = string | UploadBody;

/**
 * An opened {@link LoadSource}: the upload body, and how to release what opening it created.
 *
 * @example
 * ```ts
 * const { body, dispose } = await openLoadSource('./app.tar');
 * ```
 * @internal
 */
export interface OpenedLoadSource {
  /** What to upload. */
  readonly body: UploadBody;
  /**
   * Destroys the file stream opened for a path (closing its file descriptor); does nothing for a
   * body the caller gave, which stays the caller's.
   */
  dispose(): void;
}

/**
 * Turns a {@link LoadSource} into an upload body, streamed (a path is opened as a file stream
 * after checking it is a file). A path that is not a readable file is an
 * `InvalidArgumentError`, before any request. Call `dispose` when the load fails: a request that
 * is refused or fails before reading the body would otherwise leave the file open.
 *
 * @example
 * ```ts
 * const { body, dispose } = await openLoadSource('./app.tar');
 * ```
 * @internal
 */
export async function openLoadSource(source: LoadSource): Promise<OpenedLoadSource> {
  if (typeof source !== 'string') {
    if (source === null || typeof source !== 'object') {
      throw new InvalidArgumentError(`Cannot load images from ${describeType(source)}: give a path, bytes or a stream.`, {
        argument: 'data',
      });
    }
    return { body: source, dispose: () => {} };
  }
  let isFile: boolean;
  try {
    isFile = (await stat(source)).isFile();
  } catch (error) {
    throw new InvalidArgumentError(`Cannot read the image archive ${JSON.stringify(source)}.`, { argument: 'data', cause: error });
  }
  if (!isFile) throw new InvalidArgumentError(`The image archive ${JSON.stringify(source)} is not a file.`, { argument: 'data' });
  // 1 MiB reads: a sixteenth of the read calls and chunks of the 64 KiB default, for archives
  // of gigabytes; memory stays at a few reads.
  const stream = createReadStream(source, { highWaterMark: 1024 * 1024 });
  return { body: stream, dispose: () => stream.destroy() };
}
