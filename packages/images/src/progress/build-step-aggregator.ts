import { InvalidArgumentError } from '@berth/engine-protocol';
import { describeType } from '@berth/engine-protocol/internal';
import type { BuildkitStatus, BuildkitVertex } from '../buildkit/buildkit-status.js';
import { isFinishedLayerState } from './layer-state.js';
import type { BuildStep, BuildStepLogLine, BuildStepProgress, BuildStepState, BuildStepWarning } from './build-step.js';
import type { ProgressEvent } from './progress-event.js';

/**
 * What changed in one step, as {@link BuildStepAggregator.update} reports it. Each step is
 * reported `started` once and `completed` once; the only exception is a step BuildKit runs
 * again after it ended (moby does so for `FROM` steps): `restarted`, then a second `completed`.
 *
 * @example
 * ```ts
 * for (const change of aggregator.update(event)) {
 *   if (change.kind === 'started') console.log(`#${change.step.number} ${change.step.name}`);
 *   if (change.kind === 'log') for (const line of change.lines) console.log(`#${change.step.number} ${line.text}`);
 *   if (change.kind === 'completed') console.log(`#${change.step.number} ${change.step.state}`);
 * }
 * ```
 */
export type BuildStepChange =
  | { readonly kind: 'started'; readonly step: BuildStep }
  | { readonly kind: 'restarted'; readonly step: BuildStep }
  | { readonly kind: 'completed'; readonly step: BuildStep }
  | { readonly kind: 'log'; readonly step: BuildStep; readonly lines: readonly BuildStepLogLine[] }
  | { readonly kind: 'progress'; readonly step: BuildStep; readonly progress: BuildStepProgress }
  | { readonly kind: 'warning'; readonly step: BuildStep | undefined; readonly warning: BuildStepWarning };

/**
 * Options of {@link BuildStepAggregator}.
 *
 * @example
 * ```ts
 * const aggregator = new BuildStepAggregator({ maxLogLines: 20, maxLineLength: 500 });
 * ```
 */
export interface BuildStepAggregatorOptions {
  /** Output lines kept per step (the last ones). Default: 200. */
  readonly maxLogLines?: number;
  /** Longer output lines are cut into pieces of this many characters. Default: 4096. */
  readonly maxLineLength?: number;
  /** The clock for classic builder steps, which carry no timestamps. Default: `new Date()`. */
  readonly now?: () => Date;
}

interface StepRecord {
  readonly id: string;
  number: number;
  name: string;
  readonly builder: 'buildkit' | 'classic';
  state: BuildStepState | 'waiting';
  cached: boolean;
  started: Date | undefined;
  completed: Date | undefined;
  runningSince: Date | undefined;
  error: string | undefined;
  logs: BuildStepLogLine[];
  droppedLogLines: number;
  readonly warnings: BuildStepWarning[];
  readonly progress: Map<string, BuildStepProgress>;
  /** Ended runs, start time (ms) → end time (ms): repeated messages of one run count once. */
  readonly runs: Map<number, number>;
  /** Unfinished output line per stream. */
  readonly partial: Map<'stdout' | 'stderr', string>;
}

const classicStep = /^Step (\d+)\/(\d+) : (.*)$/;
const classicUsingCache = /^ ---> Using cache\s*$/;
// The classic builder's own chatter between a step's output lines.
const classicChatter = /^(?: ---> |Removing intermediate container |Successfully (?:built|tagged) )/;
const cancellation = /context canceled|^canceled$/i;

/**
 * Folds a build's progress events into its steps, so that a display shows each step once:
 * BuildKit repeats a step (vertex) in many trace messages as it starts, logs and ends; this
 * keeps one record per step with its state, whether it was cached, its duration, its last output
 * lines (bounded), its warnings and the progress of work inside it. Classic builder output
 * (`Step 2/3 : RUN make`, ` ---> Using cache`, the `RUN` output) becomes steps the same way.
 * Pure (no I/O, no timers): feed it every event of a build, read it whenever a UI redraws.
 *
 * @example
 * ```ts
 * const aggregator = new BuildStepAggregator();
 * const building = images.build({ path: './app', tag: 'app:dev', version: '2' });
 * for await (const event of building) {
 *   for (const change of aggregator.update(event)) {
 *     if (change.kind === 'completed') console.log(`${change.step.name}: ${change.step.state} in ${change.step.durationMs}ms`);
 *   }
 * }
 * // After a failure: which step it was.
 * console.log(aggregator.failedStep()?.name, aggregator.error);
 * ```
 */
