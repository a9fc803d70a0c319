/**
 * Helpers for raw byte replies (the tar of `GET /images/{name}/get`, `GET /containers/{id}/export`,
 * archive downloads): re-chunking, and detecting the error the daemon appends to a failed save.
 * Nothing here buffers a whole stream; backpressure is the consumer's pace (pull-based).
 *
 * @module
 */
import { InvalidArgumentError, StreamDecodeError, StreamMessageError, type StreamError } from '../errors/index.js';
import { iterateAbortable } from './abortable.js';
import { ChunkQueue } from './chunk-queue.js';

/**
 * Re-cuts a byte stream into chunks of exactly `chunkSize` bytes (the last one may be shorter).
 * Without `chunkSize`, chunks pass through untouched. Chunks are read from the source only as
 * fast as the consumer pulls, and at most about one `chunkSize` is held. Bytes are copied only
 * when an output chunk gathers several input chunks; otherwise outputs are views of the input.
 *
 * @param source - The byte stream, for example an HTTP reply body.
 * @param chunkSize - Size of the output chunks, a positive integer.
 * @throws {InvalidArgumentError} (on the first `next()`) when `chunkSize` is not a positive integer.
 * @example
 * ```ts
 * for await (const block of rechunkBytes(response.body(), 512)) {
 *   console.log(block.byteLength); // 512, 512, …, then the rest
 * }
 * ```
 */
export async function* rechunkBytes(source: AsyncIterable<Uint8Array>, chunkSize?: number): AsyncGenerator<Uint8Array, void, undefined> {
  if (chunkSize === undefined) {
    yield* source;
    return;
  }
  if (typeof chunkSize !== 'number' || !Number.isSafeInteger(chunkSize) || chunkSize <= 0) {
    throw new InvalidArgumentError(`chunkSize must be a positive integer, got ${String(chunkSize)}.`, { argument: 'chunkSize' });
  }
  const pending = new ChunkQueue();
  for await (const chunk of source) {
    pending.push(chunk);
    while (pending.byteLength >= chunkSize) yield pending.take(chunkSize);
  }
  if (pending.byteLength > 0) yield pending.take(pending.byteLength);
}

/**
 * Options of {@link TarStreamGuard} and {@link guardTarStream}.
 *
 * @example
 * ```ts
 * const options: TarStreamGuardOptions = { tailSize: 64 * 1024 };
 * ```
 */
export interface TarStreamGuardOptions {
  /**
   * How many of the latest bytes are held back until the next bytes (or the end) arrive, so
   * that an error appended by the daemon can be removed before it reaches the consumer. It is
   * the largest appended error that can be recognized; a longer one is still detected, as a
   * {@link StreamDecodeError}. At least 1024. Default: 16 KiB.
   */
  tailSize?: number | undefined;
}

/**
 * Options of {@link guardTarStream}.
 *
 * @example
 * ```ts
 * const options: GuardTarStreamOptions = { signal: AbortSignal.timeout(600_000) };
 * ```
 */
export interface GuardTarStreamOptions extends TarStreamGuardOptions {
  /** Aborts the iteration with an `AbortedError`, even while waiting for the next chunk. */
  signal?: AbortSignal | undefined;
}

/**
 * What {@link TarStreamGuard.end} found.
 *
 * @example
 * ```ts
 * const end: TarStreamGuardEnd = guard.end();
 * process.stdout.write(end.remaining);
 * if (end.error) throw end.error;
 * ```
 */
export interface TarStreamGuardEnd {
  /** The held-back bytes that belong to the archive (everything before an appended error). */
  remaining: Uint8Array;
  /**
   * The failure found at the end: a {@link StreamMessageError} for an error the daemon
   * appended, a {@link StreamDecodeError} for other trailing data that cannot end a tar;
   * `undefined` when the archive ended normally.
   */
  error: StreamError | undefined;
}

const TAR_BLOCK = 512;
const DEFAULT_TAIL_SIZE = 16 * 1024;
const MIN_TAIL_SIZE = 1024;

const BYTE_TAB = 0x09;
const BYTE_LF = 0x0a;
const BYTE_CR = 0x0d;
const BYTE_SPACE = 0x20;
const BYTE_QUOTE = 0x22;
const BYTE_BACKSLASH = 0x5c;
const BYTE_OPEN_BRACKET = 0x5b;
const BYTE_CLOSE_BRACKET = 0x5d;
const BYTE_OPEN_BRACE = 0x7b;
const BYTE_CLOSE_BRACE = 0x7d;

