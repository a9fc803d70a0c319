// Tar headers as the Docker CLI writes them for a build context (moby's archiver with
// ChownOpts 0:0 and no user-name lookups): owner 0:0, empty user and group names, permission
// bits including setuid/setgid/sticky, mtime truncated to whole seconds, a trailing `/` on
// directory names, hard links to a file already in the archive as link entries.
import type { BigIntStats } from 'node:fs';
import type { Header } from 'tar-stream';

const nanosecondsPerSecond = 1_000_000_000n;

/** A header ready for `pack.entry`, with the fields this package always sets. */
export type EntryHeader = Pick<Header, 'name' | 'mode' | 'uid' | 'gid' | 'uname' | 'gname' | 'mtime' | 'type' | 'size'> &
  Partial<Pick<Header, 'linkname'>>;

/**
 * The header of one walked path. `mode` carries the full `st_mode` (tar-stream keeps only
 * the low 12 bits, and would replace a falsy mode such as `000` by its default).
 * `hardLinkTarget` turns a regular file into a link entry to a path archived earlier.
 *
 * @example
 * ```ts
 * entryHeader('bin/run.sh', await lstat(path, { bigint: true }));
 * // { name: 'bin/run.sh', mode: 0o100755, uid: 0, gid: 0, uname: '', gname: '', type: 'file', size: 120, mtime }
 * ```
 */
export function entryHeader(
  relativePath: string,
  stats: BigIntStats,
  link: { readonly symbolicLinkTarget?: string; readonly hardLinkTarget?: string } = {},
): EntryHeader {
  const base = {
    mode: Number(stats.mode),
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
    mtime: truncatedModificationTime(stats),
  };
  if (stats.isDirectory()) return { ...base, name: `${relativePath}/`, type: 'directory', size: 0 };
  if (link.hardLinkTarget !== undefined) {
    return { ...base, name: relativePath, type: 'link', size: 0, linkname: link.hardLinkTarget };
  }
  if (stats.isSymbolicLink()) {
    return { ...base, name: relativePath, type: 'symlink', size: 0, linkname: link.symbolicLinkTarget ?? '' };
  }
  return { ...base, name: relativePath, type: 'file', size: Number(stats.size) };
}

/**
 * A header for content that does not come from a walked file (a generated Dockerfile, the
 * rewritten `.dockerignore`): regular file, owner 0:0, the given mode, `mtime` now unless given.
 *
 * @example
 * ```ts
 * generatedFileHeader('.dockerfile.0123456789abcdef0123', 12, 0o600);
 * ```
 */
export function generatedFileHeader(name: string, size: number, mode: number, mtime: Date = wholeSeconds(new Date())): EntryHeader {
  return { name, mode: 0o100000 | mode, uid: 0, gid: 0, uname: '', gname: '', mtime, type: 'file', size };
}

function truncatedModificationTime(stats: BigIntStats): Date {
  const seconds = stats.mtimeNs / nanosecondsPerSecond;
  // Tar headers hold no negative times; the archiver clamps pre-1970 files to the epoch.
  return new Date(seconds > 0n ? Number(seconds) * 1000 : 0);
}

function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
