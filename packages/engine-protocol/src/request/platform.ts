import { describeValue } from '../errors/describe-value.js';
import { InvalidArgumentError } from '../errors/index.js';
import { definedEntries } from '../object/defined-entries.js';

/**
 * An OCI platform, as the engine's JSON platform parameters expect it.
 *
 * @example
 * ```ts
 * const arm: PlatformObject = { os: 'linux', architecture: 'arm64', variant: 'v8' };
 * ```
 */
export interface PlatformObject {
  /** Operating system, e.g. `linux`. */
  os: string;
  /** CPU architecture, e.g. `amd64`, `arm64`. */
  architecture: string;
  /** Architecture variant, e.g. `v8`. */
  variant?: string;
  /** OS version (Windows). */
  'os.version'?: string;
  /** OS features (Windows). */
  'os.features'?: string[];
}

/**
 * A platform as a string `os[/arch[/variant]]` or as an object; each endpoint encodes it the
 * way the engine expects.
 *
 * @example
 * ```ts
 * await pullImage(client, { fromImage: 'app', tag: 'v1', platform: 'linux/arm64' });
 * await pushImage(client, { name: 'localhost:5000/app', platform: { os: 'linux', architecture: 'arm64' } });
 * ```
 */
export type PlatformInput = string | (Partial<PlatformObject> & { os: string });

const segment = /^[A-Za-z0-9_.-]+$/;

/**
 * Parses `os[/arch[/variant]]` into its parts, refusing malformed strings.
 *
 * @example
 * ```ts
 * parsePlatformString('linux/arm64/v8'); // { os: 'linux', architecture: 'arm64', variant: 'v8' }
 * ```
 */
export function parsePlatformString(platform: string, argument = 'platform'): { os: string; architecture?: string; variant?: string } {
  if (typeof platform !== 'string') {
    throw new InvalidArgumentError(`Invalid ${argument}: expected a string "os[/arch[/variant]]", got ${describeValue(platform)}.`, { argument });
  }
  const parts = platform.split('/');
  if (parts.length > 3 || parts.some((part) => !segment.test(part))) {
    throw new InvalidArgumentError(`Invalid ${argument} ${JSON.stringify(platform.slice(0, 100))}: expected "os[/arch[/variant]]".`, {
      argument,
    });
  }
  const [os, architecture, variant] = parts as [string, string | undefined, string | undefined];
  return {
    os: os.toLowerCase(),
    ...(architecture === undefined ? {} : { architecture: architecture.toLowerCase() }),
    ...(variant === undefined ? {} : { variant: variant.toLowerCase() }),
  };
}

/**
 * Formats a platform as the `os[/arch[/variant]]` string used by pull, import and build.
 *
 * @example
 * ```ts
 * formatPlatformString({ os: 'linux', architecture: 'arm64', variant: 'v8' }); // 'linux/arm64/v8'
 * ```
 */
export function formatPlatformString(platform: PlatformInput, argument = 'platform'): string {
  if (typeof platform === 'string') {
    parsePlatformString(platform, argument);
    return platform;
  }
  const object = checkPlatformObject(platform, argument);
  return [object.os, object.architecture, object.variant].filter((part): part is string => part !== undefined).join('/');
}

/**
 * Formats a platform as the JSON OCI platform used by push, history, save/load, inspect and
 * delete.
 *
 * @example
 * ```ts
 * formatPlatformJson('linux/arm64'); // '{"os":"linux","architecture":"arm64"}'
 * ```
 */
export function formatPlatformJson(platform: PlatformInput, argument = 'platform'): string {
  const object = typeof platform === 'string' ? parsePlatformString(platform, argument) : checkPlatformObject(platform, argument);
  const ordered: Record<string, unknown> = { os: object.os };
  if (object.architecture) ordered['architecture'] = object.architecture;
  if (object.variant) ordered['variant'] = object.variant;
  if (typeof platform !== 'string') {
    const osVersion: unknown = platform['os.version'];
    const osFeatures: unknown = platform['os.features'];
    if (osVersion !== undefined && osVersion !== '') {
      if (typeof osVersion !== 'string') throw invalidPlatform(argument, `"os.version" must be a string, got ${describeValue(osVersion)}`);
      ordered['os.version'] = osVersion;
    }
    if (osFeatures !== undefined) {
      if (!Array.isArray(osFeatures) || osFeatures.some((feature) => typeof feature !== 'string')) {
        throw invalidPlatform(argument, '"os.features" must be a list of strings');
      }
      if (osFeatures.length > 0) ordered['os.features'] = osFeatures;
    }
  }
  return JSON.stringify(ordered);
}

/**
 * Checks a platform object: `os` is required and not empty, `architecture` and `variant` are
 * optional segments, and a variant needs an architecture. Nothing is silently dropped.
 */
function checkPlatformObject(platform: unknown, argument: string): { os: string; architecture?: string; variant?: string } {
  if (typeof platform !== 'object' || platform === null || Array.isArray(platform)) {
    throw invalidPlatform(argument, `expected "os[/arch[/variant]]" or an object with "os", got ${describeValue(platform)}`);
  }
  const { os, architecture, variant } = platform as { os?: unknown; architecture?: unknown; variant?: unknown };
  const field = (name: string, value: unknown, required: boolean): string | undefined => {
    if (value === undefined || (value === '' && !required)) return undefined;
    if (typeof value !== 'string' || !segment.test(value)) {
      throw invalidPlatform(
        argument,
        value === '' || value === undefined ? `"${name}" must not be empty` : `"${name}" must be letters, digits, "_", "." or "-", got ${describeValue(value)}`,
      );
    }
    return value;
  };
  if (os === undefined || os === '') throw invalidPlatform(argument, '"os" is required and must not be empty');
  const checked = { os: field('os', os, true) as string, architecture: field('architecture', architecture, false), variant: field('variant', variant, false) };
  if (checked.variant !== undefined && checked.architecture === undefined) {
    throw invalidPlatform(argument, `variant ${JSON.stringify(checked.variant)} is given without an architecture`);
  }
  return {
    os: checked.os,
    ...definedEntries({ architecture: checked.architecture, variant: checked.variant }),
  };
}

function invalidPlatform(argument: string, problem: string): InvalidArgumentError {
  return new InvalidArgumentError(`Invalid ${argument}: ${problem}.`, { argument });
}