export class BuildStepAggregator {
  readonly #maxLogLines: number;
  readonly #maxLineLength: number;
  readonly #now: () => Date;
  readonly #records = new Map<string, StepRecord>();
  readonly #warnings: BuildStepWarning[] = [];
  #numbered = 0;
  #builder: 'buildkit' | 'classic' | undefined;
  #classicCurrent: StepRecord | undefined;
  #classicPartial = '';
  #imageId: string | undefined;
  #error: string | undefined;

  /**
   * Creates an empty aggregator. Throws `InvalidArgumentError` for bounds that are not positive integers.
   *
   * @example
   * ```ts
   * const aggregator = new BuildStepAggregator({ maxLogLines: 5 });
   * ```
   */
  constructor(options: BuildStepAggregatorOptions = {}) {
    this.#maxLogLines = positiveInteger(options.maxLogLines ?? 200, 'maxLogLines');
    this.#maxLineLength = positiveInteger(options.maxLineLength ?? 4096, 'maxLineLength');
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Which builder the events came from, once known.
   *
   * @example
   * ```ts
   * if (aggregator.builder === 'classic') console.log('classic builder output');
   * ```
   */
  get builder(): 'buildkit' | 'classic' | undefined {
    return this.#builder;
  }

  /**
   * The id of the built image, once the engine reported it.
   *
   * @example
   * ```ts
   * console.log(aggregator.imageId); // 'sha256:59d9…'
   * ```
   */
  get imageId(): string | undefined {
    return this.#imageId;
  }

  /**
   * The engine's error message, when the build failed.
   *
   * @example
   * ```ts
   * if (aggregator.error) console.error(aggregator.error);
   * ```
   */
  get error(): string | undefined {
    return this.#error;
  }

  /**
   * Takes one event of the build into account and returns what it changed (often nothing: a
   * repeated vertex, an event that is not about steps).
   *
   * @example
   * ```ts
   * for await (const event of building) for (const change of aggregator.update(event)) console.log(change.kind, change.step?.name);
   * ```
   */
  update(event: ProgressEvent): BuildStepChange[] {
    const changes: BuildStepChange[] = [];
    switch (event.type) {
      case 'buildkit-status':
        this.#builder = 'buildkit';
        this.#updateBuildkit(event.status, changes);
        break;
      case 'output':
        if (this.#builder !== 'buildkit') {
          this.#builder = 'classic';
          this.#classicText(event.text, changes);
        }
        break;
      case 'warning':
        this.#classicFlushPartial(changes);
        this.#addWarning({ text: firstLine(event.text), stepId: this.#classicCurrent?.id, detail: [], url: undefined }, changes);
        break;
      case 'status':
        if (this.#classicCurrent !== undefined) this.#addLines(this.#classicCurrent, 'stdout', [event.status], changes);
        break;
      case 'layer': {
        const current = this.#classicCurrent;
        if (current === undefined) break;
        const progress: BuildStepProgress = {
          id: event.layerId,
          name: event.status,
          current: event.current ?? 0,
          total: event.total ?? 0,
          completed: isFinishedLayerState(event.state),
        };
        current.progress.set(progress.id, progress);
        changes.push({ kind: 'progress', step: snapshot(current), progress });
        break;
      }
      case 'image-id':
        this.#imageId = event.imageId;
        this.#classicComplete(changes);
        break;
      case 'error': {
        this.#error = event.text;
        this.#classicFlushPartial(changes);
        const current = this.#classicCurrent;
        if (current !== undefined) {
          this.#classicCurrent = undefined;
          current.error = event.text;
          this.#end(current, this.#now(), changes);
        }
        this.#flushBuildkitPartials(changes);
        break;
      }
      default:
        break;
    }
    return changes;
  }

  /**
   * Ends what the stream left open: output lines without a line end, and a classic step still
   * running (it ends as done). Call it once the build's stream ended.
   *
   * @example
   * ```ts
   * await building.catch(() => undefined);
   * aggregator.flush();
   * ```
   */
  flush(): BuildStepChange[] {
    const changes: BuildStepChange[] = [];
    this.#classicComplete(changes);
    this.#flushBuildkitPartials(changes);
    return changes;
  }

  /**
   * Every step that started, in order of {@link BuildStep.number}. Steps BuildKit announced
   * but never ran (a stage the target does not need, steps after a failure) are left out.
   *
   * @example
   * ```ts
   * const done = aggregator.steps().filter((step) => step.state !== 'running').length;
   * ```
   */
  steps(): BuildStep[] {
    return [...this.#records.values()]
      .filter((record) => record.number > 0)
      .sort((a, b) => a.number - b.number)
      .map(snapshot);
  }

  /**
   * One step by id (vertex digest or `classic-<n>`).
   *
   * @example
   * ```ts
   * for (const step of aggregator.steps()) console.log(aggregator.step(step.id)?.state); // 'cached', 'done', …
   * ```
   */
  step(id: string): BuildStep | undefined {
    const record = this.#records.get(id);
    return record === undefined || record.number === 0 ? undefined : snapshot(record);
  }

  /**
   * The step that made the build fail: the first failed step whose error is not a mere
   * cancellation (BuildKit cancels the steps running beside a failing one), else the first
   * failed step; `undefined` when no step failed (the build may still have failed before any
   * step, see {@link BuildStepAggregator.error}).
   *
   * @example
   * ```ts
   * const failed = aggregator.failedStep();
   * if (failed) console.error(`${failed.name}: ${failed.error}`);
   * ```
   */
  failedStep(): BuildStep | undefined {
    const failed = this.steps().filter((step) => step.state === 'error');
    return failed.find((step) => !cancellation.test(step.error ?? '')) ?? failed[0];
  }

  /**
   * Every warning so far, about steps or about the whole build, in order.
   *
   * @example
   * ```ts
   * for (const warning of aggregator.warnings()) console.warn('WARNING:', warning.text);
   * ```
   */
  warnings(): BuildStepWarning[] {
    return [...this.#warnings];
  }

  #updateBuildkit(status: BuildkitStatus, changes: BuildStepChange[]): void {
    for (const vertex of status.vertexes) this.#updateVertex(vertex, changes);
    for (const item of status.statuses) {
      const record = this.#vertexRecord(item.vertex, changes);
      const progress: BuildStepProgress = {
        id: item.id,
        name: item.name || item.id,
        current: item.current,
        total: item.total,
        completed: item.completed !== undefined,
      };
      record.progress.set(item.id, progress);
      changes.push({ kind: 'progress', step: snapshot(record), progress });
    }
    for (const log of status.logs) {
      const record = this.#vertexRecord(log.vertex, changes);
      const stream = log.stream === 2 ? 'stderr' : 'stdout';
      const text = (record.partial.get(stream) ?? '') + log.text;
      const pieces = text.split('\n');
      record.partial.set(stream, pieces.pop() ?? '');
      this.#addLines(record, stream, pieces, changes);
      this.#cutLongPartial(record, stream, changes);
    }
    for (const warning of status.warnings) {
      const record = this.#vertexRecord(warning.vertex, changes);
      const known = record.warnings.some((existing) => existing.text === warning.short);
      if (known) continue;
      this.#addWarning(
        { text: firstLine(warning.short), stepId: record.id, detail: [...warning.detail], url: warning.url === '' ? undefined : warning.url },
        changes,
      );
    }
  }

  #updateVertex(vertex: BuildkitVertex, changes: BuildStepChange[]): void {
    let record = this.#records.get(vertex.digest);
    if (record === undefined) {
      record = newRecord(vertex.digest, vertex.name, 'buildkit');
      this.#records.set(vertex.digest, record);
    }
    if (vertex.name !== '') record.name = vertex.name;
    const begun = vertex.started ?? vertex.completed;
    if (begun === undefined && vertex.error === undefined) return; // announced, not started yet
    if (record.number === 0) this.#start(record, begun ?? new Date(0), changes);

    if (vertex.completed === undefined) {
      // Running: the same run again, or a new run of a step that had ended.
      if (record.state !== 'running' && vertex.started !== undefined && !record.runs.has(vertex.started.getTime())) {
        record.state = 'running';
        record.runningSince = vertex.started;
        record.completed = undefined;
        changes.push({ kind: 'restarted', step: snapshot(record) });
      }
      return;
    }
    if (vertex.started !== undefined) record.runs.set(vertex.started.getTime(), vertex.completed.getTime());
    record.cached = record.cached || vertex.cached;
    if (vertex.error !== undefined) record.error = vertex.error;
    if (record.state === 'running') {
      this.#flushPartials(record, changes);
      this.#end(record, vertex.completed, changes);
    } else {
      // An ended step reported again (BuildKit marks some steps cached after the fact).
      record.completed = vertex.completed;
      record.state = stateOf(record);
    }
  }

  /** The record of a vertex that logs or reports progress; started now if it was not. */
  #vertexRecord(digest: string, changes: BuildStepChange[]): StepRecord {
    let record = this.#records.get(digest);
    if (record === undefined) {
      record = newRecord(digest, '', 'buildkit');
      this.#records.set(digest, record);
    }
    if (record.number === 0) this.#start(record, this.#now(), changes);
    return record;
  }

