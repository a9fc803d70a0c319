import { ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/**
 * The byte length of a request body that is a whole regular file being streamed (an
 * `fs.createReadStream(path)` not yet read, without `start`/`end`), or `undefined`. Sending it
 * as `Content-Length` lets undici write the file's chunks as they are, without the chunked
 * encoding's framing around each one: a load of a 1 GiB archive took about a fifth less client
 * CPU (bench/README.md). A FIFO, a device or a stream already read from keeps the chunked
 * encoding; a file that changes size while it is sent fails the request (undici checks the
 * length), which is right for an archive modified mid-load.
 *
 * @internal
 */
export async function knownBodyLength(body: unknown): Promise<number | undefined> {
  if (!(body instanceof ReadStream)) return undefined;
  const { path, start, end, bytesRead } = body as ReadStream & { start?: number; end?: number };
  if (typeof path !== 'string' || start !== undefined || (end !== undefined && end !== Infinity) || bytesRead !== 0) return undefined;
  if (body.readableFlowing !== null || body.destroyed) return undefined;
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : undefined;
  } catch {
    // Unreadable: let the stream itself report it, as before.
    return undefined;
  }
}
