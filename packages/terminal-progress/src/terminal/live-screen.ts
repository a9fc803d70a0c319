import type { TerminalOutput } from './terminal-output.js';
import { truncateText } from './text-width.js';

const hideCursor = '\x1b[?25l';
const showCursor = '\x1b[?25h';
const clearLine = '\x1b[2K';
const clearToEnd = '\x1b[J';

/**
 * Draws on a terminal: permanent lines scroll up as usual, below them a live region that is
 * redrawn in place (cursor up, clear, rewrite). Each frame is one `write`, every line is cut to
 * the width (a wrapped line would break the count of lines to go back up), and the live region is
 * cut to the height (lines that scrolled off the top cannot be redrawn).
 *
 * @example
 * ```ts
 * const screen = new LiveScreen(process.stderr);
 * screen.draw(['done: a'], ['b: 40%']);
 * screen.draw([], ['b: 90%']);
 * screen.close();
 * ```
 */
export class LiveScreen {
  readonly #output: TerminalOutput;
  #liveLineCount = 0;
  #cursorHidden = false;
  #closed = false;
  readonly #restoreCursor = (): void => {
    if (this.#cursorHidden) this.#output.write(showCursor);
  };

  constructor(output: TerminalOutput) {
    this.#output = output;
  }

  /** Columns available for one line (one less than the terminal's, so the cursor never wraps). */
  get width(): number {
    const columns = this.#output.columns;
    return Math.max(20, (columns !== undefined && columns > 0 ? columns : 80) - 1);
  }

  /** Lines the live region may take. */
  get height(): number {
    const rows = this.#output.rows;
    return Math.max(3, (rows !== undefined && rows > 0 ? rows : 24) - 1);
  }

  /**
   * Writes `permanent` lines above the live region and redraws the live region as `live`.
   */
  draw(permanent: readonly string[], live: readonly string[]): void {
    if (this.#closed) return;
    const width = this.width;
    let visible = live;
    if (live.length > this.height) {
      const hidden = live.length - this.height + 1;
      visible = [`… ${hidden} more line${hidden === 1 ? '' : 's'}`, ...live.slice(hidden)];
    }
    let frame = '';
    if (!this.#cursorHidden) {
      this.#cursorHidden = true;
      frame += hideCursor;
      // A process that ends without close() must not leave the user's cursor hidden.
      process.once('exit', this.#restoreCursor);
    }
    frame += this.#liveLineCount > 0 ? `\x1b[${this.#liveLineCount}A\r` : '\r';
    for (const line of permanent) frame += `${clearLine}${truncateText(line, width)}\n`;
    for (const line of visible) frame += `${clearLine}${truncateText(line, width)}\n`;
    frame += clearToEnd;
    this.#liveLineCount = visible.length;
    this.#output.write(frame);
  }

  /**
   * Leaves the live region as it was last drawn (it becomes ordinary output) and shows the
   * cursor again.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    process.off('exit', this.#restoreCursor);
    if (this.#cursorHidden) this.#output.write(showCursor);
    this.#cursorHidden = false;
  }
}
