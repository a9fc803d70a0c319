// Produces the bytes of a tar archive from a list of items, one output chunk per call. Headers
// and small files are written straight into one chunk buffer (a file is read into the buffer
// at its place, no copy); a large file is streamed in 1 MiB reads with its descriptor kept
// open between chunks. Nothing runs ahead of the consumer: the next chunk is made when asked.
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { unreadableContextPathError } from '../walk/file-system-error.js';
import { BLOCK, paddingOf, planHeader, writeHeader, type EncodedHeaderPlan, type EntryHeader } from './tar-header.js';

/** One archive entry: its header and where its content comes from. */
export type ArchiveItem =
  /** A directory or link: a header only. */
  | { readonly header: EntryHeader; readonly path?: undefined; readonly content?: undefined }
  /** A regular file read from disk (exactly `header.size` bytes). */
  | { readonly header: EntryHeader; readonly path: string; readonly content?: undefined }
  /** Content already in memory. */
  | { readonly header: EntryHeader; readonly path?: undefined; readonly content: Uint8Array };

/** Size of the chunks headers and small files are gathered in. */
const CHUNK_BYTES = 512 * 1024;
/** Size of one read of a large file. */
const LARGE_READ_BYTES = 1024 * 1024;
const END_OF_ARCHIVE_BYTES = 2 * BLOCK;
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW;

interface LargeFile {
  readonly path: string;
  handle: FileHandle | undefined;
  position: number;
  readonly size: number;
}

/**
 * The archive of `items`, chunk by chunk.
 */
export class ArchiveProducer {
  readonly #items: readonly ArchiveItem[] | (() => readonly ArchiveItem[]);
  #list: readonly ArchiveItem[] | undefined;
  #index = 0;
  #large: LargeFile | undefined;
  #ended = false;
  #closed = false;

  /** `items`, or a function that makes them on the first call (so nothing is done before reading). */
  constructor(items: readonly ArchiveItem[] | (() => readonly ArchiveItem[])) {
    this.#items = items;
  }

  /**
   * The next chunk of the archive, or `null` after the end-of-archive marker. Throws
   * `InvalidArgumentError` naming a file that cannot be read or that shrank, and the signal's
   * reason once it aborted.
   */
  async next(signal: AbortSignal): Promise<Buffer | null> {
    signal.throwIfAborted();
    if (this.#closed) return null;
    if (this.#large !== undefined) return this.#readLarge(this.#large);
    if (this.#ended) return null;
    const items = (this.#list ??= typeof this.#items === 'function' ? this.#items() : this.#items);
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let offset = 0;
    while (this.#index < items.length) {
      const item = items[this.#index] as ArchiveItem;
      const plan = planHeader(item.header);
      const size = item.path === undefined && item.content === undefined ? 0 : item.header.size;
      const whole = plan.byteLength + size + paddingOf(size);
      if (whole <= CHUNK_BYTES) {
        if (offset + whole > CHUNK_BYTES) break;
        offset = this.#writeSmall(item, plan, size, chunk, offset);
        this.#index++;
        continue;
      }
      // A large file: its header ends this chunk, its content follows in reads of its own.
      if (offset + plan.byteLength > CHUNK_BYTES) break;
      offset = writeHeader(plan, chunk, offset);
      this.#index++;
      if (item.content !== undefined) {
        this.#large = undefined;
        return Buffer.concat([chunk.subarray(0, offset), item.content, Buffer.alloc(paddingOf(size))]);
      }
      this.#large = { path: item.path as string, handle: undefined, position: 0, size };
      return chunk.subarray(0, offset);
    }
    if (this.#index >= items.length && offset + END_OF_ARCHIVE_BYTES <= CHUNK_BYTES) {
      chunk.fill(0, offset, offset + END_OF_ARCHIVE_BYTES);
      offset += END_OF_ARCHIVE_BYTES;
      this.#ended = true;
    }
    return chunk.subarray(0, offset);
  }

  /** Closes the large file being read, if any; waits for nothing else (small files are closed at once). */
  async close(): Promise<void> {
    this.#closed = true;
    const handle = this.#large?.handle;
    this.#large = undefined;
    if (handle !== undefined) await handle.close().catch(() => undefined);
  }

  #writeSmall(item: ArchiveItem, plan: EncodedHeaderPlan, size: number, chunk: Buffer, start: number): number {
    let offset = writeHeader(plan, chunk, start);
    if (item.content !== undefined) {
      chunk.set(item.content, offset);
    } else if (item.path !== undefined && size > 0) {
      readWhole(item.path, chunk, offset, size);
    } else if (item.path !== undefined) {
      // An empty file is still opened, as it would be read: it must exist and be readable.
      closeSync(openOrThrow(item.path));
    }
    offset += size;
    const padding = paddingOf(size);
    chunk.fill(0, offset, offset + padding);
    return offset + padding;
  }

  async #readLarge(large: LargeFile): Promise<Buffer> {
    if (large.handle === undefined) {
      try {
        large.handle = await open(large.path, READ_FLAGS);
      } catch (error) {
        this.#large = undefined;
        throw unreadableContextPathError(large.path, 'file', error);
      }
    }
    const handle = large.handle;
    const length = Math.min(LARGE_READ_BYTES, large.size - large.position);
    const last = large.position + length === large.size;
    const padding = last ? paddingOf(large.size) : 0;
    const buffer = Buffer.allocUnsafe(length + padding);
    let filled = 0;
    try {
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, large.position + filled);
        if (bytesRead === 0) throw shrankError(large.path);
        filled += bytesRead;
      }
    } catch (error) {
      await this.close();
      throw error instanceof InvalidArgumentError ? error : unreadableContextPathError(large.path, 'file', error);
    }
    large.position += length;
    if (last) {
      buffer.fill(0, length);
      this.#large = undefined;
      await handle.close();
    }
    return buffer;
  }
}

function openOrThrow(path: string): number {
  try {
    return openSync(path, READ_FLAGS);
  } catch (error) {
    throw unreadableContextPathError(path, 'file', error);
  }
}

/** Reads exactly `size` bytes of a file into `target` at `offset`, and closes it. */
function readWhole(path: string, target: Buffer, offset: number, size: number): void {
  const descriptor = openOrThrow(path);
  try {
    let filled = 0;
    while (filled < size) {
      let bytesRead: number;
      try {
        bytesRead = readSync(descriptor, target, offset + filled, size - filled, filled);
      } catch (error) {
        throw unreadableContextPathError(path, 'file', error);
      }
      if (bytesRead === 0) throw shrankError(path);
      filled += bytesRead;
    }
  } finally {
    closeSync(descriptor);
  }
}

function shrankError(path: string): InvalidArgumentError {
  return new InvalidArgumentError(`The file "${path}" of the build context shrank while it was being archived.`, {
    argument: 'contextPath',
  });
}
