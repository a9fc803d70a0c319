import { BuildStepAggregator, buildStepElapsedMs, type BuildStep, type BuildStepChange, type BuildStepLogLine, type ProgressEvent } from '@berth/images';
import { formatDuration } from '../format/format-duration.js';
import { humanSize } from '../format/human-size.js';
import { sanitizeLine } from '../terminal/sanitize-text.js';
import { padText, truncateText } from '../terminal/text-width.js';
import type { ProgressOutcome, ProgressView, ViewContext } from './progress-view.js';

/**
 * A BuildKit build, each step once (the aggregator de-duplicates the trace's vertexes).
 *
 * On a terminal: steps in start order, `=> [2/3] RUN make   1.2s`, `=> CACHED …`, `=> ERROR …`;
 * a running step shows its last output lines and inner progress; ended steps settle into
 * permanent lines; a footer counts steps and time. In plain mode it prints what
 * `--progress=plain` prints: `#4 [2/3] RUN make`, `#4 <output line>`, `#4 DONE 1.2s`,
 * `#4 CACHED`, `#4 ERROR: <message>`.
 * @internal
 */
export class BuildkitView implements ProgressView {
  readonly #context: ViewContext;
  readonly #steps: BuildStepAggregator;
  readonly #started: number;
  #order: string[] = [];
  #committed = 0;
  /** Plain mode: steps whose end is printed once nothing else comes first (BuildKit may rerun a step at once). */
  readonly #pendingEnds = new Set<string>();

  constructor(context: ViewContext) {
    this.#context = context;
    this.#steps = new BuildStepAggregator({ maxLogLines: Math.max(1, context.logLinesPerStep) });
    this.#started = context.now();
  }

