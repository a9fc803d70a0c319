// What every fault test checks: the error's class, that it came within a deadline (a hang
// detector, far above what a prompt failure takes; not a timing benchmark), that descriptors and
// sockets returned to their baseline, and that the same client works afterwards.
import { expect } from 'vitest';
import { eventually, hangDeadline, openDescriptors, waitForDescriptors, type Outcome } from '@berth/test-engine';

/**
 * Asserts that the work failed with `expected` (and `code`, when given: the failure's own code,
 * i.e. a transport error's `causeCode`, an unexpected reply's `reason`, a stream message's
 * `engineCode`, else the class `code`) within the hang deadline.
 *
 * @example
 * ```ts
 * expectTypedFailure(outcome, SocketClosedError);
 * ```
 */
export function expectTypedFailure(outcome: Outcome, expected: abstract new (...parameters: never[]) => Error, code?: string | number): void {
  expect(outcome.error, `expected ${expected.name}, got ${describe(outcome)}`).toBeInstanceOf(expected);
  if (code !== undefined) {
    const error = outcome.error as { code?: unknown; causeCode?: unknown; reason?: unknown; engineCode?: unknown };
    expect(error.causeCode ?? error.reason ?? error.engineCode ?? error.code).toBe(code);
  }
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
  await waitForDescriptors(baseline, hangDeadline);
  if (openConnections === undefined) return;
  await eventually(() => openConnections() <= connections, `connections at the engine back to ${connections} (${openConnections()} open)`);
}

function describe(outcome: Outcome): string {
  if (outcome.error === undefined) return `success after ${outcome.elapsed} ms`;
  const error = outcome.error as { name?: string; message?: string };
  return `${error.name ?? typeof outcome.error}: ${error.message?.split('\n')[0] ?? ''}`;
}
