/**
 * Internal FIFO of byte chunks used by the binary decoders: appending is O(1), and bytes are
 * copied at most once, when a caller asks for a contiguous range that spans several chunks.
 * Not re-exported from the package.
 *
 * @module
 */

const EMPTY = new Uint8Array(0);
/** Dropped slots at the front are compacted away once there are this many (and they are half the array). */
const COMPACT_THRESHOLD = 1024;

/**
 * A queue of byte chunks read from the front.
 *
 * @example
 * ```ts
 * const queue = new ChunkQueue();
 * queue.push(Uint8Array.of(1, 2, 3));
 * queue.push(Uint8Array.of(4));
 * queue.take(2); // Uint8Array [1, 2] (a view, no copy)
 * queue.take(2); // Uint8Array [3, 4] (copied once)
 * ```
 * @internal
 */
export class ChunkQueue {
  #chunks: Uint8Array[] = [];
  /** Index of the first live chunk in `#chunks`. */
  #head = 0;
  /** Bytes of `#chunks[#head]` already consumed. */
  #headOffset = 0;
  #byteLength = 0;

  /** Unconsumed bytes. */
  get byteLength(): number {
    return this.#byteLength;
  }

  /** Appends a chunk (kept by reference, not copied). Empty chunks are ignored. */
  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.#chunks.push(chunk);
    this.#byteLength += chunk.byteLength;
  }

  /**
   * Removes the next `count` bytes and returns them as one array: a view when they lie in one
   * chunk, else a copy. `count` must not exceed `byteLength`.
   */
  take(count: number): Uint8Array {
    this.#check(count);
    if (count === 0) return EMPTY;
    const first = this.#chunks[this.#head] ?? EMPTY;
    if (first.byteLength - this.#headOffset >= count) return this.#consumeFront(count);
    const result = new Uint8Array(count);
    let written = 0;
    while (written < count) {
      const piece = this.#consumeFront(count - written);
      result.set(piece, written);
      written += piece.byteLength;
    }
    return result;
  }

  /** Removes the next `count` bytes and returns them as views of the queued chunks (no copy). */
  takeChunks(count: number): Uint8Array[] {
    this.#check(count);
    const result: Uint8Array[] = [];
    let remaining = count;
    while (remaining > 0) {
      const piece = this.#consumeFront(remaining);
      result.push(piece);
      remaining -= piece.byteLength;
    }
    return result;
  }

  #check(count: number): void {
    if (!Number.isInteger(count) || count < 0 || count > this.#byteLength) {
      throw new RangeError(`ChunkQueue: cannot take ${count} of ${this.#byteLength} bytes`);
    }
  }

  /** Removes up to `max` (> 0) bytes from the first chunk and returns them as a view. */
  #consumeFront(max: number): Uint8Array {
    const chunk = this.#chunks[this.#head] ?? EMPTY;
    const end = Math.min(chunk.byteLength, this.#headOffset + max);
    const piece = this.#headOffset === 0 && end === chunk.byteLength ? chunk : chunk.subarray(this.#headOffset, end);
    this.#byteLength -= piece.byteLength;
    if (end === chunk.byteLength) {
      this.#chunks[this.#head] = EMPTY;
      this.#head++;
      this.#headOffset = 0;
      if (this.#head === this.#chunks.length) {
        this.#chunks = [];
        this.#head = 0;
      } else if (this.#head >= COMPACT_THRESHOLD && this.#head * 2 >= this.#chunks.length) {
        this.#chunks = this.#chunks.slice(this.#head);
        this.#head = 0;
      }
    } else {
      this.#headOffset = end;
    }
    return piece;
  }
}
