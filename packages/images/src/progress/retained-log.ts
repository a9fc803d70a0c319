/**
 * Internal: the bounded log behind {@link ProgressOperation.log}. Not exported from the package.
 *
 * @module
 */
import type { ProgressEvent } from './progress-event.js';

/**
 * Whether an event is one a result or a diagnosis needs, kept apart from (and longer than) the
 * ordinary events: an error, a digest, an image id, a warning, the `complete` end mark.
 *
 * @example
 * ```ts
 * isKeyEvent(parseProgressEvent({ aux: { ID: 'sha256:…' } })); // true
 * ```
 * @internal
 */
export function isKeyEvent(event: ProgressEvent): boolean {
  return event.type === 'error' || event.type === 'digest' || event.type === 'image-id' || event.type === 'warning' || event.type === 'complete';
}

interface Entry {
  readonly sequence: number;
  readonly event: ProgressEvent;
}

/** The last `capacity` items pushed (every item when `capacity` is `Infinity`), O(1) per push. */
class TailBuffer<Item> {
  readonly #capacity: number;
  #items: Item[] = [];
  #head = 0;
  dropped = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  push(item: Item): void {
    this.#items.push(item);
    if (this.#items.length - this.#head > this.#capacity) {
      this.#head += 1;
      this.dropped += 1;
      if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
        this.#items = this.#items.slice(this.#head);
        this.#head = 0;
      }
    }
  }

  toArray(): Item[] {
    return this.#items.slice(this.#head);
  }
}

/**
 * The events of an operation worth keeping, within a bound: the last `limit` ordinary events
 * (status lines, output, layer state changes) and the last `limit` key events (see
 * {@link isKeyEvent}), in the order they happened. `Infinity` keeps everything.
 *
 * @example
 * ```ts
 * const log = new RetainedLog(10_000);
 * log.push(event);
 * log.toArray(); // oldest retained first
 * ```
 * @internal
 */
export class RetainedLog {
  readonly #ordinary: TailBuffer<Entry>;
  readonly #key: TailBuffer<Entry>;
  #sequence = 0;
  #cached: readonly ProgressEvent[] | undefined = [];

  constructor(limit: number) {
    this.#ordinary = new TailBuffer(limit);
    this.#key = new TailBuffer(limit);
  }

  /** Events that were pushed but are no longer kept. */
  get dropped(): number {
    return this.#ordinary.dropped + this.#key.dropped;
  }

  push(event: ProgressEvent): void {
    (isKeyEvent(event) ? this.#key : this.#ordinary).push({ sequence: this.#sequence, event });
    this.#sequence += 1;
    this.#cached = undefined;
  }

  /** The kept events, oldest first (the same array until the next push). */
  toArray(): readonly ProgressEvent[] {
    if (this.#cached !== undefined) return this.#cached;
    const ordinary = this.#ordinary.toArray();
    const key = this.#key.toArray();
    const merged: ProgressEvent[] = [];
    let left = 0;
    let right = 0;
    while (left < ordinary.length || right < key.length) {
      const next =
        right >= key.length || (left < ordinary.length && (ordinary[left] as Entry).sequence < (key[right] as Entry).sequence)
          ? (ordinary[left++] as Entry)
          : (key[right++] as Entry);
      merged.push(next.event);
    }
    this.#cached = Object.freeze(merged);
    return this.#cached;
  }
}