/**
 * Incremental detector of the daemon's failed-save mode. When `docker save` fails after bytes
 * were sent, the status is already 200, so the daemon writes its error as JSON INTO the body,
 * after the partial tar: `{"errorDetail":{"message":"…"},"error":"…"}\r\n` (or a bare
 * `{"message":"…"}`).
 *
 * The guard passes chunks on whole, as they arrive, but holds back the latest chunks until the
 * bytes after them cover `tailSize` (memory stays constant whatever the archive size: the tail
 * plus one chunk). At the end it decides:
 *
 * 1. If the data, ignoring trailing whitespace, ends with `}`, the JSON object that ends there
 *    is delimited by scanning backwards for the matching `{` (outside strings, honouring
 *    escapes). If it parses and looks like an error (`errorDetail.message`, `error` or
 *    `message` is a string), the bytes before it are the partial archive and the error is a
 *    {@link StreamMessageError} with the engine's message.
 * 2. Otherwise the stream must be a whole tar, as every engine writes it: not empty, a multiple
 *    of 512 bytes, starting with a valid header (its checksum) and ending with the
 *    end-of-archive marker (two 512-byte blocks of zeros). Anything else (an empty 200 reply, an
 *    archive cut short, trailing data that is not an error) is a {@link StreamDecodeError}.
 *
 * @example
 * ```ts
 * const tarGuard = new TarStreamGuard();
 * for await (const chunk of body) for (const safe of tarGuard.push(chunk)) process.stdout.write(safe);
 * const { remaining, error } = tarGuard.end();
 * process.stdout.write(remaining);
 * if (error) throw error;
 * ```
 */
export class TarStreamGuard {
  readonly #tailSize: number;
  #held: Uint8Array[] = [];
  #heldLength = 0;
  #total = 0;
  #maxHeld = 0;
  #ended = false;
  /** A copy of the first 512 bytes, to check the first header at the end. */
  #firstBlock: Uint8Array | undefined;

  constructor(options: TarStreamGuardOptions = {}) {
    const tailSize = options.tailSize ?? DEFAULT_TAIL_SIZE;
    if (typeof tailSize !== 'number' || !Number.isSafeInteger(tailSize) || tailSize < MIN_TAIL_SIZE) {
      throw new InvalidArgumentError(`tailSize must be an integer of at least ${MIN_TAIL_SIZE}, got ${String(tailSize)}.`, {
        argument: 'tailSize',
      });
    }
    this.#tailSize = tailSize;
  }

  /** Bytes currently held back (less than `tailSize` plus the last chunk, between calls). */
  get heldBytes(): number {
    return this.#heldLength;
  }

  /** The most bytes ever held back (never more than `tailSize` plus the largest chunk). */
  get maxHeldBytes(): number {
    return this.#maxHeld;
  }

  /** Bytes received so far. */
  get totalBytes(): number {
    return this.#total;
  }

