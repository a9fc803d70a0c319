import { InvalidArgumentError, type PlatformInput } from '@berth/engine-protocol';
import { checkCallOptions, describeType, encodeRegistryAuth, encodeRegistryConfig, formatPlatformString } from '@berth/engine-protocol/internal';
import { resolveProgressLimits } from '../progress/progress-options.js';

/**
 * Checks of single option values, shared by the methods' argument checks. Each throws an
 * `InvalidArgumentError` naming the option; `undefined` always passes (the option is unset).
 *
 * @module
 * @internal
 */

function invalid(argument: string, expected: string, value: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`${argument} must be ${expected}, got ${describeType(value)}.`, { argument });
}

/** A boolean option. */
export function checkBoolean(value: unknown, argument: string): void {
  if (value !== undefined && typeof value !== 'boolean') throw invalid(argument, 'true or false', value);
}

/** A string option (not empty). */
export function checkString(value: unknown, argument: string): void {
  if (value !== undefined && (typeof value !== 'string' || value === '')) throw invalid(argument, 'a non-empty string', value);
}

/** A whole-number option. */
export function checkInteger(value: unknown, argument: string): void {
  if (value !== undefined && (typeof value !== 'number' || !Number.isSafeInteger(value))) throw invalid(argument, 'a whole number', value);
}

/** A list of strings. */
export function checkStringList(value: unknown, argument: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) throw invalid(argument, 'a list of strings', value);
}

/**
 * A map of strings (build arguments, labels): the engine wants `map[string]string`, so a
 * number, a nested object, a BigInt or a circular structure is refused here by name.
 */
export function checkStringMap(value: unknown, argument: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(argument, 'an object of strings', value);
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') {
      throw new InvalidArgumentError(`${argument}.${key} must be a string, got ${describeType(item)}.`, {
        argument,
      });
    }
  }
}

/** A platform, `os[/arch[/variant]]` or an object with a non-empty `os`. */
export function checkPlatform(value: unknown, argument: string): void {
  if (value === undefined) return;
  formatPlatformString(value as PlatformInput, argument);
}

/** Registry credentials: an object of strings with known fields (the daemon ignores a bad header). */
export function checkAuthConfig(value: unknown, argument: string): void {
  if (value === undefined) return;
  encodeRegistryAuth(value as Parameters<typeof encodeRegistryAuth>[0], argument);
}

/** Credentials by registry (a build's `authConfigs`), each checked like {@link checkAuthConfig}. */
export function checkRegistryConfig(value: unknown, argument: string): void {
  if (value === undefined) return;
  encodeRegistryConfig(value as Parameters<typeof encodeRegistryConfig>[0], argument);
}

/**
 * The options every method returning a `ProgressOperation` takes besides its own: the call's
 * `signal` and `timeout`, and the operation's `bufferLimit` and `logLimit`. Checked with the
 * rest of the arguments, so that a bad one rejects the operation instead of throwing.
 */
export function checkOperationOptions(options: {
  readonly signal?: unknown;
  readonly timeout?: unknown;
  readonly bufferLimit?: unknown;
  readonly logLimit?: unknown;
}): void {
  checkCallOptions({ signal: options.signal, timeout: options.timeout });
  resolveProgressLimits(options);
}
