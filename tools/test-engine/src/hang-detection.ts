// Hang detection for tests: work must END (settle, or reach a state) within a deadline far
// above what it takes even on a loaded 2-core CI machine. These are never timing assertions:
// how fast something is belongs in bench/.

/**
 * The deadline, in milliseconds, by which something that should happen promptly must have
 * happened; far above the ~1 s a slow SSH round trip takes on a loaded machine.
 *
 * @example
 * ```ts
 * expect(outcome.elapsed).toBeLessThan(hangDeadline);
 * ```
 */
export const hangDeadline = 10_000;

/**
 * How a piece of work ended.
 *
 * @example
 * ```ts
 * const outcome: Outcome = await outcomeOf(listImages(client));
 * if (outcome.error !== undefined) console.log(outcome.error);
 * ```
 */
export interface Outcome {
  /** What it rejected with (`undefined` when it resolved). */
  readonly error: unknown;
  /** What it resolved to (`undefined` when it rejected). */
  readonly value: unknown;
  /** Milliseconds until it settled (for hang detection and messages, not for benchmarks). */
  readonly elapsed: number;
}

/**
 * Runs `work` to its end and says how it ended and how long it took. Never rejects.
 *
 * @example
 * ```ts
 * const outcome = await outcomeOf(listImages(client));
 * expect(outcome.error).toBeInstanceOf(ClientClosedError);
 * ```
 */
export async function outcomeOf(work: PromiseLike<unknown> | (() => PromiseLike<unknown>)): Promise<Outcome> {
  const started = Date.now();
  try {
    const value = await (typeof work === 'function' ? work() : work);
    return { error: undefined, value, elapsed: Date.now() - started };
  } catch (error) {
    return { error, value: undefined, elapsed: Date.now() - started };
  }
}

/**
 * Resolves once `condition()` holds, polling; rejects naming `what` when it still does not hold
 * after `timeout` ms (default {@link hangDeadline}).
 *
 * @example
 * ```ts
 * await eventually(() => engine.openConnections() === 0, 'the engine side closed its connections');
 * ```
 */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, timeout: number = hangDeadline): Promise<void> {
  const end = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`Not reached within ${timeout} ms: ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Resolves or rejects like `work`, unless it is still pending after `deadline` ms (default
 * {@link hangDeadline}): then rejects naming `what`. The timer does not keep the process alive.
 *
 * @example
 * ```ts
 * await settlesWithin(client.close(), 'close() with calls in flight');
 * ```
 */
export async function settlesWithin<T>(work: PromiseLike<T>, what: string, deadline: number = hangDeadline): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`Still pending after ${deadline} ms (a hang): ${what}.`)), deadline);
    timer.unref();
  });
  try {
    return await Promise.race([work, hung]);
  } finally {
    clearTimeout(timer);
  }
}
