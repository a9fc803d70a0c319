import { LayerProgressAggregator, type LayerProgress, type LayerState, type ProgressEvent } from '@berth/images';
import { humanSize } from '../format/human-size.js';
import { progressBar } from '../format/progress-bar.js';
import { sanitizeLine } from '../terminal/sanitize-text.js';
import { textWidth } from '../terminal/text-width.js';
import type { ProgressOutcome, ProgressView, ViewContext } from './progress-view.js';

type Entry = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'layer'; readonly layerId: string };

/** States whose counts are worth a bar. */
const barStates: ReadonlySet<LayerState> = new Set<LayerState>(['downloading', 'extracting', 'pushing', 'loading', 'unknown']);
const classicStepLine = /^Step \d+\/\d+ : /;

/**
 * Pull, push, load and classic build output the way the docker CLI shows it: status lines in
 * order, one line per layer redrawn in place with its bar and byte counts on a terminal, one line
 * per change of a layer's state (no byte counts) in plain mode, and build text as it comes.
 * @internal
 */
export class StreamView implements ProgressView {
  readonly #context: ViewContext;
  readonly #layers = new LayerProgressAggregator();
  readonly #entries: Entry[] = [];
  readonly #printedStates = new Map<string, LayerState>();
  #committed = 0;
  #partial = '';

  constructor(context: ViewContext) {
    this.#context = context;
  }

  update(event: ProgressEvent): void {
    switch (event.type) {
      case 'layer': {
        const known = this.#layers.layer(event.layerId) !== undefined;
        this.#layers.update(event);
        if (!known) this.#entries.push({ kind: 'layer', layerId: event.layerId });
        if (!this.#context.tty && this.#printedStates.get(event.layerId) !== event.state) {
          this.#printedStates.set(event.layerId, event.state);
          this.#text(`${event.layerId}: ${event.status}`);
        }
        break;
      }
      case 'status':
        this.#text(event.id === undefined ? event.status : `${event.id}: ${event.status}`);
        break;
      case 'digest':
        // The aux form repeats a status line already shown; print the engine's own words once.
        if (typeof event.raw.status === 'string') this.#text(event.raw.status);
        break;
      case 'output':
        this.#output(event.text);
        break;
      case 'warning':
        this.#flushPartial();
        this.#text(this.#context.style.yellow(sanitizeLine(event.text.trim())), true);
        break;
      default:
        break;
    }
  }

  settle(): void {
    while (this.#committed < this.#entries.length) {
      const entry = this.#entries[this.#committed] as Entry;
      if (entry.kind === 'layer' && this.#layers.layer(entry.layerId)?.finished !== true) break;
      this.#context.permanent(this.#render(entry, this.#context.width()));
      this.#committed += 1;
    }
    // Printed for good: let them go (a long classic build would otherwise be held whole).
    this.#entries.splice(0, this.#committed);
    this.#committed = 0;
  }

  live(width: number): string[] {
    return this.#entries.slice(this.#committed).map((entry) => this.#render(entry, width));
  }

  finish(_outcome: ProgressOutcome): void {
    this.#flushPartial();
    if (!this.#context.tty) return;
    this.settle();
    for (const entry of this.#entries.slice(this.#committed)) this.#context.permanent(this.#render(entry, this.#context.width()));
    this.#committed = this.#entries.length;
  }

  #output(text: string): void {
    const pieces = (this.#partial + text).split('\n');
    this.#partial = pieces.pop() ?? '';
    for (const piece of pieces) {
      const line = sanitizeLine(piece);
      this.#text(this.#context.tty && classicStepLine.test(line) ? this.#context.style.bold(line) : line, true);
    }
  }

  #flushPartial(): void {
    if (this.#partial === '') return;
    const line = this.#partial;
    this.#partial = '';
    this.#text(sanitizeLine(line), true);
  }

  #text(text: string, sanitized = false): void {
    const line = sanitized ? text : sanitizeLine(text);
    if (this.#context.tty) this.#entries.push({ kind: 'text', text: line });
    else this.#context.permanent(line);
  }

  #render(entry: Entry, width: number): string {
    if (entry.kind === 'text') return entry.text;
    const layer = this.#layers.layer(entry.layerId) as LayerProgress;
    const head = `${sanitizeLine(layer.layerId)}: ${sanitizeLine(layer.status)}`;
    const { current, total } = layer;
    if (layer.finished || !barStates.has(layer.state) || current === undefined) return layer.finished ? this.#context.style.green(head) : head;
    const counts = total === undefined ? humanSize(current) : `${humanSize(Math.min(current, total))}/${humanSize(total)}`;
    if (total === undefined) return `${head} ${counts}`;
    const room = Math.min(52, width - textWidth(head) - counts.length - 3);
    return room >= 12 ? `${head} ${progressBar(current / total, room)} ${counts}` : `${head} ${counts}`;
  }
}
