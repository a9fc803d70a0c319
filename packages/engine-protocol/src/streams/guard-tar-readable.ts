/**
 * The Node-stream form of the tar guard, and the one `Readable` the save path streams through:
 * fed either by another `Readable` ({@link guardTarReadable}) or straight by the HTTP client's
 * body callbacks (the engine client's byte-stream replies), with no async iterator or extra
 * stream in between (the save path's hot loop).
 *
 * @module
 */
import { Readable } from 'node:stream';
import { TarStreamGuard, type TarStreamGuardOptions } from './raw-bytes.js';

/**
 * Options of {@link guardTarReadable}.
 *
 * @example
 * ```ts
 * const options: GuardTarReadableOptions = { mapError: (error) => new Error('save failed', { cause: error }) };
 * ```
 */
export interface GuardTarReadableOptions extends TarStreamGuardOptions {
  /** Turns an error of the source into the error the returned stream fails with. Default: as is. */
  readonly mapError?: ((error: unknown) => Error) | undefined;
}

/**
 * The source is paused when this much is buffered for a slow consumer, and resumed only once
 * the consumer has taken all but `RESUME_BELOW` of it. The gap matters: undici's HTTP/1 parser
 * copies the bytes waiting on its socket at every resume, so pausing and resuming once per
 * chunk (as a plain pipe into a file does) costs time quadratic in what is waiting, and on a
 * busy machine a 100 MiB save took a minute. With the gap it pauses about once per MiB.
 */
const PAUSE_ABOVE = 2 * 1024 * 1024;
const RESUME_BELOW = 512 * 1024;
/**
 * After this long without data, the held-back chunk is released but for its tail, so that a
 * slow or stalled engine does not keep a whole chunk from the consumer. While data flows the
 * timer is only re-armed, and chunks are never split.
 */
const STALL_FLUSH_MS = 25;
/**
 * Pieces smaller than `SMALL_PIECE` that arrive together (in one turn of the event loop) are
 * handed on as one chunk of up to `GATHER_BYTES`, so that a source of tiny pieces does not cost
 * the consumer a call per piece. Bigger pieces (a socket's reads are mostly 32–64 KiB) pass on
 * whole and uncopied: gathering them into 256 KiB copies doubled what the garbage collector
 * frees and cost more CPU than the consumer's calls it saved (see bench/README.md).
 */
const SMALL_PIECE = 8 * 1024;
const GATHER_BYTES = 64 * 1024;

/**
 * How a {@link TarFeedReadable} slows down, speeds up and stops what feeds it.
 *
 * @example
 * ```ts fragment
 * stream.attach({ pause: () => socket.pause(), resume: () => socket.resume(), abort: (error) => socket.destroy(error) });
 * ```
 * @internal
 */
export interface FeedControl {
  /** Stop delivering chunks for now (may take effect after the chunk being delivered). */
  pause(): void;
  /** Deliver chunks again. */
  resume(): void;
  /** Stop for good and release what the source holds (for an HTTP reply: its connection). */
  abort(error: Error): void;
}

/**
 * A `Readable` of bytes that a producer feeds with {@link TarFeedReadable.feed},
 * {@link TarFeedReadable.feedEnd} and {@link TarFeedReadable.feedError}, with backpressure
 * through its {@link FeedControl}; optionally through the tar guard. Chunks are pushed on as
 * they come (the guard holds back only its tail), the producer is paused when 2 MiB wait for
 * the consumer and resumed under 512 KiB, and nothing is pushed before the consumer's first
 * read (what arrives before is kept, and the producer paused at 2 MiB), so that a failure
 * before that read waits for it instead of being emitted with nobody listening.
 *
 * @example
 * ```ts fragment
 * const stream = new TarFeedReadable();
 * stream.attach({ pause, resume, abort });
 * stream.guardTar({ mapError: (error) => toBerthError(error) });
 * onData = (chunk) => stream.feed(chunk);
 * onEnd = () => stream.feedEnd();
 * ```
 * @internal
 */