  /**
   * Adds a chunk and returns the chunks that are now safe to pass on, whole and in order
   * (possibly none). A chunk is released once the bytes received after it cover `tailSize`,
   * so chunks are never split and at most `tailSize` plus one chunk is held.
   *
   * @example
   * ```ts
   * for (const safe of guard.push(bytes)) process.stdout.write(safe);
   * ```
   */
  push(chunk: Uint8Array): Uint8Array[] {
    if (this.#ended) throw new Error('TarStreamGuard.push() was called after end().');
    if (chunk.byteLength === 0) return [];
    if (this.#firstBlock === undefined || this.#firstBlock.byteLength < TAR_BLOCK) this.#keepFirstBlock(chunk);
    this.#total += chunk.byteLength;
    const held = this.#held;
    held.push(chunk);
    this.#heldLength += chunk.byteLength;
    // Release from the front while what stays behind still covers the tail.
    let release = 0;
    let after = this.#heldLength;
    while (release < held.length - 1) {
      const size = (held[release] as Uint8Array).byteLength;
      if (after - size < this.#tailSize) break;
      after -= size;
      release++;
    }
    this.#heldLength = after;
    if (after > this.#maxHeld) this.#maxHeld = after;
    return release === 0 ? [] : held.splice(0, release);
  }

  /**
   * Releases every held byte except the last `tailSize` (splitting a chunk if needed). For a
   * stream that has paused: the consumer then gets what it can without waiting for more data.
   *
   * @example
   * ```ts
   * setTimeout(() => {
   *   for (const safe of guard.flush()) process.stdout.write(safe);
   * }, 25);
   * ```
   */
  flush(): Uint8Array[] {
    if (this.#ended) throw new Error('TarStreamGuard.flush() was called after end().');
    let excess = this.#heldLength - this.#tailSize;
    if (excess <= 0) return [];
    const held = this.#held;
    const out: Uint8Array[] = [];
    while (excess > 0) {
      const first = held[0] as Uint8Array;
      if (first.byteLength <= excess) {
        out.push(first);
        held.shift();
        excess -= first.byteLength;
      } else {
        out.push(first.subarray(0, excess));
        held[0] = first.subarray(excess);
        excess = 0;
      }
    }
    this.#heldLength = this.#tailSize;
    return out;
  }

  #keepFirstBlock(chunk: Uint8Array): void {
    const have = this.#firstBlock ?? new Uint8Array(0);
    const take = chunk.subarray(0, TAR_BLOCK - have.byteLength);
    const block = new Uint8Array(have.byteLength + take.byteLength);
    block.set(have);
    block.set(take, have.byteLength);
    this.#firstBlock = block;
  }

  /**
   * Ends the stream: returns the held-back archive bytes and the failure detected at the end,
   * if any (see the class description for the heuristic).
   *
   * @example
   * ```ts
   * const { remaining, error } = guard.end();
   * ```
   */
  end(): TarStreamGuardEnd {
    if (this.#ended) throw new Error('TarStreamGuard.end() was called twice.');
    this.#ended = true;
    const tail = concatHeld(this.#held, this.#heldLength);
    this.#held = [];
    this.#heldLength = 0;
    const tailStart = this.#total - tail.byteLength;
    let end = tail.byteLength;
    while (end > 0 && isWhitespace(tail[end - 1] ?? 0)) end--;
    if (end === 0 || tail[end - 1] !== BYTE_CLOSE_BRACE) return { remaining: tail, error: this.#checkComplete(tail, Math.max(0, end - 200)) };

    const start = findObjectStart(tail, end);
    if (start !== undefined) {
      const found = parseAppendedError(tail.subarray(start, end));
      if (found !== undefined) {
        return {
          remaining: tail.subarray(0, start),
          error: new StreamMessageError(found.message, {
            engineCode: found.code,
            rawMessage: found.raw,
            metaMessages: [`The daemon appended this error after ${tailStart + start} bytes of archive data: the archive is incomplete.`],
          }),
        };
      }
    }
    return { remaining: tail, error: this.#checkComplete(tail, start ?? Math.max(0, end - 200)) };
  }

  /**
   * The failure when the stream is not a whole tar: empty, not made of 512-byte blocks, not
   * starting with a valid header, or missing the end-of-archive marker (cut short).
   */
  #checkComplete(tail: Uint8Array, excerptStart: number): StreamDecodeError | undefined {
    const total = this.#total;
    const meta = [`The stream is ${total} bytes long.`];
    const excerpt = (): string => new TextDecoder().decode(tail.subarray(excerptStart, tail.byteLength));
    if (total === 0) return new StreamDecodeError('The engine sent an empty archive (0 bytes).', { metaMessages: meta });
    if (total % TAR_BLOCK !== 0) {
      return new StreamDecodeError('The archive ends with data that is not tar (its length is not a multiple of 512 bytes).', {
        excerpt: excerpt(),
        metaMessages: meta,
      });
    }
    if (this.#firstBlock !== undefined && isZero(this.#firstBlock, 0)) {
      return new StreamDecodeError('The archive holds no entries (it is only an end-of-archive marker).', { metaMessages: meta });
    }
    if (!isValidHeader(this.#firstBlock)) {
      return new StreamDecodeError('The archive does not start with a tar header.', { excerpt: excerpt(), metaMessages: meta });
    }
    if (tail.byteLength < 2 * TAR_BLOCK || !isZero(tail, tail.byteLength - 2 * TAR_BLOCK)) {
      return new StreamDecodeError('The archive has no end-of-archive marker: it was cut short.', { metaMessages: meta });
    }
    return undefined;
  }
}

function isZero(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.byteLength; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** Checks a ustar/gnu header block's checksum (the sum of its bytes, the checksum field read as spaces). */
function isValidHeader(block: Uint8Array | undefined): boolean {
  if (block === undefined || block.byteLength < TAR_BLOCK) return false;
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= 148 && i < 156 ? BYTE_SPACE : (block[i] as number);
  let stored = 0;
  let digits = 0;
  for (let i = 148; i < 156; i++) {
    const byte = block[i] as number;
    if (byte === 0 || byte === BYTE_SPACE) {
      if (digits > 0) break;
      continue;
    }
    if (byte < 0x30 || byte > 0x37) return false;
    stored = stored * 8 + (byte - 0x30);
    digits++;
  }
  return digits > 0 && stored === sum;
}

function concatHeld(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const result = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    result.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return result;
}

function isWhitespace(byte: number): boolean {
  return byte === BYTE_SPACE || byte === BYTE_LF || byte === BYTE_CR || byte === BYTE_TAB;
}

/** True when the byte at `index` is preceded by an odd number of backslashes. */
function isEscaped(bytes: Uint8Array, index: number): boolean {
  let count = 0;
  for (let i = index - 1; i >= 0 && bytes[i] === BYTE_BACKSLASH; i--) count++;
  return count % 2 === 1;
}

/**
 * Scans backwards from the `}` at `end - 1` to its matching `{`, skipping strings. Linear:
 * each backslash run is counted once, by the quote that follows it.
 */
function findObjectStart(bytes: Uint8Array, end: number): number | undefined {
  let depth = 0;
  let i = end - 1;
  while (i >= 0) {
    const byte = bytes[i];
    if (byte === BYTE_QUOTE) {
      // Skip back to the unescaped quote that opens this string.
      i--;
      while (i >= 0 && !(bytes[i] === BYTE_QUOTE && !isEscaped(bytes, i))) i--;
      if (i < 0) return undefined;
    } else if (byte === BYTE_CLOSE_BRACE || byte === BYTE_CLOSE_BRACKET) {
      depth++;
    } else if (byte === BYTE_OPEN_BRACE || byte === BYTE_OPEN_BRACKET) {
      depth--;
      if (depth === 0) return byte === BYTE_OPEN_BRACE ? i : undefined;
      if (depth < 0) return undefined;
    }
    i--;
  }
  return undefined;
}

function parseAppendedError(bytes: Uint8Array): { message: string; code: number | undefined; raw: unknown } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const detail = record['errorDetail'];
  const detailRecord = typeof detail === 'object' && detail !== null && !Array.isArray(detail) ? (detail as Record<string, unknown>) : undefined;
  const detailMessage = detailRecord?.['message'];
  const code = typeof detailRecord?.['code'] === 'number' ? detailRecord['code'] : undefined;
  for (const candidate of [detailMessage, record['error'], record['message']]) {
    if (typeof candidate === 'string') return { message: candidate, code, raw: value };
  }
  return undefined;
}

/**
 * Passes a tar byte stream (the reply of `GET /images/{name}/get`) through as it arrives, and
 * turns the daemon's failed-save mode (an error JSON appended INTO the tar bytes after a
 * partial archive) into a {@link StreamMessageError} instead of a quietly truncated archive.
 * Only the last `tailSize` bytes are held back (see {@link TarStreamGuard} for the heuristic),
 * so memory stays constant; the source is read only as fast as the consumer pulls.
 *
 * On failure, the archive bytes before the appended error are yielded first, then the error is
 * thrown; the error bytes themselves are never yielded.
 *
 * @example
 * ```ts
 * import { createWriteStream } from 'node:fs';
 * import { Readable } from 'node:stream';
 * import { pipeline } from 'node:stream/promises';
 *
 * await pipeline(Readable.from(guardTarStream(response.body())), createWriteStream('image.tar'));
 * ```
 */
export async function* guardTarStream(
  source: AsyncIterable<Uint8Array>,
  options: GuardTarStreamOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const guard = new TarStreamGuard({ tailSize: options.tailSize });
  for await (const chunk of iterateAbortable(source, options.signal)) {
    for (const safe of guard.push(chunk)) yield safe;
  }
  const { remaining, error } = guard.end();
  if (remaining.byteLength > 0) yield remaining;
  if (error !== undefined) throw error;
}
