import { describeValue } from '../errors/describe-value.js';
import { AbortedError, InvalidArgumentError, TimeoutError } from '../errors/index.js';
import { raceAbort } from '../streams/abortable.js';
import { resolveTimeout } from './timeout.js';

/** Per-call options: every endpoint function accepts them. */
export interface CallOptions {
  /** Aborts the call, including a streamed upload or download in progress. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Milliseconds for the whole call (API-version negotiation, request, and reading a streamed
   * reply to its end), from 1 to 2^31 − 1. Unset, `0` or `Infinity`: no overall deadline.
   */
  readonly timeout?: number | undefined;
}

/**
 * The signal of one call: it fires when the caller's signal does, when the call's timeout runs
 * out, or when the client closes; it remembers why, so the call rejects with `AbortedError`,
 * `TimeoutError` or `ClientClosedError` rather than a bare DOMException.
 */
export interface CallSignal {
  /** The signal to hand to undici. */
  readonly signal: AbortSignal;
  /** The Berth error that explains why the signal fired, if it did. */
  reason(): Error | undefined;
  /** Ends the call with `reason` (the first reason wins). */
  abort(reason: Error): void;
  /** Stops the timer and forgets the caller's signal (call when the reply is fully read). Idempotent. */
  dispose(): void;
}

/**
 * Checks a call's options and combines the caller's `AbortSignal` and `timeout` into one
 * signal that the client can also abort. `requestLine` names the call in messages (a function
 * when the line is only known later, after version negotiation); `onDispose` runs once when the
 * call is disposed.
 *
 * @throws InvalidArgumentError when `options` is not an object, `signal` not an `AbortSignal`,
 *   or `timeout` not a valid timeout (see {@link CallOptions.timeout}).
 */
export function createCallSignal(
  options: CallOptions | undefined,
  requestLine: string | (() => string),
  onDispose?: () => void,
): CallSignal {
  const { signal: outer, timeout } = checkCallOptions(options);
  const line = typeof requestLine === 'string' ? () => requestLine : requestLine;
  const controller = new AbortController();
  let reason: Error | undefined;
  let disposed = false;
  const abort = (error: Error): void => {
    reason ??= error;
    if (!controller.signal.aborted) controller.abort(reason);
  };
  const onAbort = (): void => abort(new AbortedError(`Request aborted: ${line()}`, { cause: outer?.reason }));
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeout === undefined
      ? undefined
      : setTimeout(() => abort(new TimeoutError(`Timed out after ${timeout} ms: ${line()}`, { causeCode: 'BERTH_CALL_TIMEOUT' })), timeout);
  timer?.unref?.();
  return {
    signal: controller.signal,
    reason: () => reason,
    abort,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      if (timer !== undefined) clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
      onDispose?.();
    },
  };
}

/**
 * Waits for a promise that other calls share (the API-version negotiation) under THIS call's
 * signal: the call rejects when its own signal fires, without cancelling the shared work.
 */
export function waitForShared<T>(shared: Promise<T>, call: CallSignal): Promise<T> {
  return raceAbort(shared, call.signal, () => call.reason() ?? new AbortedError('Request aborted while the API version was negotiated.'));
}

/**
 * Checks a call's options as every call does before sending: an object (or nothing), `signal`
 * an `AbortSignal`, `timeout` 1 to 2^31 − 1 ms or `0` / `Infinity` (no deadline). Returns the
 * signal and the timeout to apply (`undefined`: none). For methods that must refuse bad options
 * synchronously, before any work starts.
 *
 * @throws InvalidArgumentError naming `options`, `signal` or `timeout`.
 *
 * @example
 * ```ts
 * checkCallOptions({ signal: AbortSignal.timeout(1_000) }); // fine
 * checkCallOptions({ signal: 'stop' }); // throws InvalidArgumentError (argument: 'signal')
 * ```
 */
export function checkCallOptions(options: unknown): { signal: AbortSignal | undefined; timeout: number | undefined } {
  if (options === undefined) return { signal: undefined, timeout: undefined };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError(`Call options must be an object such as { signal, timeout }, got ${describeValue(options)}.`, {
      argument: 'options',
    });
  }
  const { signal, timeout } = options as { signal?: unknown; timeout?: unknown };
  if (signal !== undefined && !isAbortSignal(signal)) {
    throw new InvalidArgumentError(`signal must be an AbortSignal, got ${describeValue(signal)}.`, { argument: 'signal' });
  }
  return { signal: signal as AbortSignal | undefined, timeout: resolveTimeout(timeout, 'timeout') };
}

/** An `AbortSignal`, also one from another realm or copy of Node's globals. */
function isAbortSignal(value: unknown): value is AbortSignal {
  if (value instanceof AbortSignal) return true;
  const candidate = value as { aborted?: unknown; addEventListener?: unknown; removeEventListener?: unknown } | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.aborted === 'boolean' &&
    typeof candidate.addEventListener === 'function' &&
    typeof candidate.removeEventListener === 'function'
  );
}
