import type { Platform } from './platform.js';

/**
 * Formats a platform as `os/arch[/variant]`, the form `--platform` and the engine's
 * `platform` query parameter take.
 *
 * @example
 * ```ts
 * formatPlatform({ os: 'linux', architecture: 'arm', variant: 'v7' }); // 'linux/arm/v7'
 * formatPlatform({ os: 'linux', architecture: 'amd64' }); // 'linux/amd64'
 * ```
 */
export function formatPlatform(platform: Platform): string {
  const base = `${platform.os}/${platform.architecture}`;
  return platform.variant === undefined || platform.variant === '' ? base : `${base}/${platform.variant}`;
}
