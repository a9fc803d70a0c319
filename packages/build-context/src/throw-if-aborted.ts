// The check every packing step makes before going on.
import { AbortedError } from '@berth/engine-protocol';

/**
 * Throws `AbortedError` (with the signal's reason as cause) when `signal` is aborted.
 */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortedError('Packing the build context was aborted.', { cause: signal.reason });
}
