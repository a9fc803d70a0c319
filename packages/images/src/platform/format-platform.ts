import { InvalidArgumentError } from '@berth/engine-protocol';
import type { Platform } from './platform.js';

/**
 * Formats a platform as `os/arch[/variant]`, the form `--platform` and the engine's
 * `platform` query parameter take. Anything else than an object with a non-empty `os` and
 * `architecture` is an `InvalidArgumentError`.
 *
 * @example
 * ```ts
 * formatPlatform({ os: 'linux', architecture: 'arm', variant: 'v7' }); // 'linux/arm/v7'
 * formatPlatform({ os: 'linux', architecture: 'amd64' }); // 'linux/amd64'
 * ```
 */
export function formatPlatform(platform: Platform): string {
  if (typeof platform !== 'object' || platform === null || typeof platform.os !== 'string' || platform.os === '' || typeof platform.architecture !== 'string' || platform.architecture === '') {
    throw new InvalidArgumentError('formatPlatform needs a platform object with a non-empty os and architecture.', { argument: 'platform' });
  }
  const base = `${platform.os}/${platform.architecture}`;
  return platform.variant === undefined || platform.variant === '' ? base : `${base}/${platform.variant}`;
}
