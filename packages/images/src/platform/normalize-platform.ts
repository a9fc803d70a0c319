import { InvalidArgumentError } from '@berth/engine-protocol';
import { describeType, parsePlatformString } from '@berth/engine-protocol/internal';
import {
  isKnownArchitecture,
  isKnownOperatingSystem,
  normalizeArchitecture,
  normalizeOperatingSystem,
} from './architecture.js';
import type { EnginePlatformDefaults, Platform } from './platform.js';

/** Same alphabet `parsePlatformString` accepts for a segment. */
const segmentPattern = /^[A-Za-z0-9_.-]+$/;

function invalid(message: string): InvalidArgumentError {
  return new InvalidArgumentError(message, { argument: 'platform' });
}

/** Reads one field of an object platform: absent or empty means "not given". */
function readField(platform: Partial<Platform>, field: keyof Platform): string | undefined {
  const value: unknown = platform[field];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !segmentPattern.test(value)) {
    throw invalid(`Invalid platform ${field} ${JSON.stringify(value)}: expected letters, digits, "_", "." or "-".`);
  }
  return value;
}

/**
 * Turns a single word into OS or architecture as containerd does for `--platform arm64`:
 * a known OS is an OS, otherwise a known architecture is an architecture.
 */
function parseSingleWord(word: string): { os?: string; architecture?: string; variant?: string } {
  const os = normalizeOperatingSystem(word);
  if (isKnownOperatingSystem(os)) return { os };
  const { architecture, variant } = normalizeArchitecture(word, undefined);
  if (isKnownArchitecture(architecture)) return variant === undefined ? { architecture } : { architecture, variant };
  throw invalid(`Invalid platform ${JSON.stringify(word)}: not a known operating system or architecture; use "os[/arch[/variant]]".`);
}

/**
 * Normalises a platform given as `os[/arch[/variant]]` (or a single known OS or
 * architecture, e.g. `arm64`) or as a partial object: lowercases it, maps architecture
 * aliases as containerd does (`x86_64` → `amd64`, `aarch64` → `arm64`, `armhf` → `arm/v7`,
 * `armel` → `arm/v6`, `i386` → `386`; `arm64/v8` → `arm64`), and fills a missing OS or
 * architecture from the engine's own (`GET /version` `Os`/`Arch`).
 *
 * @throws InvalidArgumentError (`argument: 'platform'`) for a malformed string or field, a
 *   variant without architecture, or a missing OS/architecture with no engine defaults.
 *
 * @example
 * ```ts
 * normalizePlatform('linux/x86_64'); // { os: 'linux', architecture: 'amd64' }
 * normalizePlatform('arm64', { os: 'linux', architecture: 'amd64' }); // { os: 'linux', architecture: 'arm64' }
 * normalizePlatform({ architecture: 'armhf' }, { os: 'linux', architecture: 'amd64' });
 * // { os: 'linux', architecture: 'arm', variant: 'v7' }
 * ```
 */
export function normalizePlatform(
  platform: string | Partial<Platform>,
  engineDefaults?: EnginePlatformDefaults,
): Platform {
  let os: string | undefined;
  let architecture: string | undefined;
  let variant: string | undefined;
  if (typeof platform === 'string') {
    const parsed = parsePlatformString(platform);
    if (parsed.architecture === undefined) {
      ({ os, architecture, variant } = parseSingleWord(parsed.os));
    } else {
      ({ os, architecture, variant } = parsed);
    }
  } else if (typeof platform === 'object' && platform !== null) {
    os = readField(platform, 'os');
    architecture = readField(platform, 'architecture');
    variant = readField(platform, 'variant');
  } else {
    throw invalid(`Invalid platform: expected a string or an object, got ${describeType(platform)}.`);
  }

  if (variant !== undefined && architecture === undefined) {
    throw invalid(`Invalid platform: variant ${JSON.stringify(variant)} is given without an architecture.`);
  }
  if (os === undefined || architecture === undefined) {
    if (engineDefaults === undefined) {
      throw invalid(
        `Invalid platform ${JSON.stringify(platform)}: the ${os === undefined ? 'operating system' : 'architecture'} is missing and no engine defaults were given to fill it.`,
      );
    }
    os ??= engineDefaults.os;
    if (architecture === undefined) {
      // The engine's own Arch never carries a variant (`GET /version` reports e.g. "arm").
      architecture = engineDefaults.architecture;
      variant = undefined;
    }
  }

  const normalized = normalizeArchitecture(architecture, variant);
  const result: Platform = { os: normalizeOperatingSystem(os), architecture: normalized.architecture };
  if (normalized.variant !== undefined) result.variant = normalized.variant;
  if (!segmentPattern.test(result.os) || !segmentPattern.test(result.architecture)) {
    throw invalid(`Invalid engine platform defaults ${JSON.stringify(engineDefaults)}: expected an OS and an architecture.`);
  }
  return result;
}
