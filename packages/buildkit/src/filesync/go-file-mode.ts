// fsutil sends Go's `os.FileMode` bits, not the Unix `st_mode`: the type is a high bit, the
// permissions the low nine bits, setuid/setgid/sticky three more high bits.

/**
 * The `os.FileMode` bits that fsutil's `Stat.mode` uses.
 *
 * @example
 * ```ts
 * const isDirectory = (fileStat.mode & GoFileMode.directory) !== 0;
 * ```
 */
export const GoFileMode = {
  directory: 2 ** 31,
  symbolicLink: 2 ** 27,
  device: 2 ** 26,
  namedPipe: 2 ** 25,
  socket: 2 ** 24,
  setuid: 2 ** 23,
  setgid: 2 ** 22,
  characterDevice: 2 ** 21,
  sticky: 2 ** 20,
  irregular: 2 ** 19,
  /** Every type bit (`os.ModeType`). */
  type: 2 ** 31 + 2 ** 27 + 2 ** 26 + 2 ** 25 + 2 ** 24 + 2 ** 21 + 2 ** 19,
  permissions: 0o777,
} as const;

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const S_IFIFO = 0o010000;
const S_IFSOCK = 0o140000;
const S_IFBLK = 0o060000;
const S_IFCHR = 0o020000;

/**
 * Converts a Unix `st_mode` into Go `os.FileMode` bits (what `fi.Mode()` returns in Go).
 *
 * @example
 * ```ts
 * goFileModeOf(0o40755); // 0x800001ed: directory, rwxr-xr-x
 * ```
 */
export function goFileModeOf(unixMode: number): number {
  let mode = unixMode & GoFileMode.permissions;
  switch (unixMode & S_IFMT) {
    case S_IFDIR: mode += GoFileMode.directory; break;
    case S_IFLNK: mode += GoFileMode.symbolicLink; break;
    case S_IFIFO: mode += GoFileMode.namedPipe; break;
    case S_IFSOCK: mode += GoFileMode.socket; break;
    case S_IFBLK: mode += GoFileMode.device; break;
    case S_IFCHR: mode += GoFileMode.device + GoFileMode.characterDevice; break;
    case S_IFREG: break;
    default: mode += GoFileMode.irregular;
  }
  if (unixMode & 0o4000) mode += GoFileMode.setuid;
  if (unixMode & 0o2000) mode += GoFileMode.setgid;
  if (unixMode & 0o1000) mode += GoFileMode.sticky;
  return mode;
}

/**
 * The permission bits (with setuid, setgid and sticky) of Go `os.FileMode` bits, as a Unix mode
 * for `chmod`.
 *
 * @example
 * ```ts
 * unixPermissionsOf(GoFileMode.directory + GoFileMode.sticky + 0o777); // 0o1777
 * ```
 */
export function unixPermissionsOf(goMode: number): number {
  let mode = goMode & GoFileMode.permissions;
  if (hasBit(goMode, GoFileMode.setuid)) mode |= 0o4000;
  if (hasBit(goMode, GoFileMode.setgid)) mode |= 0o2000;
  if (hasBit(goMode, GoFileMode.sticky)) mode |= 0o1000;
  return mode;
}

/**
 * Whether one of the (possibly 2^31) mode bits is set; `&` would overflow into a negative number.
 *
 * @example
 * ```ts
 * hasBit(fileStat.mode, GoFileMode.directory);
 * ```
 */
export function hasBit(mode: number, bit: number): boolean {
  return Math.floor(mode / bit) % 2 === 1;
}

/**
 * The kind of entry Go `os.FileMode` bits describe.
 *
 * @example
 * ```ts
 * entryKindOf(fileStat.mode); // 'file' | 'directory' | 'symbolic-link' | 'other'
 * ```
 */
export function entryKindOf(goMode: number): 'file' | 'directory' | 'symbolic-link' | 'other' {
  if (hasBit(goMode, GoFileMode.directory)) return 'directory';
  if (hasBit(goMode, GoFileMode.symbolicLink)) return 'symbolic-link';
  for (const bit of [GoFileMode.device, GoFileMode.namedPipe, GoFileMode.socket, GoFileMode.characterDevice, GoFileMode.irregular]) {
    if (hasBit(goMode, bit)) return 'other';
  }
  return 'file';
}
