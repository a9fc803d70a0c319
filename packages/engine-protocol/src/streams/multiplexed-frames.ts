/**
 * Decoder of the multiplexed stream of attach / logs / exec without a TTY: frames made of an
 * 8-byte header `[streamType, 0, 0, 0, size (uint32, big-endian)]` and `size` payload bytes.
 *
 * @module
 */
import type { Writable } from 'node:stream';
import { StreamDecodeError, StreamMessageError } from '../errors/index.js';
import { createAbortError, iterateAbortable, raceAbort } from './abortable.js';
import { ChunkQueue } from './chunk-queue.js';

/**
 * The stream a frame belongs to: header byte 0 = `stdin`, 1 = `stdout`, 2 = `stderr`,
 * 3 = `system` (an error written by the daemon itself, not by the container).
 *
 * @example
 * ```ts
 * for await (const frame of decodeMultiplexedFrames(body)) {
 *   const name: FrameStream = frame.stream;
 *   console.log(name, frame.payload.byteLength);
 * }
 * ```
 */
export type FrameStream = 'stdin' | 'stdout' | 'stderr' | 'system';

/**
 * One decoded frame.
 *
 * @example
 * ```ts
 * const frame: Frame = { stream: 'stdout', payload: new TextEncoder().encode('hello\n') };
 * ```
 */
export interface Frame {
  /** Which stream the payload was written to. */
  stream: FrameStream;
  /**
   * The payload bytes (possibly empty). May be a view into a chunk given to the decoder when the
   * whole frame arrived in one chunk; the decoder never writes to it.
   */
  payload: Uint8Array;
}

/**
 * Options of {@link MultiplexedFrameDecoder}.
 *
 * @example
 * ```ts
 * const decoder = new MultiplexedFrameDecoder({ maxFrameSize: 1024 * 1024 });
 * ```
 */
export interface MultiplexedFrameDecoderOptions {
  /**
   * Largest accepted frame payload, in bytes. A header announcing more is a
   * {@link StreamDecodeError} (it usually means the stream is not multiplexed: a TTY stream).
   * Default: 64 MiB.
   */
  maxFrameSize?: number | undefined;
}

/**
 * Options of {@link decodeMultiplexedFrames}.
 *
 * @example
 * ```ts
 * const options: DecodeMultiplexedFramesOptions = { signal: AbortSignal.timeout(60_000), raiseOnSystemError: false };
 * ```
 */
export interface DecodeMultiplexedFramesOptions extends MultiplexedFrameDecoderOptions {
  /** Aborts the iteration with an `AbortedError`, even while waiting for the next chunk. */
  signal?: AbortSignal | undefined;
  /**
   * When `true` (the default), a `system` frame (the daemon reporting an error inside the
   * stream) ends the iteration with a {@link StreamMessageError} carrying its text, like the
   * Docker CLI does. When `false`, it is yielded like any other frame.
   */
  raiseOnSystemError?: boolean | undefined;
}

/**
 * Options of {@link demultiplexToStreams}.
 *
 * @example
 * ```ts
 * await demultiplexToStreams(body, process.stdout, process.stderr, { signal, end: false });
 * ```
 */
export interface DemultiplexOptions extends MultiplexedFrameDecoderOptions {
  /** Aborts with an `AbortedError`, even while waiting for data or for `'drain'`. */
  signal?: AbortSignal | undefined;
  /** Calls `end()` on both writables once the stream is over (default `false`). */
  end?: boolean | undefined;
}

/**
 * What {@link demultiplexToStreams} wrote.
 *
 * @example
 * ```ts
 * const { stdoutBytes, stderrBytes } = await demultiplexToStreams(body, process.stdout, process.stderr);
 * ```
 */
export interface DemultiplexResult {
  /** Payload bytes written to the stdout writable (stdout and stdin frames). */
  stdoutBytes: number;
  /** Payload bytes written to the stderr writable. */
  stderrBytes: number;
}

const HEADER_SIZE = 8;
const DEFAULT_MAX_FRAME_SIZE = 64 * 1024 * 1024;
const STREAMS: readonly FrameStream[] = ['stdin', 'stdout', 'stderr', 'system'];

/**
 * Incremental decoder of the multiplexed attach / logs stream. {@link MultiplexedFrameDecoder.push}
 * returns the frames completed by a chunk; {@link MultiplexedFrameDecoder.end} checks that the
 * stream did not stop inside a frame.
 *
 * Chunks are kept in a list until a frame is complete; the payload is then copied once (or
 * handed out as a view when it lies inside one chunk), so the cost is linear in the input
 * however it is cut. Memory is bounded by the largest frame. Zero-length frames are valid.
 *
 * A header with an unknown stream type, non-zero padding bytes, or a size over `maxFrameSize`
 * is a {@link StreamDecodeError} (such a stream is usually a TTY stream, which is not framed).
 * When a chunk completes some frames before a bad header, `push` returns those frames and the
 * next `push` or `end` throws, so the result does not depend on where the stream was cut.
 *
 * @example
 * ```ts
 * const decoder = new MultiplexedFrameDecoder();
 * decoder.push(Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 3, 0x68, 0x69)); // []
 * decoder.push(Uint8Array.of(0x0a)); // [{ stream: 'stdout', payload: 'hi\n' as bytes }]
 * decoder.end(); // []
 * ```
 */
