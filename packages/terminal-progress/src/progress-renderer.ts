import type { ProgressEvent } from '@berth/images';
import { checkRendererOptions } from './check-renderer-options.js';
import { LiveScreen } from './terminal/live-screen.js';
import { sanitizeLine } from './terminal/sanitize-text.js';
import { createStyle } from './terminal/style.js';
import { colorWanted, resolveProgressMode, type ProgressMode, type TerminalOutput } from './terminal/terminal-output.js';
import { BuildkitView } from './views/buildkit-view.js';
import type { ProgressOutcome, ProgressView, ViewContext } from './views/progress-view.js';
import { StreamView } from './views/stream-view.js';
import { TransferLine } from './views/transfer-line.js';

/**
 * What is being shown: it picks the view. `build` shows BuildKit's step view when the events are
 * BuildKit traces and the classic builder's output otherwise.
 *
 * @example
 * ```ts
 * const kind: ProgressKind = 'pull';
 * ```
 */
export type ProgressKind = 'pull' | 'push' | 'load' | 'save' | 'build';

/**
 * Options of {@link createProgressRenderer}.
 *
 * @example
 * ```ts
 * const options: ProgressRendererOptions = { kind: 'build', output: process.stderr, mode: process.env.CI ? 'plain' : 'auto' };
 * ```
 */
export interface ProgressRendererOptions {
  /** What is shown. */
  readonly kind: ProgressKind;
  /** Where to draw. Default: `process.stderr`. */
  readonly output?: TerminalOutput | undefined;
  /** Live (`tty`), lines (`plain`), nothing (`quiet`), or `auto` (the default): live on a terminal. */
  readonly mode?: ProgressMode | undefined;
  /** Colours on or off. Default: on when drawing live, unless `NO_COLOR` is set. */
  readonly color?: boolean | undefined;
  /** Read for `NO_COLOR` and `TERM`. Default: `process.env`. */
  readonly environment?: Readonly<Record<string, string | undefined>> | undefined;
  /** Least time between two frames on a terminal, in milliseconds. Default: 100. */
  readonly redrawIntervalMs?: number | undefined;
  /** Output lines shown under a running BuildKit step on a terminal (and under a failed one); `0`: none. Default: 6. */
  readonly logLinesPerStep?: number | undefined;
  /** The name of the bytes {@link ProgressRenderer.transfer} counts. Default: `Saving` for `save`, `Sending` otherwise. */
  readonly transferLabel?: string | undefined;
  /** The clock, in milliseconds. Default: `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/**
 * Shows one operation's progress on a terminal or in a log. Feed it the operation's events, then
 * call {@link ProgressRenderer.finish} once.
 *
 * @example
 * ```ts
 * const renderer = createProgressRenderer({ kind: 'pull' });
 * const pulling = docker.images.pull('localhost:5000/app:v1');
 * try {
 *   for await (const event of pulling) renderer.update(event);
 *   renderer.finish('success');
 * } catch (error) {
 *   renderer.finish('failure');
 *   throw error;
 * }
 * ```
 */
export interface ProgressRenderer {
  /** The mode in use (`auto` resolved). */
  readonly mode: 'tty' | 'plain' | 'quiet';
  /** Takes one event of the operation into account. */
  update(event: ProgressEvent): void;
  /** Reports bytes the client itself moved so far (a save being written, an archive uploaded), with the total when known. */
  transfer(bytes: number, total?: number): void;
  /** Prints a line of your own above the live view (never through `console.log` while it is live). */
  print(line: string): void;
  /** Draws the last frame and leaves the terminal as ordinary output, cursor shown. Later calls do nothing. */
  finish(outcome?: ProgressOutcome): void;
}

/**
 * Creates a renderer: docker-style per-layer bars for pull, push and load, the classic builder's
 * output, a BuildKit step view, byte progress for save. On a terminal (or `mode: 'tty'`) it
 * redraws in place at most every `redrawIntervalMs`, width-aware; elsewhere it prints plain lines
 * for CI logs. Throws `InvalidArgumentError` (from `@berth/engine-protocol`) for an option that
 * is not what {@link ProgressRendererOptions} describes.
 *
 * @example
 * ```ts
 * import { createProgressRenderer } from '@berth/terminal-progress';
 *
 * const renderer = createProgressRenderer({ kind: 'build', mode: 'plain' });
 * for await (const event of docker.images.build({ path: '.', version: '2' })) renderer.update(event);
 * renderer.finish();
 * ```
 */
export function createProgressRenderer(options: ProgressRendererOptions): ProgressRenderer {
  checkRendererOptions(options);
  return new Renderer(options);
}

class Renderer implements ProgressRenderer {
  readonly mode: 'tty' | 'plain' | 'quiet';
  readonly #kind: ProgressKind;
  readonly #output: TerminalOutput;
  readonly #screen: LiveScreen | undefined;
  readonly #interval: number;
  readonly #now: () => number;
  readonly #context: ViewContext;
  readonly #transfer: TransferLine;
  readonly #pending: string[] = [];
  #view: ProgressView | undefined;
  #lastDraw = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;
  #ticker: NodeJS.Timeout | undefined;
  #finished = false;
  readonly #onResize = (): void => this.#schedule();

