import { StreamError, type BerthErrorOptions } from '@berth/engine-protocol';
import { buildOutputOf } from '../progress/build-output.js';
import type { ProgressEvent } from '../progress/progress-event.js';

/**
 * Options of {@link BuildError}.
 *
 * @example
 * ```ts
 * throw new BuildError('The build failed: step 2', { log, engineMessage: 'step 2 failed', code: 1 });
 * ```
 */
export interface BuildErrorOptions extends BerthErrorOptions {
  /** Every event of the build up to the failure (see `ProgressOperation.log`). */
  log: readonly ProgressEvent[];
  /** The engine's error message, when it sent one. */
  engineMessage?: string | undefined;
  /** The engine's error code (a failed `RUN` step's exit code), when sent. */
  code?: number | undefined;
}

/**
 * A build failed: a step failed (the engine reported an error in the stream) or the build ended
 * without naming an image. Carries the build's log up to the failure; the `StreamMessageError`
 * (or connection error) behind it is the `cause`.
 *
 * @example
 * ```ts
 * try {
 *   await images.build({ path: './app', tag: 'app:v1' });
 * } catch (error) {
 *   if (error instanceof BuildError) {
 *     console.error(error.engineMessage, 'exit code', error.code);
 *     for (const event of error.log) if (event.type === 'output') process.stderr.write(event.text);
 *   }
 * }
 * ```
 */
export class BuildError extends StreamError {
  static override readonly brandName: string = 'BuildError';
  override name = 'BuildError';
  /** The build's events up to the failure. */
  readonly log: readonly ProgressEvent[];
  /** The engine's error message, when it sent one. */
  readonly engineMessage: string | undefined;
  /** The engine's error code, when sent. */
  readonly code: number | undefined;

  constructor(shortMessage: string, options: BuildErrorOptions) {
    super(shortMessage, options);
    this.log = options.log;
    this.engineMessage = options.engineMessage;
    this.code = options.code;
  }

  /**
   * The text output of the build up to the failure (step lines, `RUN` output, warnings; BuildKit
   * step output too), joined.
   *
   * @example
   * ```ts
   * console.error(error.output());
   * ```
   */
  output(): string {
    return buildOutputOf(this.log);
  }
}
