import { InvalidArgumentError } from '@berth/engine-protocol';
import { describeType } from '@berth/engine-protocol/internal';
import type { ProgressOperationOptions } from './progress-operation.js';

const defaultBufferLimit = 10_000;
const defaultLogLimit = 10_000;

/**
 * The bounds of a {@link ProgressOperation} with their defaults, checked: an
 * `InvalidArgumentError` (argument `bufferLimit` or `logLimit`) when `bufferLimit` is not a
 * positive integer or `logLimit` is neither a positive integer nor `Infinity`. The methods'
 * argument checks call it too, so that bad limits reject the operation like any bad argument.
 *
 * @example
 * ```ts
 * resolveProgressLimits({ logLimit: Infinity }); // { bufferLimit: 10000, logLimit: Infinity }
 * ```
 * @internal
 */
export function resolveProgressLimits(options: { readonly bufferLimit?: unknown; readonly logLimit?: unknown }): { bufferLimit: number; logLimit: number } {
  const bufferLimit = options.bufferLimit ?? defaultBufferLimit;
  if (typeof bufferLimit !== 'number' || !Number.isSafeInteger(bufferLimit) || bufferLimit < 1) {
    throw new InvalidArgumentError(`bufferLimit must be a positive integer, got ${describeLimit(bufferLimit)}.`, { argument: 'bufferLimit' });
  }
  const logLimit = options.logLimit ?? defaultLogLimit;
  if (typeof logLimit !== 'number' || (logLimit !== Number.POSITIVE_INFINITY && (!Number.isSafeInteger(logLimit) || logLimit < 1))) {
    throw new InvalidArgumentError(`logLimit must be a positive integer or Infinity, got ${describeLimit(logLimit)}.`, { argument: 'logLimit' });
  }
  return { bufferLimit, logLimit };
}

function describeLimit(value: unknown): string {
  return typeof value === 'number' ? String(value) : describeType(value);
}

/**
 * The {@link ProgressOperationOptions} among a method's options, without undefined values
 * (the options type is exact).
 * @internal
 */
export function progressOptions(options: { readonly bufferLimit?: number | undefined; readonly logLimit?: number | undefined }): ProgressOperationOptions {
  return {
    ...(options.bufferLimit === undefined ? {} : { bufferLimit: options.bufferLimit }),
    ...(options.logLimit === undefined ? {} : { logLimit: options.logLimit }),
  };
}
