import { formatDuration } from '../format/format-duration.js';
import { humanSize } from '../format/human-size.js';
import { progressBar } from '../format/progress-bar.js';
import { sanitizeLine } from '../terminal/sanitize-text.js';
import { textWidth } from '../terminal/text-width.js';

/**
 * Bytes moved by the client itself (an archive being saved or uploaded): one line with the
 * count, a bar when the total is known, and the rate.
 * @internal
 */
export class TransferLine {
  readonly #label: string;
  readonly #now: () => number;
  #bytes = 0;
  #total: number | undefined;
  #since: number | undefined;

  constructor(label: string, now: () => number) {
    this.#label = sanitizeLine(label);
    this.#now = now;
  }

  get active(): boolean {
    return this.#since !== undefined;
  }

  update(bytes: number, total: number | undefined): void {
    this.#since ??= this.#now();
    this.#bytes = Math.max(this.#bytes, bytes);
    if (total !== undefined) this.#total = total;
  }

  live(width: number): string {
    const elapsed = Math.max(1, this.#now() - (this.#since ?? this.#now()));
    const rate = `${humanSize((this.#bytes * 1000) / elapsed)}/s`;
    const counts = this.#total === undefined ? humanSize(this.#bytes) : `${humanSize(Math.min(this.#bytes, this.#total))}/${humanSize(this.#total)}`;
    const head = `${this.#label}:`;
    const room = Math.min(52, width - textWidth(head) - counts.length - rate.length - 4);
    const bar = this.#total !== undefined && room >= 12 ? ` ${progressBar(this.#bytes / this.#total, room)}` : '';
    return `${head}${bar} ${counts} ${rate}`;
  }

  final(outcome: 'success' | 'failure' | 'canceled'): string {
    const elapsed = this.#now() - (this.#since ?? this.#now());
    const word = outcome === 'success' ? 'done' : outcome === 'canceled' ? 'canceled' : 'failed';
    return `${this.#label}: ${humanSize(this.#bytes)} in ${formatDuration(elapsed)}, ${word}`;
  }
}
