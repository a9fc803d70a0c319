import type { ProgressEvent } from '@berth/images';
import { createProgressRenderer, type ProgressRendererOptions } from './progress-renderer.js';
import type { ProgressOutcome } from './views/progress-view.js';

/**
 * Options of {@link renderProgress}.
 *
 * @example
 * ```ts
 * import { AbortedError } from '@berth/engine-protocol';
 *
 * const options: RenderProgressOptions = { kind: 'push', isCancellation: (error) => error instanceof AbortedError };
 * ```
 */
export interface RenderProgressOptions extends ProgressRendererOptions {
  /**
   * Whether a failure is a cancellation (the display then ends with `CANCELED` rather than
   * `FAILED`). Default: an error named `AbortedError`.
   */
  readonly isCancellation?: ((error: unknown) => boolean) | undefined;
}

/**
 * Shows an operation's progress until it ends and resolves to its result; a failure is rethrown
 * after the display ended (the renderer does not print the error: that is the caller's line).
 * Takes any `ProgressOperation` of `@berth/images` (pull, push, build, load).
 *
 * @example
 * ```ts
 * import { renderProgress } from '@berth/terminal-progress';
 *
 * const image = await renderProgress(docker.images.pull('localhost:5000/app:v1'), { kind: 'pull' });
 * const { image: built } = await renderProgress(docker.images.build({ path: '.', tag: 'app:dev', version: '2' }), { kind: 'build' });
 * ```
 */
export async function renderProgress<Result>(
  operation: AsyncIterable<ProgressEvent> & PromiseLike<Result>,
  options: RenderProgressOptions,
): Promise<Result> {
  const renderer = createProgressRenderer(options);
  const isCancellation = options.isCancellation ?? ((error: unknown) => error instanceof Error && error.name === 'AbortedError');
  try {
    for await (const event of operation) renderer.update(event);
    const result = await operation;
    renderer.finish('success');
    return result;
  } catch (error) {
    const outcome: ProgressOutcome = isCancellation(error) ? 'canceled' : 'failure';
    renderer.finish(outcome);
    throw error;
  }
}