export class MultiplexedFrameDecoder {
  readonly #maxFrameSize: number;
  /** Received bytes not yet returned in a frame. */
  readonly #queue = new ChunkQueue();
  /** Header of the frame whose payload is awaited, if any. */
  #current: { stream: FrameStream; size: number } | undefined;
  /** Bytes consumed from the stream so far, for error positions. */
  #offset = 0;
  #error: StreamDecodeError | undefined;
  #ended = false;

  constructor(options: MultiplexedFrameDecoderOptions = {}) {
    const max = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
    if (!Number.isInteger(max) || max < 0) throw new RangeError(`maxFrameSize must be a non-negative integer, got ${String(max)}`);
    this.#maxFrameSize = max;
  }

  /**
   * Adds a chunk and returns the frames it completes (possibly none).
   *
   * @throws {StreamDecodeError} on a bad frame header.
   * @example
   * ```ts
   * const decoder = new MultiplexedFrameDecoder();
   * for await (const chunk of body) for (const frame of decoder.push(chunk)) console.log(frame.stream, frame.payload.byteLength);
   * ```
   */
  push(chunk: Uint8Array): Frame[] {
    if (this.#error !== undefined) throw this.#error;
    if (this.#ended) throw new Error('MultiplexedFrameDecoder.push() was called after end().');
    this.#queue.push(chunk);
    const frames: Frame[] = [];
    while (true) {
      if (this.#current === undefined) {
        if (this.#queue.byteLength < HEADER_SIZE) break;
        const headerOffset = this.#offset;
        const header = this.#take(HEADER_SIZE);
        const error = this.#checkHeader(header, headerOffset);
        if (error !== undefined) {
          this.#error = error;
          break;
        }
        this.#current = {
          stream: STREAMS[header[0] ?? 0] ?? 'stdout',
          size: new DataView(header.buffer, header.byteOffset, HEADER_SIZE).getUint32(4, false),
        };
      }
      if (this.#queue.byteLength < this.#current.size) break;
      frames.push({ stream: this.#current.stream, payload: this.#take(this.#current.size) });
      this.#current = undefined;
    }
    if (this.#error !== undefined && frames.length === 0) throw this.#error;
    return frames;
  }

  /**
   * Ends the stream, checking that it did not stop inside a frame header or payload.
   * Returns `[]` (every complete frame was already returned by `push`).
   *
   * @throws {StreamDecodeError} when the stream is truncated, or an earlier error is pending.
   * @example
   * ```ts
   * decoder.end();
   * ```
   */
  end(): Frame[] {
    if (this.#error !== undefined) throw this.#error;
    if (this.#ended) return [];
    if (this.#current !== undefined) {
      this.#error = new StreamDecodeError(
        `The multiplexed stream ended inside a ${this.#current.stream} frame: got ${this.#queue.byteLength} of ${this.#current.size} payload bytes.`,
        { metaMessages: [`Frame payload starting at byte ${this.#offset} of the stream.`] },
      );
      throw this.#error;
    }
    if (this.#queue.byteLength > 0) {
      const partial = this.#take(this.#queue.byteLength);
      this.#error = new StreamDecodeError(
        `The multiplexed stream ended inside a frame header: got ${partial.byteLength} of ${HEADER_SIZE} bytes.`,
        { excerpt: hex(partial), metaMessages: [`Header starting at byte ${this.#offset - partial.byteLength} of the stream.`] },
      );
      throw this.#error;
    }
    this.#ended = true;
    return [];
  }

  #checkHeader(header: Uint8Array, offset: number): StreamDecodeError | undefined {
    const type = header[0] ?? 0;
    const problem =
      type >= STREAMS.length
        ? `unknown stream type ${type}`
        : header[1] !== 0 || header[2] !== 0 || header[3] !== 0
          ? 'non-zero padding bytes'
          : undefined;
    const size = new DataView(header.buffer, header.byteOffset, HEADER_SIZE).getUint32(4, false);
    const message =
      problem !== undefined
        ? `Invalid frame header in the multiplexed stream: ${problem} (is this a TTY stream?).`
        : size > this.#maxFrameSize
          ? `A frame of the multiplexed stream announces ${size} bytes, over the limit of ${this.#maxFrameSize}.`
          : undefined;
    if (message === undefined) return undefined;
    return new StreamDecodeError(message, {
      excerpt: hex(header),
      metaMessages: [`Header at byte ${offset} of the stream.`],
    });
  }

  /** Removes and returns the next `count` bytes (requires `count <= byteLength`). */
  #take(count: number): Uint8Array {
    this.#offset += count;
    return this.#queue.take(count);
  }
}


function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

function systemError(frame: Frame): StreamMessageError {
  const text = new TextDecoder().decode(frame.payload).trim();
  return new StreamMessageError(text === '' ? 'The daemon reported an error in the stream.' : text, { rawMessage: frame });
}

/**
 * Decodes a multiplexed attach / logs reply body into frames, as they arrive.
 *
 * A `system` frame ends the iteration with a {@link StreamMessageError} unless
 * `raiseOnSystemError` is `false`; a malformed or truncated stream ends it with a
 * {@link StreamDecodeError}; an aborted `signal` with an `AbortedError`.
 *
 * @example
 * ```ts
 * for await (const frame of decodeMultiplexedFrames(response.body())) {
 *   (frame.stream === 'stderr' ? process.stderr : process.stdout).write(frame.payload);
 * }
 * ```
 */
export async function* decodeMultiplexedFrames(
  source: AsyncIterable<Uint8Array>,
  options: DecodeMultiplexedFramesOptions = {},
): AsyncGenerator<Frame, void, undefined> {
  const raise = options.raiseOnSystemError ?? true;
  const decoder = new MultiplexedFrameDecoder({ maxFrameSize: options.maxFrameSize });
  for await (const chunk of iterateAbortable(source, options.signal)) {
    for (const frame of decoder.push(chunk)) {
      if (raise && frame.stream === 'system') throw systemError(frame);
      yield frame;
    }
  }
  decoder.end();
}

/**
 * Writes the frames of a multiplexed attach / logs body to two writables: `stdout` (and
 * `stdin`) frames to `stdout`, `stderr` frames to `stderr` (they may be the same writable).
 * Honours backpressure: when `write()` returns `false`, nothing more is read from the source
 * until the writable emits `'drain'`. Resolves with the byte counts once the source is over
 * (ending the writables only with `end: true`).
 *
 * Rejects with a {@link StreamMessageError} on a `system` frame, a {@link StreamDecodeError} on
 * a malformed or truncated stream, the writable's error if it fails or closes early, and an
 * `AbortedError` when `signal` aborts. The source's `return()` is called on an early exit.
 *
 * @example
 * ```ts
 * import { createWriteStream } from 'node:fs';
 *
 * const out = createWriteStream('out.log');
 * const err = createWriteStream('err.log');
 * await demultiplexToStreams(response.body(), out, err, { end: true });
 * ```
 */
export async function demultiplexToStreams(
  source: AsyncIterable<Uint8Array>,
  stdout: Writable,
  stderr: Writable,
  options: DemultiplexOptions = {},
): Promise<DemultiplexResult> {
  const result: DemultiplexResult = { stdoutBytes: 0, stderrBytes: 0 };
  const frames = decodeMultiplexedFrames(source, { signal: options.signal, maxFrameSize: options.maxFrameSize });
  for await (const frame of frames) {
    if (frame.payload.byteLength === 0) continue;
    const target = frame.stream === 'stderr' ? stderr : stdout;
    if (frame.stream === 'stderr') result.stderrBytes += frame.payload.byteLength;
    else result.stdoutBytes += frame.payload.byteLength;
    await writeWithBackpressure(target, frame.payload, options.signal);
  }
  if (options.end === true) {
    await endWritable(stdout, options.signal);
    if (stderr !== stdout) await endWritable(stderr, options.signal);
  }
  return result;
}

function assertWritable(target: Writable): void {
  if (target.destroyed || target.writableEnded) {
    throw new Error('demultiplexToStreams: the output stream is closed.', { cause: target.errored ?? undefined });
  }
}

async function writeWithBackpressure(target: Writable, payload: Uint8Array, signal: AbortSignal | undefined): Promise<void> {
  assertWritable(target);
  if (target.write(payload)) return;
  if (signal?.aborted) throw createAbortError(signal);
  await new Promise<void>((resolve, reject) => {
    const cleanup = (): void => {
      target.off('drain', onDrain);
      target.off('error', onError);
      target.off('close', onClose);
      signal?.removeEventListener('abort', onAbort);
    };
    const onDrain = (): void => {
      cleanup();
      resolve();
    };
    const onError = (error: unknown): void => {
      cleanup();
      reject(error);
    };
    const onClose = (): void => {
      cleanup();
      reject(target.errored ?? new Error('demultiplexToStreams: the output stream closed before draining.'));
    };
    const onAbort = (): void => {
      cleanup();
      if (signal !== undefined) reject(createAbortError(signal));
    };
    target.on('drain', onDrain);
    target.on('error', onError);
    target.on('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function endWritable(target: Writable, signal: AbortSignal | undefined): Promise<void> {
  if (target.writableFinished) return;
  if (signal?.aborted) throw createAbortError(signal);
  await raceAbort(
    new Promise<void>((resolve, reject) => {
      target.end((error?: Error | null) => (error ? reject(error) : resolve()));
    }),
    signal,
  );
}
