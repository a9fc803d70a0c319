/**
 * Where one build step stands:
 *
 * | state | meaning |
 * | --- | --- |
 * | `running` | started, not ended |
 * | `done` | ended successfully, really run |
 * | `cached` | ended with the result taken from the cache |
 * | `error` | failed (see {@link BuildStep.error}) |
 *
 * @example
 * ```ts
 * const state: BuildStepState = 'cached';
 * ```
 */
export type BuildStepState = 'running' | 'done' | 'cached' | 'error';

/**
 * One line a step printed (a `RUN` command's output), without its line end.
 *
 * @example
 * ```ts
 * const line: BuildStepLogLine = { text: 'npm ci: done', stream: 'stdout' };
 * ```
 */
export interface BuildStepLogLine {
  /** The text, without the line end; at most {@link BuildStepAggregatorOptions.maxLineLength} characters. */
  readonly text: string;
  /** Where it came from. The classic builder mixes both into `stdout`. */
  readonly stream: 'stdout' | 'stderr';
}

/**
 * A warning about the build or one of its steps: BuildKit's `VertexWarning`s, the classic
 * builder's `[Warning] …` lines.
 *
 * @example
 * ```ts
 * for (const warning of aggregator.warnings()) console.warn(warning.text);
 * ```
 */
export interface BuildStepWarning {
  /** The warning, one line. */
  readonly text: string;
  /** The id of the step it is about, when it names one. */
  readonly stepId: string | undefined;
  /** More lines, when BuildKit sent them. */
  readonly detail: readonly string[];
  /** A link to documentation, when BuildKit sent one. */
  readonly url: string | undefined;
}

/**
 * Work inside a step that reports its own progress: BuildKit's `exporting layers`,
 * `writing image sha256:…`, a layer of a base image being pulled (both builders).
 *
 * @example
 * ```ts
 * for (const item of step.progress) console.log(item.name, item.completed ? 'done' : `${item.current}/${item.total}`);
 * ```
 */
export interface BuildStepProgress {
  /** What is being worked on (BuildKit's status id, or the layer id). */
  readonly id: string;
  /** What to show: BuildKit's name when set, else the id; the engine's status words for a layer. */
  readonly name: string;
  /** Units done. */
  readonly current: number;
  /** Units in total, 0 when unknown. */
  readonly total: number;
  /** Whether it finished. */
  readonly completed: boolean;
}

/**
 * One step of a build, reported once however often the engine repeats it: a BuildKit vertex
 * (`[2/3] RUN make`, `[internal] load metadata …`, `exporting to image`) or a classic builder
 * step (`Step 2/3 : RUN make`, named `[2/3] RUN make` too).
 *
 * @example
 * ```ts
 * for (const step of aggregator.steps()) {
 *   console.log(`#${step.number} ${step.name} ${step.state} ${step.durationMs ?? '-'}ms`);
 * }
 * ```
 */
export interface BuildStep {
  /** Stable id: the BuildKit vertex digest, or `classic-<n>` for a classic step. */
  readonly id: string;
  /** 1, 2, 3… in the order the steps started (BuildKit's `#n` in plain output). */
  readonly number: number;
  /** The step's name as the builder gives it. */
  readonly name: string;
  /** Which builder reported it. */
  readonly builder: 'buildkit' | 'classic';
  /** Where it stands. */
  readonly state: BuildStepState;
  /** Whether its result came from the cache. */
  readonly cached: boolean;
  /** When it first started (engine clock for BuildKit, the aggregator's clock for classic). */
  readonly started: Date | undefined;
  /** When it last ended, once it has. */
  readonly completed: Date | undefined;
  /**
   * Time spent running, in milliseconds, over every run of it that ended (BuildKit runs some
   * steps twice); `undefined` until one ended. A running step's time so far:
   * {@link buildStepElapsedMs}.
   */
  readonly durationMs: number | undefined;
  /** Start of the run in progress, while `running`. */
  readonly runningSince: Date | undefined;
  /** Why it failed, when `state` is `error`. */
  readonly error: string | undefined;
  /** Its last output lines, at most {@link BuildStepAggregatorOptions.maxLogLines}. */
  readonly logs: readonly BuildStepLogLine[];
  /** Output lines left out of `logs` because of the bound. */
  readonly droppedLogLines: number;
  /** Warnings about this step. */
  readonly warnings: readonly BuildStepWarning[];
  /** Work inside the step with its own progress, in order of appearance. */
  readonly progress: readonly BuildStepProgress[];
}

/**
 * How long a step has run, in milliseconds: its ended runs plus, while it runs, the time since
 * the current run started (never negative, even when the engine's clock is ahead).
 *
 * @example
 * ```ts
 * const seconds = buildStepElapsedMs(step) / 1000;
 * console.log(`${step.name} ${seconds.toFixed(1)}s`);
 * ```
 */
export function buildStepElapsedMs(step: BuildStep, now: Date = new Date()): number {
  const ended = step.durationMs ?? 0;
  if (step.state !== 'running' || step.runningSince === undefined) return ended;
  return ended + Math.max(0, now.getTime() - step.runningSince.getTime());
}
