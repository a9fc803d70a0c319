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
 * const { ApiVersion } = await getVersion(client);
 * if (compareApiVersions(ApiVersion ?? '0.0', CLIENT_MIN_API_VERSION) < 0) console.log('engine too old');
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
 * compareApiVersions('1.10', '1.10.1'); // throws InvalidArgumentError (not an API version)
 * ```
 */
export function compareApiVersions(left: string, right: string): number {
  // Only `major.minor` is an API version: '1.10.1' or '1.x' is refused, never compared on its
  // first two parts (that gave 0 for '1.10' vs '1.10.1').
  const [leftMajor, leftMinor] = parseApiVersion(left, 'left').split('.').map(Number) as [number, number];
  const [rightMajor, rightMinor] = parseApiVersion(right, 'right').split('.').map(Number) as [number, number];
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
