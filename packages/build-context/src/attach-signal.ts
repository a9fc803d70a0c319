// Ties a caller's AbortSignal to a context stream.
import type { Readable } from 'node:stream';
import { AbortedError } from '@berth/engine-protocol';

/**
 * Destroys `stream` with `AbortedError` when `signal` aborts, and forgets the signal once the
 * stream has closed.
 */
export function attachSignal(stream: Readable, signal: AbortSignal | undefined): void {
  if (signal === undefined) return;
  const onAbort = (): void => {
    stream.destroy(new AbortedError('Packing the build context was aborted.', { cause: signal.reason }));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  stream.once('close', () => signal.removeEventListener('abort', onAbort));
}
