import { normalizeArchitecture, normalizeOperatingSystem } from './architecture.js';
import type { Platform } from './platform.js';

/** The variant an offered platform means when it names none (containerd: bare `arm` is `v7`). */
function offeredVariant(architecture: string, variant: string | undefined): string | undefined {
  return variant === undefined && architecture === 'arm' ? 'v7' : variant;
}

/**
 * Whether an offered platform (an image's, a manifest entry's) satisfies a wanted one. Both
 * are normalised first, so `x86_64` equals `amd64` and `arm64/v8` equals `arm64`. A wanted
 * platform without a variant matches every variant; an offered bare `arm` counts as `arm/v7`.
 *
 * @example
 * ```ts
 * platformMatches({ os: 'linux', architecture: 'arm64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }); // true
 * platformMatches({ os: 'linux', architecture: 'arm', variant: 'v7' }, { os: 'linux', architecture: 'arm', variant: 'v6' }); // false
 * ```
 */
export function platformMatches(wanted: Platform, offered: Platform): boolean {
  const want = normalizeArchitecture(wanted.architecture, wanted.variant);
  const have = normalizeArchitecture(offered.architecture, offered.variant);
  if (normalizeOperatingSystem(wanted.os) !== normalizeOperatingSystem(offered.os)) return false;
  if (want.architecture !== have.architecture) return false;
  if (want.variant === undefined) return true;
  return want.variant === offeredVariant(have.architecture, have.variant);
}
