// What every fault test checks: the error's class, that it came within a deadline (a hang
// detector, far above what a prompt failure takes; not a timing benchmark), that descriptors and
// sockets returned to their baseline, and that the same client works afterwards.
import { expect } from 'vitest';
import { openDescriptors, waitForDescriptors } from '@berth/test-engine';

/** A failure must come within this many milliseconds; far above the ~1 s a slow SSH round trip takes. */
export const hangDeadline = 10_000;

/** How a piece of work ended. */
export interface Outcome {
  readonly error: unknown;
  readonly value: unknown;
  /** Milliseconds it took. */
  readonly elapsed: number;
}

/**
 * Runs `work` to its end and says how it ended and how long it took.
 *
 * @example
 * ```ts
 * const outcome = await outcomeOf(listImages(client));
 * ```
 */
export async function outcomeOf(work: Promise<unknown> | (() => Promise<unknown>)): Promise<Outcome> {
  const started = Date.now();
  try {
    const value = await (typeof work === 'function' ? work() : work);
    return { error: undefined, value, elapsed: Date.now() - started };
  } catch (error) {
    return { error, value: undefined, elapsed: Date.now() - started };
  }
}

/**
 * Asserts that the work failed with `expected` (and `code`, when given) within the hang deadline.
 *
 * @example
 * ```ts
 * expectTypedFailure(outcome, SocketClosedError);
 * ```
 */
export function expectTypedFailure(outcome: Outcome, expected: abstract new (...parameters: never[]) => Error, code?: string | number): void {
  expect(outcome.error, `expected ${expected.name}, got ${describe(outcome)}`).toBeInstanceOf(expected);
  if (code !== undefined) expect((outcome.error as { code?: unknown }).code).toBe(code);
  expect(outcome.elapsed, 'ended within the hang deadline').toBeLessThan(hangDeadline);
}

/**
 * Reads an async iterable to its end.
 *
 * @example
 * ```ts
 * await drain(await pullImage(client, { fromImage: 'x', tag: 'latest' }));
 * ```
 */
export async function drain(iterable: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const item of iterable) {
    void item;
    count += 1;
  }
  return count;
}

/** A snapshot of this process's descriptors, to compare with after a fault. */
export type DescriptorBaseline = ReturnType<typeof openDescriptors>;

/**
 * The descriptors open now, as the baseline a fault must return to.
 *
 * @example
 * ```ts
 * const baseline = descriptorBaseline();
 * ```
 */
export function descriptorBaseline(): DescriptorBaseline {
  return openDescriptors();
}

/**
 * Waits until descriptors (sockets among them) are back to `baseline` and `openConnections()`
 * (the peer's side) to `connections` or fewer; fails the test otherwise. Pooled keep-alive
 * connections may take the transports' short idle timeout to go.
 *
 * @example
 * ```ts
 * await expectReleased(baseline, () => fake.openConnections(), 1);
 * ```
 */
export async function expectReleased(baseline: DescriptorBaseline, openConnections?: () => number, connections = 0): Promise<void> {
  await waitForDescriptors(baseline, 5_000);
  if (openConnections === undefined) return;
  const until = Date.now() + 5_000;
  while (openConnections() > connections && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(openConnections(), 'connections at the engine back to the baseline').toBeLessThanOrEqual(connections);
}

function describe(outcome: Outcome): string {
  if (outcome.error === undefined) return `success after ${outcome.elapsed} ms`;
  const error = outcome.error as { name?: string; message?: string };
  return `${error.name ?? typeof outcome.error}: ${error.message?.split('\n')[0] ?? ''}`;
}
