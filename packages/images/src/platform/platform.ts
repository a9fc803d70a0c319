/**
 * An image platform, normalised: lowercase, canonical architecture names (`amd64`, `arm64`,
 * `arm`, `386`, …), and a variant only where it carries information.
 *
 * @example
 * ```ts
 * const platform: Platform = { os: 'linux', architecture: 'arm', variant: 'v7' };
 * ```
 */
export interface Platform {
  /** Operating system, e.g. `linux`, `windows`. */
  os: string;
  /** CPU architecture, e.g. `amd64`, `arm64`, `arm`. */
  architecture: string;
  /** Architecture variant, e.g. `v7` for `arm`; absent when it would be the default. */
  variant?: string;
}

/**
 * The engine's own platform, as `GET /version` reports it in `Os` and `Arch`; fills what a
 * platform leaves out.
 *
 * @example
 * ```ts
 * const engine: EnginePlatformDefaults = await images.enginePlatform(); // { os: 'linux', architecture: 'amd64' }
 * normalizePlatform('arm64', engine); // { os: 'linux', architecture: 'arm64' }
 * ```
 */
export interface EnginePlatformDefaults {
  /** The engine's `Os`, e.g. `linux`. */
  os: string;
  /** The engine's `Arch`, e.g. `amd64`. */
  architecture: string;
}
