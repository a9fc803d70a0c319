import { AbortedError, InvalidArgumentError, TimeoutError } from '../errors/index.js';

/** Per-call options: every endpoint function accepts them. */
export interface CallOptions {
  /** Aborts the call, including a streamed upload or download in progress. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Milliseconds for the whole call, including reading a streamed reply to its end.
   * Unset: no overall deadline.
   */
  readonly timeout?: number | undefined;
}

/** A signal combining the caller's signal and the call's timeout, and a way to stop the timer. */
export interface CallSignal {
  /** The signal to hand to undici. */
  readonly signal: AbortSignal | undefined;
  /** The Berth error that explains why the signal fired, if it did. */
  reason(): Error | undefined;
  /** Stops the timeout timer (call when the reply is fully read). */
  dispose(): void;
}

/**
 * Combines the caller's `AbortSignal` and `timeout` into one signal, remembering which fired,
 * so the call rejects with `AbortedError` or `TimeoutError` rather than a bare DOMException.
 *
 * @example
 * ```ts
 * const call = createCallSignal({ timeout: 5_000 }, 'GET /v1.45/images/json');
 * try { await dispatcher.request({ ..., signal: call.signal }); } finally { call.dispose(); }
 * ```
 */
export function createCallSignal(options: CallOptions, requestLine: string): CallSignal {
  const { signal: outer, timeout } = options;
  if (timeout !== undefined && (!Number.isFinite(timeout) || timeout <= 0)) {
    throw new InvalidArgumentError(`timeout must be a positive number of milliseconds, got ${timeout}.`, { argument: 'timeout' });
  }
  if (outer === undefined && timeout === undefined) {
    return { signal: undefined, reason: () => undefined, dispose: () => {} };
  }
  const controller = new AbortController();
  let reason: Error | undefined;
  const onAbort = (): void => {
    reason ??= new AbortedError(`Request aborted: ${requestLine}`, { cause: outer?.reason });
    controller.abort(reason);
  };
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeout === undefined
      ? undefined
      : setTimeout(() => {
          reason ??= new TimeoutError(`Timed out after ${timeout} ms: ${requestLine}`, { code: 'BERTH_CALL_TIMEOUT' });
          controller.abort(reason);
        }, timeout);
  timer?.unref?.();
  return {
    signal: controller.signal,
    reason: () => reason,
    dispose: () => {
      if (timer !== undefined) clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Waits for a promise that other calls share (the API-version negotiation), while honouring
 * THIS call's signal and timeout: the call rejects when its own signal fires, without
 * cancelling the shared work for the others.
 *
 * @example
 * ```ts
 * const version = await waitForShared(negotiation, { signal, timeout: 2_000 }, 'GET /_ping');
 * ```
 */
export async function waitForShared<T>(shared: Promise<T>, options: CallOptions, requestLine: string): Promise<T> {
  const call = createCallSignal(options, requestLine);
  const signal = call.signal;
  if (signal === undefined) return shared;
  try {
    if (signal.aborted) throw call.reason();
    return await new Promise<T>((resolve, reject) => {
      signal.addEventListener('abort', () => reject(call.reason()), { once: true });
      shared.then(resolve, reject);
    });
  } finally {
    call.dispose();
  }
}
