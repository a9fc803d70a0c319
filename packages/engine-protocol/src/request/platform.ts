import { InvalidArgumentError } from '../errors/index.js';

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
export function parsePlatformString(platform: string): { os: string; architecture?: string; variant?: string } {
  const parts = platform.split('/');
  if (parts.length > 3 || parts.some((part) => !segment.test(part))) {
    throw new InvalidArgumentError(`Invalid platform ${JSON.stringify(platform)}: expected "os[/arch[/variant]]".`, {
      argument: 'platform',
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
export function formatPlatformString(platform: PlatformInput): string {
  if (typeof platform === 'string') {
    parsePlatformString(platform);
    return platform;
  }
  return [platform.os, platform.architecture, platform.architecture ? platform.variant : undefined]
    .filter((part): part is string => typeof part === 'string' && part.length > 0)
    .join('/');
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
export function formatPlatformJson(platform: PlatformInput): string {
  const object = typeof platform === 'string' ? parsePlatformString(platform) : platform;
  const ordered: Record<string, unknown> = { os: object.os };
  if (object.architecture) ordered['architecture'] = object.architecture;
  if (object.variant) ordered['variant'] = object.variant;
  if (typeof platform !== 'string') {
    if (platform['os.version']) ordered['os.version'] = platform['os.version'];
    if (platform['os.features']) ordered['os.features'] = platform['os.features'];
  }
  return JSON.stringify(ordered);
}
