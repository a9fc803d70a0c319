import type { ProgressEvent } from './progress-event.js';

/**
 * The text a build printed, in order: the classic builder's step lines, `RUN` output and
 * warnings, and BuildKit's step output (`RUN` output of decoded `buildkit-status` events).
 *
 * @example
 * ```ts
 * const { log } = await images.build({ path: '.', tag: 'app:dev' });
 * console.log(buildOutputOf(log));
 * ```
 */
export function buildOutputOf(events: Iterable<ProgressEvent>): string {
  const parts: string[] = [];
  for (const event of events) {
    if (event.type === 'output' || event.type === 'warning') parts.push(event.text);
    else if (event.type === 'buildkit-status') for (const log of event.status.logs) parts.push(log.text);
  }
  return parts.join('');
}
