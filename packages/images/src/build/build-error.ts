import { StreamError, type BerthErrorOptions } from '@berth/engine-protocol';
import { buildOutputOf } from '../progress/build-output.js';
import type { ProgressEvent } from '../progress/progress-event.js';
import type { FailedStep } from './failed-step.js';

/**
 * Options of {@link BuildError}.
 *
 * @example
 * ```ts
 * throw new BuildError('The build failed: step 2', { log: building.log, engineMessage: 'step 2 failed', engineCode: 1 });
 * ```
 */
export interface BuildErrorOptions extends BerthErrorOptions {
  /** Every event of the build up to the failure (see `ProgressOperation.log`). */
  log: readonly ProgressEvent[];
  /** The engine's error message, when it sent one. */
  engineMessage?: string | undefined;
  /** The engine's error code (a failed `RUN` step's exit code), when sent. */
  engineCode?: number | undefined;
  /** BuildKit: the step that failed and its last output lines, when the trace names it. */
  step?: FailedStep | undefined;
}

/**
 * A build failed: a step failed (the engine reported an error in the stream; that
 * `StreamMessageError` is the `cause`) or the build ended without naming an image (no `cause`).
 * Carries the build's log up to the failure.
 *
 * A build that could not run to its end for another reason rejects with that error itself, as
 * pull, push and load do: a dropped connection or an unreachable engine (`ConnectionError`,
 * `SocketClosedError`), a timeout (`TimeoutError`), a cancelled `signal` (`AbortedError`), a
 * refused option (`InvalidArgumentError`). So `error instanceof AbortedError` stays the abort
 * check; the events up to the failure are in the operation's `log` either way.
 *
 * @example
 * ```ts
 * const building = images.build({ path: './app', tag: 'app:v1', signal });
 * try {
 *   await building;
 * } catch (error) {
 *   if (error instanceof BuildError) {
 *     console.error(error.engineMessage, 'exit code', error.engineCode);
 *     for (const event of error.log) if (event.type === 'output') process.stderr.write(event.text);
 *   } else if (error instanceof AbortedError) {
 *     console.error('cancelled after', building.log.length, 'events');
 *   }
 * }
 * ```
 */
export class BuildError extends StreamError {
  static override readonly brandName: string = 'BuildError';
  /** This class's stable `code` (also on every instance). */
  static override readonly code: string = 'BERTH_BUILD_FAILED';
  override name = 'BuildError';
  /** The build's events up to the failure. */
  readonly log: readonly ProgressEvent[];
  /** The engine's error message, when it sent one. */
  readonly engineMessage: string | undefined;
  /** The engine's error code (a failed `RUN` step's exit code), when sent. */
  readonly engineCode: number | undefined;
  /**
   * BuildKit: the step that failed (`[2/3] RUN make`) and its last output lines, when the
   * build's trace names it.
   */
  readonly step: FailedStep | undefined;

  constructor(shortMessage: string, options: BuildErrorOptions) {
    super(shortMessage, options);
    this.log = options.log;
    this.engineMessage = options.engineMessage;
    this.engineCode = options.engineCode;
    this.step = options.step;
  }

  /**
   * The text output of the build up to the failure (step lines, `RUN` output, warnings; BuildKit
   * step output too), joined.
   *
   * @example
   * ```ts
   * if (error instanceof BuildError) console.error(error.output());
   * ```
   */
  output(): string {
    return buildOutputOf(this.log);
  }
}