  constructor(options: ProgressRendererOptions) {
    const environment = options.environment ?? process.env;
    this.#output = options.output ?? process.stderr;
    this.#kind = options.kind;
    this.mode = resolveProgressMode(options.mode ?? 'auto', this.#output, environment);
    this.#interval = options.redrawIntervalMs ?? 100;
    this.#now = options.now ?? Date.now;
    const tty = this.mode === 'tty';
    this.#screen = tty ? new LiveScreen(this.#output) : undefined;
    this.#context = {
      tty,
      style: createStyle(options.color ?? colorWanted(this.mode, environment)),
      permanent: (line) => {
        if (this.mode === 'quiet') return;
        if (tty) this.#pending.push(line);
        else this.#output.write(`${line}\n`);
      },
      width: () => this.#screen?.width ?? Number.POSITIVE_INFINITY,
      now: this.#now,
      logLinesPerStep: options.logLinesPerStep ?? 6,
    };
    this.#transfer = new TransferLine(options.transferLabel ?? (options.kind === 'save' ? 'Saving' : 'Sending'), this.#now);
    if (tty) this.#output.on?.('resize', this.#onResize);
  }

  update(event: ProgressEvent): void {
    if (this.#finished || this.mode === 'quiet') return;
    this.#viewFor(event).update(event);
    this.#schedule();
  }

  transfer(bytes: number, total?: number): void {
    if (this.#finished || this.mode === 'quiet') return;
    this.#transfer.update(bytes, total);
    this.#schedule();
  }

  print(line: string): void {
    if (this.#finished) {
      if (this.mode !== 'quiet') this.#output.write(`${sanitizeLine(line)}\n`);
      return;
    }
    this.#context.permanent(sanitizeLine(line));
    this.#schedule();
  }

  finish(outcome: ProgressOutcome = 'success'): void {
    if (this.#finished) return;
    this.#finished = true;
    clearTimeout(this.#timer);
    clearInterval(this.#ticker);
    if (this.mode === 'quiet') return;
    this.#view?.finish(outcome);
    if (this.#transfer.active) this.#context.permanent(this.#transfer.final(outcome));
    if (this.#screen !== undefined) {
      this.#screen.draw(this.#pending.splice(0), []);
      this.#screen.close();
      this.#output.off?.('resize', this.#onResize);
    }
  }

  #viewFor(event: ProgressEvent): ProgressView {
    const buildkit = this.#kind === 'build' && event.type === 'buildkit-status';
    // A BuildKit build may say something (a warning, output) before its first trace: that much
    // is drawn as a stream, then the step view takes over at the first trace.
    if (this.#view === undefined || (buildkit && !(this.#view instanceof BuildkitView))) {
      this.#view?.finish('success');
      this.#view = buildkit ? new BuildkitView(this.#context) : new StreamView(this.#context);
      // Running steps show their time: redraw now and then even when the engine is silent.
      if (buildkit && this.#screen !== undefined) this.#ticker = setInterval(() => this.#schedule(), 250).unref();
    }
    return this.#view;
  }

  /** Draws now if the last frame is old enough, else once the interval has passed. */
  #schedule(): void {
    if (this.#screen === undefined || this.#timer !== undefined) return;
    const wait = this.#lastDraw + this.#interval - this.#now();
    if (wait <= 0) {
      this.#draw();
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#draw();
    }, wait).unref();
  }

  #draw(): void {
    const screen = this.#screen;
    if (screen === undefined || this.#finished) return;
    this.#lastDraw = this.#now();
    this.#view?.settle();
    const live: string[] = [];
    if (this.#transfer.active) live.push(this.#transfer.live(screen.width));
    if (this.#view !== undefined) live.push(...this.#view.live(screen.width));
    screen.draw(this.#pending.splice(0), live);
  }
}
