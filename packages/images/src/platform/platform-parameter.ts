import type { PlatformInput } from '@berth/engine-protocol';

/**
 * `{ platform }` for an endpoint's parameters when a platform was given, `{}` otherwise (the
 * parameter stays off the wire, so engines before its API version are not refused).
 */
export function platformParameter<Platform extends PlatformInput | readonly PlatformInput[]>(
  platform: Platform | undefined,
): { platform: Platform } | Record<string, never> {
  return platform === undefined ? {} : { platform };
}
