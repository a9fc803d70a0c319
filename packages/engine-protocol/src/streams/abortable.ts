/**
 * Internal helpers shared by the stream decoders: abortable iteration of an async source and
 * abortable waiting. Not re-exported from the package.
 *
 * @module
 */
import { AbortedError } from '../errors/index.js';

/**
 * The error every stream helper throws when its `AbortSignal` fires.
 *
 * @example
 * ```ts
 * if (signal.aborted) throw createAbortError(signal);
 * ```
 * @internal
 */
export function createAbortError(signal: AbortSignal): AbortedError {
  return new AbortedError('The stream was aborted.', { cause: signal.reason });
}

/**
 * Settles like `promise`, or rejects as soon as `signal` aborts, whichever comes first, without
 * cancelling `promise` (other callers may share it). The rejection is `reason()`, by default an
 * {@link AbortedError} from the signal. A late rejection of `promise` is swallowed (never
 * unhandled).
 * @internal
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, abortReason?: () => Error): Promise<T> {
  if (signal === undefined) return promise;
  const reason = abortReason ?? ((): Error => createAbortError(signal));
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(reason());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(reason());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Iterates `source` like `for await`, but stops with an {@link AbortedError} as soon as
 * `signal` aborts, even while the source is still waiting for data. On an early exit (abort,
 * `break`, an error thrown by the consumer) the source's `return()` is called so that it can
 * release its connection; when a `next()` call is still pending (abort), `return()` is fired
 * without waiting for it.
 * @internal
 */
export async function* iterateAbortable<T>(
  source: AsyncIterable<T>,
  signal: AbortSignal | undefined,
): AsyncGenerator<T, void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  let nextPending = false;
  try {
    while (true) {
      if (signal?.aborted) throw createAbortError(signal);
      nextPending = true;
      let result: IteratorResult<T>;
      try {
        result = await raceAbort(iterator.next(), signal);
        nextPending = false;
      } catch (error) {
        // The source itself failed: like `for await`, do not call its return(). An abort leaves
        // the source's next() pending: it gets a return() below, without waiting.
        if (signal?.aborted !== true) finished = true;
        throw error;
      }
      if (result.done === true) {
        finished = true;
        return;
      }
      yield result.value;
    }
  } finally {
    if (!finished && typeof iterator.return === 'function') {
      const closing = Promise.resolve()
        .then(() => iterator.return?.())
        .catch(() => undefined);
      if (!nextPending) await closing;
    }
  }
}
