import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { InvalidArgumentError, type UploadBody } from '@berth/engine-protocol';

/**
 * What {@link ImageCollection.load} accepts: the path of an archive file, or the archive itself
 * as bytes, a Node `Readable`, a web `ReadableStream` or any async iterable of bytes. Archives
 * may be compressed (gzip, bzip2, xz, zstd): the engine detects it.
 *
 * @example
 * ```ts
 * const fromPath: LoadSource = './app.tar';
 * const fromStream: LoadSource = (await fetch(url)).body!;
 * ```
 */
export type LoadSource = string | UploadBody;

/**
 * Turns a {@link LoadSource} into an upload body, streamed (a path is opened as a file stream
 * after checking it is a file). A path that is not a readable file is an
 * `InvalidArgumentError`, before any request.
 *
 * @example
 * ```ts
 * const body = await openLoadSource('./app.tar');
 * ```
 * @internal
 */
export async function openLoadSource(source: LoadSource): Promise<UploadBody> {
  if (typeof source !== 'string') {
    if (source === null || typeof source !== 'object') {
      throw new InvalidArgumentError(`Cannot load images from ${source === null ? 'null' : typeof source}: give a path, bytes or a stream.`, {
        argument: 'data',
      });
    }
    return source;
  }
  let isFile: boolean;
  try {
    isFile = (await stat(source)).isFile();
  } catch (error) {
    throw new InvalidArgumentError(`Cannot read the image archive ${JSON.stringify(source)}.`, { argument: 'data', cause: error });
  }
  if (!isFile) throw new InvalidArgumentError(`The image archive ${JSON.stringify(source)} is not a file.`, { argument: 'data' });
  return createReadStream(source);
}
