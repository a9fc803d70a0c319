import { describeValue } from '../errors/describe-value.js';
import { InvalidArgumentError } from '../errors/index.js';

/**
 * The longest delay Node's timers can wait: 2^31 − 1 ms (about 24.8 days). A longer one fires
 * at once (with a `TimeoutOverflowWarning`), so Berth refuses it instead.
 *
 * @example
 * ```ts
 * resolveTimeout(MAX_TIMEOUT, 'timeout'); // 2147483647
 * resolveTimeout(MAX_TIMEOUT + 1, 'timeout'); // throws InvalidArgumentError
 * ```
 */
export const MAX_TIMEOUT = 2_147_483_647;

/**
 * Checks a timeout in milliseconds: a finite positive number up to {@link MAX_TIMEOUT}, or `0` /
 * `Infinity` / `undefined` for "no deadline" (then `undefined` is returned). Anything else (a
 * negative number, `NaN`, a string, a value above the timer limit) is an
 * `InvalidArgumentError` naming `argument`.
 *
 * @example
 * ```ts
 * resolveTimeout(5_000, 'timeout'); // 5000
 * resolveTimeout(0, 'timeout'); // undefined: no deadline
 * resolveTimeout(Infinity, 'timeout'); // undefined: no deadline
 * resolveTimeout(-1, 'timeout'); // throws InvalidArgumentError (argument: 'timeout')
 * ```
 */
export function resolveTimeout(value: unknown, argument: string): number | undefined {
  if (value === undefined || value === 0 || value === Number.POSITIVE_INFINITY) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || value > MAX_TIMEOUT) {
    throw new InvalidArgumentError(
      `${argument} must be a number of milliseconds from 1 to ${MAX_TIMEOUT}, or 0 / Infinity for none; got ${describeValue(value)}.`,
      { argument },
    );
  }
  return value;
}

/**
 * Checks a setting in milliseconds that must be a whole, positive number a Node timer can wait
 * (connect and keep-alive timeouts of the transports): 1 to {@link MAX_TIMEOUT}. `undefined`
 * gives `fallback`; anything else is an `InvalidArgumentError` naming `argument`.
 *
 * @example
 * ```ts
 * resolveMilliseconds(undefined, 'connectTimeout', 10_000); // 10000
 * resolveMilliseconds(-5, 'keepAliveTimeout', 30_000); // throws InvalidArgumentError
 * ```
 */
export function resolveMilliseconds(value: unknown, argument: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_TIMEOUT) {
    throw new InvalidArgumentError(`${argument} must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT}, got ${describeValue(value)}.`, {
      argument,
    });
  }
  return value;
}
