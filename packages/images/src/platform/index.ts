export { formatPlatform } from './format-platform.js';
export { normalizePlatform } from './normalize-platform.js';
export type { EnginePlatformDefaults, Platform } from './platform.js';
export { platformMatches } from './platform-matches.js';
