// The Docker CLI's ValidateContextDirectory: before anything is sent, every file that will be
// archived is opened once, so an unreadable file fails the call instead of the upload.
import { AbortedError } from '@berth/engine-protocol';
import { assertReadable } from './tar/write-entry.js';
import { walkContext, type WalkContextOptions } from './walk/walk-context.js';

/**
 * Walks the context as the archive will and opens each regular file. Rejects with
 * `InvalidArgumentError` naming the first unreadable file or directory, or `AbortedError`.
 *
 * @example
 * ```ts
 * await validateContext({ root, matcher, forcedPaths }, signal);
 * ```
 */
export async function validateContext(options: WalkContextOptions, signal: AbortSignal | undefined): Promise<void> {
  for await (const entry of walkContext(options)) {
    throwIfAborted(signal);
    if (entry.stats.isFile()) await assertReadable(entry.absolutePath);
  }
}

/**
 * Throws `AbortedError` (with the signal's reason as cause) when `signal` is aborted.
 *
 * @example
 * ```ts
 * throwIfAborted(options.signal);
 * ```
 */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError('Packing the build context was aborted.', { cause: signal.reason });
}
