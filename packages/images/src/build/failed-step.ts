import { BuildStepAggregator } from '../progress/build-step-aggregator.js';
import type { ProgressEvent } from '../progress/progress-event.js';

/**
 * The BuildKit step that failed a build: its name and the last lines it printed.
 *
 * @example
 * ```ts
 * const step: FailedStep = { name: '[2/3] RUN make', lastLines: ['make: *** [all] Error 2'] };
 * ```
 */
export interface FailedStep {
  /** The step as BuildKit names it (`[2/3] RUN make`). */
  readonly name: string;
  /** Its last output lines (stdout and stderr), at most `maximumLines`. */
  readonly lastLines: readonly string[];
}

/**
 * Finds the failed step of a build in its events, through the {@link BuildStepAggregator} (the
 * first failed step that was not merely cancelled beside it), with its last output lines.
 * `undefined` when no step failed.
 *
 * @example
 * ```ts
 * if (error instanceof BuildError) console.log(failedStepOf(error.log)?.name); // '[2/3] RUN make'
 * ```
 * @internal
 */
export function failedStepOf(events: readonly ProgressEvent[], maximumLines = 20): FailedStep | undefined {
  const aggregator = new BuildStepAggregator({ maxLogLines: maximumLines });
  for (const event of events) aggregator.update(event);
  aggregator.flush();
  const step = aggregator.failedStep();
  if (step === undefined) return undefined;
  return { name: step.name, lastLines: step.logs.map((line) => line.text) };
}