  #start(record: StepRecord, at: Date, changes: BuildStepChange[]): void {
    this.#numbered += 1;
    record.number = this.#numbered;
    record.started = at;
    record.runningSince = at;
    record.state = 'running';
    if (record.name === '') record.name = record.id;
    changes.push({ kind: 'started', step: snapshot(record) });
  }

  #end(record: StepRecord, at: Date, changes: BuildStepChange[]): void {
    if (record.runningSince !== undefined && !record.runs.has(record.runningSince.getTime())) {
      record.runs.set(record.runningSince.getTime(), at.getTime());
    }
    record.completed = at;
    record.runningSince = undefined;
    record.state = stateOf(record);
    changes.push({ kind: 'completed', step: snapshot(record) });
  }

  #classicText(text: string, changes: BuildStepChange[]): void {
    // The builder sends its chatter as messages of their own: a RUN output without a final line
    // end must not glue onto them.
    if (classicChatter.test(text) || text.startsWith('Step ')) this.#classicFlushPartial(changes);
    const pieces = (this.#classicPartial + text).split('\n');
    this.#classicPartial = pieces.pop() ?? '';
    for (const line of pieces) this.#classicLine(line, changes);
    if (this.#classicPartial.length > this.#maxLineLength) {
      const long = this.#classicPartial;
      this.#classicPartial = '';
      this.#classicLine(long, changes);
    }
  }

  #classicFlushPartial(changes: BuildStepChange[]): void {
    if (this.#classicPartial === '') return;
    const line = this.#classicPartial;
    this.#classicPartial = '';
    this.#classicLine(line, changes);
  }

  #classicLine(rawLine: string, changes: BuildStepChange[]): void {
    const line = rawLine.replace(/\r$/, '');
    const step = classicStep.exec(line);
    if (step !== null) {
      this.#classicComplete(changes);
      const record = newRecord(`classic-${this.#records.size + 1}`, `[${step[1]}/${step[2]}] ${step[3]}`, 'classic');
      this.#records.set(record.id, record);
      this.#start(record, this.#now(), changes);
      this.#classicCurrent = record;
      return;
    }
    const current = this.#classicCurrent;
    if (classicUsingCache.test(line)) {
      if (current !== undefined) current.cached = true;
      return;
    }
    if (line.startsWith('Successfully built ')) {
      this.#classicComplete(changes);
      return;
    }
    if (classicChatter.test(line) || current === undefined) return;
    this.#addLines(current, 'stdout', [line], changes);
  }

  #classicComplete(changes: BuildStepChange[]): void {
    this.#classicFlushPartial(changes);
    const current = this.#classicCurrent;
    if (current === undefined) return;
    this.#classicCurrent = undefined;
    this.#end(current, this.#now(), changes);
  }

  #addLines(record: StepRecord, stream: 'stdout' | 'stderr', texts: readonly string[], changes: BuildStepChange[]): void {
    const lines: BuildStepLogLine[] = [];
    for (const text of texts) {
      const visible = afterCarriageReturns(text);
      for (let offset = 0; offset === 0 || offset < visible.length; offset += this.#maxLineLength) {
        lines.push({ text: visible.slice(offset, offset + this.#maxLineLength), stream });
      }
    }
    if (lines.length === 0) return;
    record.logs.push(...lines);
    const excess = record.logs.length - this.#maxLogLines;
    if (excess > 0) {
      record.logs.splice(0, excess);
      record.droppedLogLines += excess;
    }
    changes.push({ kind: 'log', step: snapshot(record), lines });
  }

  #cutLongPartial(record: StepRecord, stream: 'stdout' | 'stderr', changes: BuildStepChange[]): void {
    const partial = record.partial.get(stream) ?? '';
    if (partial.length <= this.#maxLineLength) return;
    record.partial.set(stream, '');
    this.#addLines(record, stream, [partial], changes);
  }

  #flushPartials(record: StepRecord, changes: BuildStepChange[]): void {
    for (const [stream, partial] of record.partial) {
      if (partial === '') continue;
      record.partial.set(stream, '');
      this.#addLines(record, stream, [partial], changes);
    }
  }

  #flushBuildkitPartials(changes: BuildStepChange[]): void {
    for (const record of this.#records.values()) if (record.builder === 'buildkit') this.#flushPartials(record, changes);
  }

  #addWarning(warning: BuildStepWarning, changes: BuildStepChange[]): void {
    this.#warnings.push(warning);
    const record = warning.stepId === undefined ? undefined : this.#records.get(warning.stepId);
    record?.warnings.push(warning);
    changes.push({ kind: 'warning', step: record === undefined ? undefined : snapshot(record), warning });
  }
}

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(`${name} must be a positive integer, got ${typeof value === 'number' ? String(value) : describeType(value)}.`, {
      argument: name,
    });
  }
  return value;
}

