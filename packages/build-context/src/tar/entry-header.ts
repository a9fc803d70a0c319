// Tar headers as the Docker CLI writes them for a build context (moby's archiver with
// ChownOpts 0:0 and no user-name lookups): owner 0:0, empty user and group names, permission
// bits including setuid/setgid/sticky, mtime truncated to whole seconds, a trailing `/` on
// directory names, hard links to a file already in the archive as link entries.
import { lstatSync, type Stats } from 'node:fs';
import type { EntryHeader } from './tar-header.js';

export type { EntryHeader } from './tar-header.js';

/**
 * The header of one walked path. `mode` carries the full `st_mode` (only its permission bits
 * are written). `hardLinkTarget` turns a regular file into a link entry to a path archived
 * earlier.
 */
export function entryHeader(
  relativePath: string,
  stats: Stats,
  absolutePath: string,
  link: { readonly symbolicLinkTarget?: string; readonly hardLinkTarget?: string } = {},
): EntryHeader {
  const mode = stats.mode;
  const mtime = modificationSeconds(stats, absolutePath);
  if (stats.isDirectory()) return { name: `${relativePath}/`, mode, uid: 0, gid: 0, uname: '', gname: '', mtime, type: 'directory', size: 0 };
  if (link.hardLinkTarget !== undefined) {
    return { name: relativePath, mode, uid: 0, gid: 0, uname: '', gname: '', mtime, type: 'link', size: 0, linkname: link.hardLinkTarget };
  }
  if (stats.isSymbolicLink()) {
    return { name: relativePath, mode, uid: 0, gid: 0, uname: '', gname: '', mtime, type: 'symlink', size: 0, linkname: link.symbolicLinkTarget ?? '' };
  }
  return { name: relativePath, mode, uid: 0, gid: 0, uname: '', gname: '', mtime, type: 'file', size: stats.size };
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
export function generatedFileHeader(name: string, size: number, mode: number, mtime: number = Math.floor(Date.now() / 1000)): EntryHeader {
  return { name, mode: 0o100000 | mode, uid: 0, gid: 0, uname: '', gname: '', mtime, type: 'file', size };
}

/**
 * The mtime in whole seconds, floored like the CLI's archiver (so -0.5 s is -1). `mtimeMs` is a double: a time
 * just below a whole second can round up to it, so a value that lands exactly on a second is
 * checked against the exact nanoseconds.
 */
function modificationSeconds(stats: Stats, absolutePath: string): number {
  let seconds = Math.floor(stats.mtimeMs / 1000);
  if (stats.mtimeMs % 1000 === 0) {
    const exact = lstatSync(absolutePath, { bigint: true, throwIfNoEntry: false });
    if (exact !== undefined) seconds = Number(exact.mtimeNs / 1_000_000_000n) - (exact.mtimeNs < 0n && exact.mtimeNs % 1_000_000_000n !== 0n ? 1 : 0);
  }
  // Before 1970 the time is kept (floored, like Go's time.Truncate), written as a PAX record.
  return seconds;
}