  update(event: ProgressEvent): void {
    for (const change of this.#steps.update(event)) this.#apply(change);
  }

  settle(): void {
    while (this.#committed < this.#order.length) {
      const step = this.#steps.step(this.#order[this.#committed] as string);
      if (step === undefined || step.state === 'running') break;
      this.#commit(step);
      this.#committed += 1;
    }
  }

  live(width: number): string[] {
    const lines: string[] = [];
    const { dim } = this.#context.style;
    for (const id of this.#order.slice(this.#committed)) {
      const step = this.#steps.step(id);
      if (step === undefined) continue;
      lines.push(this.#stepLine(step, width));
      if (step.state !== 'running') continue;
      for (const item of step.progress) {
        if (item.completed) continue;
        const counts = item.total > 0 ? ` ${humanSize(item.current)}/${humanSize(item.total)}` : item.current > 0 ? ` ${humanSize(item.current)}` : '';
        lines.push(dim(`=> => ${sanitizeLine(item.name)}${counts}`));
      }
      for (const line of this.#lastLogLines(step)) lines.push(dim(`=> => # ${sanitizeLine(line.text)}`));
    }
    lines.push(this.#footer('running'));
    return lines;
  }

  finish(outcome: ProgressOutcome): void {
    for (const change of this.#steps.flush()) this.#apply(change);
    if (this.#context.tty) {
      this.settle();
      for (const id of this.#order.slice(this.#committed)) {
        const step = this.#steps.step(id);
        if (step !== undefined) this.#commit(step, true);
      }
      this.#committed = this.#order.length;
      this.#context.permanent(this.#footer(outcome));
    } else {
      this.#printPendingEnds();
      for (const step of this.#steps.steps()) if (step.state === 'running') this.#context.permanent(`#${step.number} CANCELED`);
    }
    for (const warning of this.#steps.warnings()) {
      const where = warning.stepId === undefined ? '' : ` (${this.#steps.step(warning.stepId)?.name ?? warning.stepId})`;
      this.#context.permanent(this.#context.style.yellow(`WARNING: ${sanitizeLine(warning.text)}${sanitizeLine(where)}`));
    }
  }

  #apply(change: BuildStepChange): void {
    if (change.kind === 'started') this.#order.push(change.step.id);
    if (this.#context.tty) return;
    // Plain mode: one line per event worth a line.
    if (change.kind === 'restarted') {
      this.#pendingEnds.delete(change.step.id);
      return;
    }
    if (change.kind === 'completed') {
      this.#pendingEnds.add(change.step.id);
      return;
    }
    if (change.kind === 'progress' && !change.progress.completed) return;
    this.#printPendingEnds(change.step?.id);
    const prefix = change.step === undefined ? '' : `#${change.step.number} `;
    switch (change.kind) {
      case 'started':
        this.#context.permanent(`${prefix}${sanitizeLine(change.step.name)}`);
        break;
      case 'log':
        for (const line of change.lines) this.#context.permanent(`${prefix}${sanitizeLine(line.text)}`);
        break;
      case 'progress':
        this.#context.permanent(`${prefix}${sanitizeLine(change.progress.name)} done`);
        break;
      case 'warning':
        break; // listed at the end, as BuildKit does
    }
  }

  #printPendingEnds(except?: string): void {
    for (const id of [...this.#pendingEnds]) {
      if (id === except) continue;
      this.#pendingEnds.delete(id);
      const step = this.#steps.step(id);
      if (step === undefined) continue;
      const prefix = `#${step.number}`;
      if (step.state === 'error') this.#context.permanent(`${prefix} ERROR: ${sanitizeLine(step.error ?? 'failed')}`);
      else if (step.state === 'cached') this.#context.permanent(`${prefix} CACHED`);
      else this.#context.permanent(`${prefix} DONE ${formatDuration(step.durationMs ?? 0)}`);
    }
  }

  /** `ending`: the build is over, so a step still running was cancelled. */
  #commit(step: BuildStep, ending = false): void {
    const { dim, red } = this.#context.style;
    this.#context.permanent(this.#stepLine(step, this.#context.width(), ending));
    for (const item of step.progress) this.#context.permanent(dim(`=> => ${sanitizeLine(item.name)}`));
    if (step.state !== 'error') return;
    for (const line of this.#lastLogLines(step)) this.#context.permanent(dim(`=> => # ${sanitizeLine(line.text)}`));
    this.#context.permanent(red(`=> ERROR: ${sanitizeLine(step.error ?? 'failed')}`));
  }

  /** The step's last `logLinesPerStep` output lines (`slice(-0)` would be all of them). */
  #lastLogLines(step: BuildStep): readonly BuildStepLogLine[] {
    const count = this.#context.logLinesPerStep;
    return count === 0 ? [] : step.logs.slice(-count);
  }

  #stepLine(step: BuildStep, width: number, ending = false): string {
    const { blue, red } = this.#context.style;
    const canceled = ending && step.state === 'running';
    const label = step.state === 'cached' ? 'CACHED ' : step.state === 'error' ? 'ERROR ' : canceled ? 'CANCELED ' : '';
    const left = `=> ${label}${sanitizeLine(step.name)}`;
    const duration = step.state === 'cached' ? '' : formatDuration(buildStepElapsedMs(step, new Date(this.#context.now())));
    const line = Number.isFinite(width)
      ? `${padText(truncateText(left, width - duration.length - 1), width - duration.length)}${duration}`
      : `${left}${duration === '' ? '' : `  ${duration}`}`;
    if (step.state === 'error' || canceled) return red(line);
    return step.state === 'running' ? blue(line) : line;
  }

  #footer(outcome: ProgressOutcome | 'running'): string {
    const steps = this.#steps.steps();
    const ended = steps.filter((step) => step.state !== 'running').length;
    const cached = steps.filter((step) => step.state === 'cached').length;
    const elapsed = formatDuration(this.#context.now() - this.#started);
    const word = { running: '', success: ' FINISHED', failure: ' FAILED', canceled: ' CANCELED' }[outcome];
    const text = `[+] Building ${elapsed} (${ended}/${steps.length}${cached > 0 ? `, ${cached} cached` : ''})${word}`;
    const { bold, green, red } = this.#context.style;
    if (outcome === 'success') return green(text);
    if (outcome === 'failure' || outcome === 'canceled') return red(text);
    return bold(text);
  }
}
