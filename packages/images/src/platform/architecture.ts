// Architecture and OS aliases as containerd's platforms package normalises them
// (database.go: normalizeOS, normalizeArch, isKnownOS, isKnownArch).

/** Operating systems Go knows; a single-word platform naming one of them is an OS. */
const knownOperatingSystems: ReadonlySet<string> = new Set([
  'aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'js', 'linux',
  'nacl', 'netbsd', 'openbsd', 'plan9', 'solaris', 'windows', 'zos',
]);

/** Architectures Go knows (after normalisation); a single-word platform naming one is an architecture. */
const knownArchitectures: ReadonlySet<string> = new Set([
  '386', 'amd64', 'amd64p32', 'arm', 'armbe', 'arm64', 'arm64be', 'ppc64', 'ppc64le', 'loong64',
  'mips', 'mipsle', 'mips64', 'mips64le', 'mips64p32', 'mips64p32le', 'ppc', 'riscv', 'riscv64',
  's390', 's390x', 'sparc', 'sparc64', 'wasm',
]);

/** Whether `os` (normalised) is an operating system Go knows. */
export function isKnownOperatingSystem(os: string): boolean {
  return knownOperatingSystems.has(os);
}

/** Whether `architecture` (normalised) is an architecture Go knows. */
export function isKnownArchitecture(architecture: string): boolean {
  return knownArchitectures.has(architecture);
}

/** Lowercases an OS name and maps `macos` to `darwin`. */
export function normalizeOperatingSystem(os: string): string {
  const lower = os.toLowerCase();
  return lower === 'macos' ? 'darwin' : lower;
}

/**
 * Maps architecture aliases to their canonical name and drops default variants:
 * `x86_64`/`x86-64` → `amd64` (`v1` dropped), `aarch64` → `arm64` (`v8` dropped),
 * `armhf` → `arm/v7`, `armel` → `arm/v6`, `i386` → `386`, and `arm` variants `5`..`8` gain
 * their `v`. A bare `arm` keeps no variant here, so it still means "any arm": the engine
 * picks one, and matching treats an offered bare `arm` as `v7` (see `platformMatches`).
 */
export function normalizeArchitecture(
  architecture: string,
  variant: string | undefined,
): { architecture: string; variant: string | undefined } {
  const lowerArchitecture = architecture.toLowerCase();
  const lowerVariant = variant === undefined || variant === '' ? undefined : variant.toLowerCase();
  switch (lowerArchitecture) {
    case 'i386':
      return { architecture: '386', variant: undefined };
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      return { architecture: 'amd64', variant: lowerVariant === 'v1' ? undefined : lowerVariant };
    case 'aarch64':
    case 'arm64':
      return {
        architecture: 'arm64',
        variant: lowerVariant === '8' || lowerVariant === 'v8' ? undefined : lowerVariant,
      };
    case 'armhf':
      return { architecture: 'arm', variant: 'v7' };
    case 'armel':
      return { architecture: 'arm', variant: 'v6' };
    case 'arm':
      return {
        architecture: 'arm',
        variant:
          lowerVariant !== undefined && ['5', '6', '7', '8'].includes(lowerVariant) ? `v${lowerVariant}` : lowerVariant,
      };
    default:
      return { architecture: lowerArchitecture, variant: lowerVariant };
  }
}
