/**
 * Internal: the bounded event queue behind {@link ProgressOperation}'s iteration. Not exported
 * from the package.
 *
 * @module
 */
import { isByteCountUpdate } from './byte-count-update.js';
import type { ProgressEvent } from './progress-event.js';
import { isKeyEvent } from './retained-log.js';

/**
 * A FIFO of progress events with a hard bound. When it holds more than `limit` events, it drops
 * every byte-count update (a `layer` event with `current`) that a later event of the same layer
 * supersedes; if that is not enough, the oldest ordinary events beyond the newest `limit`, and
 * the oldest key events (errors, digests, image ids, warnings) beyond the newest `limit`. So it
 * never holds more than about 4 × `limit` events. The next compaction waits until the queue has
 * doubled again, so compaction costs O(1) per event amortized.
 *
 * @example
 * ```ts
 * const buffer = new EventBuffer(1000);
 * buffer.push(event);
 * const next = buffer.shift();
 * ```
 * @internal
 */
export class EventBuffer {
  readonly #limit: number;
  #events: ProgressEvent[] = [];
  #head = 0;
  #compactAt: number;

  constructor(limit: number, initial: readonly ProgressEvent[] = []) {
    this.#limit = limit;
    this.#compactAt = limit;
    for (const event of initial) this.push(event);
  }

  /** Events waiting. */
  get length(): number {
    return this.#events.length - this.#head;
  }

  /** The waiting events, oldest first (a copy). */
  toArray(): ProgressEvent[] {
    return this.#events.slice(this.#head);
  }

  /** Appends an event, compacting when over the bound. */
  push(event: ProgressEvent): void {
    this.#events.push(event);
    if (this.length > this.#compactAt) this.#compact();
  }

  /** Removes and returns the oldest event. */
  shift(): ProgressEvent | undefined {
    if (this.#head >= this.#events.length) return undefined;
    const event = this.#events[this.#head];
    this.#head += 1;
    if (this.#head === this.#events.length) {
      this.#events = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#events.length) {
      this.#events = this.#events.slice(this.#head);
      this.#head = 0;
    }
    return event;
  }

  #compact(): void {
    const seenLayers = new Set<string>();
    const kept: ProgressEvent[] = [];
    let ordinary = 0;
    let key = 0;
    for (let index = this.#events.length - 1; index >= this.#head; index -= 1) {
      const event = this.#events[index] as ProgressEvent;
      if (event.type === 'layer') {
        const superseded = seenLayers.has(event.layerId);
        seenLayers.add(event.layerId);
        if (superseded && isByteCountUpdate(event)) continue;
      }
      // Newest first: what is over the bound here is the oldest of its kind.
      const overBound = isKeyEvent(event) ? key++ >= this.#limit : ordinary++ >= this.#limit;
      if (overBound) continue;
      kept.push(event);
    }
    kept.reverse();
    this.#events = kept;
    this.#head = 0;
    this.#compactAt = Math.max(this.#limit, kept.length * 2);
  }
}