export class TarFeedReadable extends Readable {
  #control: FeedControl | undefined;
  #start: (() => void) | undefined;
  #guard: TarStreamGuard | undefined;
  #mapError: (error: unknown) => Error = asError;
  #started = false;
  #sourcePaused = false;
  #sourceEnded = false;
  #failed = false;
  #joinPieces = false;
  /** The latest piece, waiting for the next one of the same socket read (see `joinAdjacentPieces`). */
  #piece: Uint8Array | undefined;
  #pieceFlushQueued = false;
  /** Chunks fed before the consumer's first read. */
  #early: Uint8Array[] = [];
  #earlyBytes = 0;
  #stallTimer: NodeJS.Timeout | undefined;
  /** Small released pieces not yet handed on, gathered up to `GATHER_BYTES`. */
  #gathered: Uint8Array[] = [];
  #gatheredBytes = 0;
  #gatherFlush: NodeJS.Immediate | undefined;
  /** The failure to raise once the consumer has read the bytes before it (or at its first read). */
  #pendingError: Error | undefined;

  constructor() {
    super({ highWaterMark: PAUSE_ABOVE });
  }

  /**
   * Sets how to pause, resume and abort the producer, and optionally what to run at the
   * consumer's first read (a `Readable` source is listened to only from then on).
   */
  attach(control: FeedControl, start?: () => void): this {
    this.#control = control;
    this.#start = start;
    return this;
  }

