import type { ProgressEvent } from '@berth/images';
import type { Style } from '../terminal/style.js';

/**
 * How an operation ended, for the last lines a view prints.
 *
 * @example
 * ```ts
 * renderer.finish('canceled');
 * ```
 */
export type ProgressOutcome = 'success' | 'failure' | 'canceled';

/** What a view draws with. @internal */
export interface ViewContext {
  /** Live drawing (`tty`) or one line per change (`plain`). */
  readonly tty: boolean;
  readonly style: Style;
  /** Prints a line that stays (above the live region on a terminal). */
  permanent(line: string): void;
  /** Columns a line may take (infinite in plain mode). */
  width(): number;
  /** Milliseconds, for elapsed times. */
  now(): number;
  /** Output lines shown under a running build step on a terminal. */
  readonly logLinesPerStep: number;
}

/** One way of showing an operation's events. @internal */
export interface ProgressView {
  update(event: ProgressEvent): void;
  /** On a terminal: moves what will not change any more into permanent lines. */
  settle(): void;
  /** On a terminal: the live lines. */
  live(width: number): string[];
  /** Prints what is left; nothing is live afterwards. */
  finish(outcome: ProgressOutcome): void;
}
