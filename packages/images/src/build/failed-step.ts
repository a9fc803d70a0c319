import type { ProgressEvent } from '../progress/progress-event.js';

/**
 * The BuildKit step that failed a build, from the build's events: its name and the last lines it
 * printed.
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
 * Finds the failed step in a BuildKit build's trace (the first step reported with an error other
 * than a cancellation, which steps running beside it then get) and collects its output. `undefined` when no step failed (or the build was classic).
 *
 * @example
 * ```ts
 * failedStepOf(error.log)?.name; // '[2/3] RUN make'
 * ```
 * @internal
 */
export function failedStepOf(events: readonly ProgressEvent[], maximumLines = 20): FailedStep | undefined {
  let failed: { digest: string; name: string } | undefined;
  let cancelled: { digest: string; name: string } | undefined;
  const output = new Map<string, string[]>();
  for (const event of events) {
    if (event.type !== 'buildkit-status') continue;
    for (const log of event.status.logs) {
      const chunks = output.get(log.vertex);
      if (chunks) chunks.push(log.text);
      else output.set(log.vertex, [log.text]);
    }
    for (const vertex of event.status.vertexes) {
      if (vertex.error === undefined || vertex.name === '') continue;
      if (/\bcancel(l)?ed\b/i.test(vertex.error)) cancelled ??= { digest: vertex.digest, name: vertex.name };
      else failed ??= { digest: vertex.digest, name: vertex.name };
    }
  }
  failed ??= cancelled;
  if (failed === undefined) return undefined;
  const lines = (output.get(failed.digest) ?? []).join('').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return { name: failed.name, lastLines: lines.slice(-maximumLines) };
}
