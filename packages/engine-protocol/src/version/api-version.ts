import { InvalidArgumentError } from '../errors/index.js';

/**
 * The newest Engine API version this package speaks (the spec its types come from).
 *
 * @example
 * ```ts
 * const client = createEngineClient({ transport, apiVersion: CLIENT_MAX_API_VERSION });
 * ```
 */
export const CLIENT_MAX_API_VERSION = '1.56';

/**
 * The oldest Engine API version this package speaks (Engine 20.10); older engines are refused
 * with an `ApiVersionError`.
 *
 * @example
 * ```ts
 * if (compareApiVersions(engineVersion, CLIENT_MIN_API_VERSION) < 0) console.log('engine too old');
 * ```
 */
export const CLIENT_MIN_API_VERSION = '1.41';

const versionPattern = /^(\d+)\.(\d+)$/;

/**
 * Checks that a string is an API version like `1.45`, returning it unchanged.
 *
 * @example
 * ```ts
 * parseApiVersion('1.45'); // '1.45'
 * parseApiVersion('v1.45'); // throws InvalidArgumentError
 * ```
 */
export function parseApiVersion(version: string, source = 'apiVersion'): string {
  if (!versionPattern.test(version)) {
    throw new InvalidArgumentError(`${source} must look like "1.45", got ${JSON.stringify(version)}.`, { argument: source });
  }
  return version;
}

/**
 * Compares two API versions numerically (`1.9` < `1.41`): negative, zero or positive.
 *
 * @example
 * ```ts
 * compareApiVersions('1.41', '1.45') < 0; // true
 * ```
 */
export function compareApiVersions(left: string, right: string): number {
  const [leftMajor = 0, leftMinor = 0] = left.split('.').map(Number);
  const [rightMajor = 0, rightMinor = 0] = right.split('.').map(Number);
  return leftMajor - rightMajor || leftMinor - rightMinor;
}

/**
 * Whether `version` is at least `required`.
 *
 * @example
 * ```ts
 * isApiVersionAtLeast('1.46', '1.46'); // true
 * ```
 */
export function isApiVersionAtLeast(version: string, required: string): boolean {
  return compareApiVersions(version, required) >= 0;
}
