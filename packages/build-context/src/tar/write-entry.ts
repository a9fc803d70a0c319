// Writes single entries into a tar-stream pack, one at a time and with backpressure: a file
// is read in chunks and the next chunk is read only once the pack has room for it.
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Pack } from 'tar-stream';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { errorCode, unreadableContextPathError } from '../walk/file-system-error.js';
import type { EntryHeader } from './entry-header.js';

const chunkBytes = 64 * 1024;

type Sink = ReturnType<Pack['entry']>;

/**
 * Adds an entry without content (directory, symbolic link, hard link) and waits until the
 * pack has taken it.
 *
 * @example
 * ```ts
 * await writeEmptyEntry(pack, entryHeader('src', stats));
 * ```
 */
export function writeEmptyEntry(pack: Pack, header: EntryHeader): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry(header, (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * Adds an entry whose (small) content is already in memory.
 *
 * @example
 * ```ts
 * await writeBufferEntry(pack, generatedFileHeader('Dockerfile', bytes.length, 0o644), bytes);
 * ```
 */
export function writeBufferEntry(pack: Pack, header: EntryHeader, content: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry({ ...header, size: content.byteLength }, content, (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * Streams a regular file into the pack: exactly `header.size` bytes (the size seen when the
 * file was listed), read 64 KiB at a time as the pack drains. The file is opened without
 * following symbolic links and is always closed before this resolves or rejects. A file that
 * cannot be opened or that shrank meanwhile rejects with `InvalidArgumentError` naming it.
 *
 * @example
 * ```ts
 * await writeFileEntry(pack, entryHeader('app.js', stats), '/src/app/app.js', signal);
 * ```
 */
export async function writeFileEntry(pack: Pack, header: EntryHeader, absolutePath: string, signal: AbortSignal): Promise<void> {
  const handle = await openForReading(absolutePath);
  try {
    signal.throwIfAborted();
    let sink: Sink | undefined;
    const written = new Promise<void>((resolve, reject) => {
      sink = pack.entry(header, (error) => (error ? reject(error) : resolve()));
    });
    // The pack may fail the entry before it is awaited below; that rejection is handled there
    // or superseded by the error that stopped the loop.
    written.catch(() => undefined);
    if (sink === undefined) throw new Error('tar-stream did not return an entry stream');
    let position = 0;
    while (position < header.size) {
      const buffer = Buffer.allocUnsafe(Math.min(chunkBytes, header.size - position));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position).catch((error: unknown) => {
        throw unreadableContextPathError(absolutePath, 'file', error);
      });
      if (bytesRead === 0) {
        throw new InvalidArgumentError(`The file "${absolutePath}" of the build context shrank while it was being archived.`, {
          argument: 'contextPath',
        });
      }
      position += bytesRead;
      await writeChunk(sink, buffer.subarray(0, bytesRead), signal);
    }
    sink.end(undefined);
    await written;
  } finally {
    await handle.close();
  }
}

async function openForReading(absolutePath: string): Promise<FileHandle> {
  try {
    // O_NOFOLLOW: a file swapped for a symbolic link after the walk is not followed out of
    // the context.
    return await open(absolutePath, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    throw unreadableContextPathError(absolutePath, 'file', error);
  }
}

/**
 * Opens and closes a context file to prove it is readable (what the Docker CLI checks before
 * sending anything). A file that vanished in the meantime is fine.
 *
 * @example
 * ```ts
 * await assertReadable('/src/app/secret.key'); // throws InvalidArgumentError when unreadable
 * ```
 */
export async function assertReadable(absolutePath: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(absolutePath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw unreadableContextPathError(absolutePath, 'file', error);
  }
  await handle.close();
}

function writeChunk(sink: Sink, chunk: Buffer, signal: AbortSignal): Promise<void> | undefined {
  // Once the archive is being destroyed, 'abort' and 'close' have already fired: stop here.
  signal.throwIfAborted();
  if (sink.destroyed) throw new Error('The tar entry was closed before the file was written.');
  if (sink.write(chunk)) return undefined;
  return new Promise<void>((resolve, reject) => {
    const cleanup = (): void => {
      sink.off('drain', onDrain);
      sink.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
    };
    const onDrain = (): void => {
      cleanup();
      resolve();
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error('The tar entry was closed before the file was written.'));
    };
    const onAbort = (): void => {
      cleanup();
      reject(signal.reason);
    };
    sink.on('drain', onDrain);
    sink.on('close', onClose);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