function newRecord(id: string, name: string, builder: 'buildkit' | 'classic'): StepRecord {
  return {
    id,
    number: 0,
    name,
    builder,
    state: 'waiting',
    cached: false,
    started: undefined,
    completed: undefined,
    runningSince: undefined,
    error: undefined,
    logs: [],
    droppedLogLines: 0,
    warnings: [],
    progress: new Map(),
    runs: new Map(),
    partial: new Map(),
  };
}

function stateOf(record: StepRecord): BuildStepState {
  if (record.error !== undefined) return 'error';
  return record.cached ? 'cached' : 'done';
}

/** Total length of the ended runs, overlaps counted once. */
function durationOf(runs: ReadonlyMap<number, number>): number | undefined {
  if (runs.size === 0) return undefined;
  const sorted = [...runs].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let coveredUntil = -Infinity;
  for (const [start, end] of sorted) {
    const from = Math.max(start, coveredUntil);
    if (end > from) total += end - from;
    coveredUntil = Math.max(coveredUntil, end);
  }
  return total;
}

function snapshot(record: StepRecord): BuildStep {
  return Object.freeze({
    id: record.id,
    number: record.number,
    name: record.name,
    builder: record.builder,
    state: record.state === 'waiting' ? 'running' : record.state,
    cached: record.cached,
    started: record.started,
    completed: record.completed,
    durationMs: durationOf(record.runs),
    runningSince: record.runningSince,
    error: record.error,
    logs: [...record.logs],
    droppedLogLines: record.droppedLogLines,
    warnings: [...record.warnings],
    progress: [...record.progress.values()],
  });
}

/** What a terminal shows of a line with carriage returns (a progress bar redrawn in place). */
function afterCarriageReturns(text: string): string {
  const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
  const index = trimmed.lastIndexOf('\r');
  return index === -1 ? trimmed : trimmed.slice(index + 1);
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