  /**
   * Turns the tar guard on (before the consumer's first read): an error the daemon appended,
   * or an archive that is empty or cut short, then fails the stream; `mapError` turns the
   * producer's failures into the errors this stream fails with.
   */
  guardTar(options: GuardTarReadableOptions = {}): this {
    if (this.#started) throw new Error('TarFeedReadable.guardTar() was called after the first read.');
    this.#guard = new TarStreamGuard({ tailSize: options.tailSize });
    if (options.mapError !== undefined) this.#mapError = options.mapError;
    return this;
  }

  /** Whether the tar guard can still be turned on (nothing was read yet). */
  get guardable(): boolean {
    return !this.#started && this.#guard === undefined;
  }

  /** Sets how the producer's failures are mapped (before they happen). */
  mapErrorsWith(mapError: (error: unknown) => Error): this {
    this.#mapError = mapError;
    return this;
  }

  /** The producer delivers a chunk. */
  feed(chunk: Uint8Array): void {
    if (this.#sourceEnded || this.#failed || this.destroyed) return;
    if (this.#joinPieces) {
      this.#join(chunk);
      return;
    }
    this.#accept(chunk);
  }

  /**
   * Lets the stream rejoin body pieces that an HTTP/1 parser cut out of one socket read at the
   * chunked encoding's boundaries: when a piece follows the previous one in the same memory,
   * separated only by chunk framing (`\r\n<hex size>\r\n`), it is moved over that framing
   * (the framing bytes are overwritten) and both go on as one chunk. A socket read of 64 KiB
   * arrives as two or three pieces of an engine's 32 KiB chunks; joined, the consumer makes
   * one call per read instead of one per piece, without allocating or copying into a new
   * buffer. Only for a producer whose pieces are its own views of its read buffers (undici's
   * body callbacks), never for chunks someone else may hold.
   */
  joinAdjacentPieces(): this {
    this.#joinPieces = true;
    return this;
  }

  #join(chunk: Uint8Array): void {
    const last = this.#piece;
    if (last !== undefined) {
      const gapStart = last.byteOffset + last.byteLength;
      if (chunk.buffer === last.buffer && isChunkFraming(new Uint8Array(chunk.buffer), gapStart, chunk.byteOffset)) {
        new Uint8Array(chunk.buffer).copyWithin(gapStart, chunk.byteOffset, chunk.byteOffset + chunk.byteLength);
        this.#piece = Buffer.from(last.buffer, last.byteOffset, last.byteLength + chunk.byteLength);
        return;
      }
      this.#accept(last);
    }
    this.#piece = chunk;
    if (!this.#pieceFlushQueued) {
      this.#pieceFlushQueued = true;
      // The pieces of one socket read arrive in one synchronous run of the parser.
      queueMicrotask(this.#flushPiece);
    }
  }

  readonly #flushPiece = (): void => {
    this.#pieceFlushQueued = false;
    const piece = this.#piece;
    this.#piece = undefined;
    if (piece !== undefined && !this.#sourceEnded && !this.#failed && !this.destroyed) this.#accept(piece);
  };

  #accept(chunk: Uint8Array): void {
    if (!this.#started) {
      this.#early.push(chunk);
      this.#earlyBytes += chunk.byteLength;
      if (this.#earlyBytes >= PAUSE_ABOVE) this.#pauseSource();
      return;
    }
    this.#take(chunk);
  }

  /** The producer delivered everything. */
  feedEnd(): void {
    if (this.#sourceEnded || this.#failed || this.destroyed) return;
    if (this.#piece !== undefined) this.#flushPiece();
    this.#sourceEnded = true;
    if (this.#started) this.#finish();
  }

  /**
   * The producer failed (or was stopped: an abort, a timeout): fails the stream with the mapped
   * error, at once or, before the consumer's first read, at that read. Aborts the producer.
   */
  feedError(error: unknown): void {
    if (this.#failed || this.#sourceEnded || this.destroyed) return;
    this.#failed = true;
    const mapped = this.#mapError(error);
    this.#control?.abort(mapped);
    if (this.#started) this.destroy(mapped);
    else this.#pendingError ??= mapped;
  }

  override _read(): void {
    if (this.#started) {
      if (this.#pendingError !== undefined) this.destroy(this.#pendingError);
      else this.#resumeWhenDrained();
      return;
    }
    this.#started = true;
    if (this.#pendingError !== undefined) {
      this.destroy(this.#pendingError);
      return;
    }
    const early = this.#early;
    this.#early = [];
    this.#earlyBytes = 0;
    for (const chunk of early) this.#take(chunk);
    if (this.#sourceEnded) this.#finish();
    else this.#resumeWhenDrained();
    this.#start?.();
  }

  /**
   * Every read of the consumer (a pipe's flow calls it for each chunk it takes) is the moment
   * to check whether the buffer has drained enough to resume the source. Node calls `_read`
   * again only after a push, so waiting there alone could stall.
   */
  override read(size?: number): unknown {
    const chunk: unknown = super.read(size);
    this.#resumeWhenDrained();
    return chunk;
  }

  #take(chunk: Uint8Array): void {
    const guard = this.#guard;
    if (guard === undefined) {
      this.#out(chunk);
      return;
    }
    if (chunk.byteLength === 0) return;
    const released = guard.push(chunk);
    for (let i = 0; i < released.length; i++) this.#out(released[i] as Uint8Array);
    this.#armStallTimer();
  }

  #out(piece: Uint8Array): void {
    if (piece.byteLength >= SMALL_PIECE) {
      if (this.#gatheredBytes > 0) this.#handOn();
      this.#push(piece);
      return;
    }
    this.#gathered.push(piece);
    this.#gatheredBytes += piece.byteLength;
    if (this.#gatheredBytes >= GATHER_BYTES) this.#handOn();
    else if (this.#gatherFlush === undefined) {
      // Whatever else arrives in this turn of the event loop joins it.
      this.#gatherFlush = setImmediate(() => {
        this.#gatherFlush = undefined;
        this.#handOn();
      });
    }
  }

  /** Pushes the gathered pieces as one (a copy only when there are several). */
  #handOn(): void {
    if (this.#gatherFlush !== undefined) {
      clearImmediate(this.#gatherFlush);
      this.#gatherFlush = undefined;
    }
    const count = this.#gathered.length;
    if (count === 0 || this.destroyed) return;
    const chunk = count === 1 ? (this.#gathered[0] as Uint8Array) : Buffer.concat(this.#gathered, this.#gatheredBytes);
    this.#gathered = [];
    this.#gatheredBytes = 0;
    this.#push(chunk);
  }

  #push(chunk: Uint8Array): void {
    if (!this.push(chunk)) this.#pauseSource();
  }

  #pauseSource(): void {
    if (this.#sourcePaused) return;
    this.#sourcePaused = true;
    this.#control?.pause();
  }

  #finish(): void {
    this.#clearStallTimer();
    this.#handOn();
    const guard = this.#guard;
    if (guard === undefined) {
      this.push(null);
      return;
    }
    const { remaining, error } = guard.end();
    if (error === undefined) {
      if (remaining.byteLength > 0) this.push(remaining);
      this.push(null);
    } else if (remaining.byteLength > 0) {
      this.#pendingError = error;
      this.push(remaining);
    } else {
      this.destroy(error);
    }
  }

  /** Resumes the source once the consumer has drained the buffer below `RESUME_BELOW`. */
  #resumeWhenDrained(): void {
    if (!this.#sourcePaused || !this.#started || this.destroyed || this.readableLength > RESUME_BELOW) return;
    this.#sourcePaused = false;
    this.#control?.resume();
  }

  #armStallTimer(): void {
    if (this.#stallTimer === undefined) {
      this.#stallTimer = setTimeout(() => {
        if (this.destroyed || this.#guard === undefined || this.#sourceEnded) return;
        for (const piece of this.#guard.flush()) this.#out(piece);
        this.#handOn();
      }, STALL_FLUSH_MS);
      this.#stallTimer.unref();
    } else {
      this.#stallTimer.refresh();
    }
  }

  #clearStallTimer(): void {
    if (this.#stallTimer !== undefined) clearTimeout(this.#stallTimer);
    this.#stallTimer = undefined;
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#clearStallTimer();
    if (this.#gatherFlush !== undefined) clearImmediate(this.#gatherFlush);
    this.#early = [];
    this.#gathered = [];
    // Destroyed before its end (a consumer that stops early, an error): stop the producer.
    if (!this.#sourceEnded && !this.#failed) {
      this.#failed = true;
      this.#control?.abort(error ?? Object.assign(new Error('The stream was destroyed before its end.'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    }
    callback(error);
  }
}

/** The longest chunk framing rejoined: `\r\n`, a size of up to 16 hex digits, `\r\n`. */
const MAX_FRAMING = 20;

/**
 * Whether `bytes[from..to)` is exactly the framing between two chunks of the HTTP/1 chunked
 * encoding: CR LF, hex digits, CR LF (no chunk extensions: an engine sends none).
 */
function isChunkFraming(bytes: Uint8Array, from: number, to: number): boolean {
  const length = to - from;
  if (length < 5 || length > MAX_FRAMING) return false;
  if (bytes[from] !== 0x0d || bytes[from + 1] !== 0x0a || bytes[to - 2] !== 0x0d || bytes[to - 1] !== 0x0a) return false;
  for (let i = from + 2; i < to - 2; i++) {
    const byte = bytes[i] as number;
    const isHex = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
    if (!isHex) return false;
  }
  return true;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Passes a tar byte stream through {@link TarStreamGuard} as a Node `Readable`: chunks go on
 * whole as the next ones arrive (never split; small ones arriving in the same turn of the
 * event loop are gathered; when the source pauses for 25 ms, all but the held-back tail goes
 * on at once), the source is paused while the consumer is full (backpressure down to the
 * socket), and at the end an error the daemon appended, or an archive that is empty or cut
 * short, fails the stream (after the archive bytes before it). Destroying the returned stream
 * destroys the source (for an HTTP body: closes the connection).
 *
 * @example
 * ```ts
 * import { pipeline } from 'node:stream/promises';
 * await pipeline(guardTarReadable(response.body()), createWriteStream('image.tar'));
 * ```
 */
export function guardTarReadable(source: Readable, options: GuardTarReadableOptions = {}): Readable {
  const stream = new TarFeedReadable().guardTar(options);
  let ended = false;
  stream.attach(
    {
      pause: () => source.pause(),
      resume: () => source.resume(),
      abort: () => {
        if (!source.destroyed) source.destroy();
      },
    },
    // Listen only once the consumer reads: until then the source keeps its backpressure.
    () => {
      source.on('data', (chunk: Uint8Array) => stream.feed(chunk));
      source.once('end', () => {
        ended = true;
        stream.feedEnd();
      });
    },
  );
  // Failures are watched from the start, not from the first read: a body destroyed before the
  // consumer reads (an abort, the client closing) must still fail this stream.
  source.once('error', (error) => stream.feedError(error));
  source.once('close', () => {
    if (ended || stream.destroyed) return;
    // An 'error' event, when there is one, comes first and has already failed this stream.
    stream.feedError(source.errored ?? Object.assign(new Error('The reply body closed before its end.'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
  });
  return stream;
}
