import type { ProgressEvent } from './progress-event.js';

/**
 * Whether the event is a byte-count update (a `layer` event with `current`): transient, later
 * updates of the same layer supersede it. Logs leave these out; buffers may drop them.
 *
 * @example
 * ```ts
 * const events: ProgressEvent[] = [];
 * for await (const event of pulling) events.push(event);
 * const milestones = events.filter((event) => !isByteCountUpdate(event));
 * ```
 */
export function isByteCountUpdate(event: ProgressEvent): boolean {
  return event.type === 'layer' && event.current !== undefined;
}
