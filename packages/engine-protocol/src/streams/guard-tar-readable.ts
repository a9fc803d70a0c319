/**
 * The Node-stream form of the tar guard: one `Readable` over the reply body, with no async
 * iterator or extra stream in between (the save path's hot loop).
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

/** Buffered bytes before the stream stops reading its source (the engine's socket). */
const HIGH_WATER_MARK = 128 * 1024;
/**
 * After this long without data, the held-back chunk is released but for its tail, so that a
 * slow or stalled engine does not keep a whole chunk from the consumer. While data flows the
 * timer is only re-armed, and chunks are never split.
 */
const STALL_FLUSH_MS = 25;

/**
 * Passes a tar byte stream through {@link TarStreamGuard} as a Node `Readable`: chunks go on
 * whole as the next ones arrive (no copy, no split; when the source pauses for 25 ms, all but
 * the held-back tail goes on at once), the source is paused while the consumer is full
 * (backpressure down to the socket), and at the end an error the daemon appended, or an
 * archive that is empty or cut short, fails the stream (after the archive bytes before it).
 * Destroying the returned stream destroys the source (for an HTTP body: closes the connection).
 *
 * @example
 * ```ts
 * import { pipeline } from 'node:stream/promises';
 * await pipeline(guardTarReadable(response.body()), createWriteStream('image.tar'));
 * ```
 */
export function guardTarReadable(source: Readable, options: GuardTarReadableOptions = {}): Readable {
  return new GuardedTarReadable(source, options);
}

class GuardedTarReadable extends Readable {
  readonly #source: Readable;
  readonly #guard: TarStreamGuard;
  readonly #mapError: (error: unknown) => Error;
  #started = false;
  #stallTimer: NodeJS.Timeout | undefined;
  /** The failure found at the end, raised once the consumer has read the bytes before it. */
  #pendingError: Error | undefined;

  constructor(source: Readable, options: GuardTarReadableOptions) {
    super({ highWaterMark: HIGH_WATER_MARK });
    this.#source = source;
    this.#guard = new TarStreamGuard({ tailSize: options.tailSize });
    this.#mapError = options.mapError ?? ((error) => (error instanceof Error ? error : new Error(String(error))));
  }

  override _read(): void {
    if (this.#pendingError !== undefined) {
      this.destroy(this.#pendingError);
      return;
    }
    if (this.#started) {
      this.#source.resume();
      return;
    }
    // Listen only once the consumer reads: until then the source keeps its backpressure.
    this.#started = true;
    const source = this.#source;
    source.on('data', (chunk: Uint8Array) => {
      const safe = this.#guard.push(chunk);
      let more = true;
      for (const piece of safe) more = this.push(piece);
      if (!more) source.pause();
      this.#armStallTimer();
    });
    source.once('end', () => {
      this.#clearStallTimer();
      const { remaining, error } = this.#guard.end();
      if (error === undefined) {
        if (remaining.byteLength > 0) this.push(remaining);
        this.push(null);
      } else if (remaining.byteLength > 0) {
        this.#pendingError = error;
        this.push(remaining);
      } else {
        this.destroy(error);
      }
    });
    source.once('error', (error) => this.destroy(this.#mapError(error)));
  }

  #armStallTimer(): void {
    if (this.#stallTimer === undefined) {
      this.#stallTimer = setTimeout(() => {
        if (this.destroyed) return;
        for (const piece of this.#guard.flush()) this.push(piece);
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
    if (!this.#source.destroyed) this.#source.destroy();
    callback(error);
  }
}
