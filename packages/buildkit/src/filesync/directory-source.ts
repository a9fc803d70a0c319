// What a session serves as a local directory: a real directory on disk, or files held in memory
// (a Dockerfile given as text). The FileSync walk only needs these few operations.
import type { FileStat } from '../messages/file-sync-packet.js';

/**
 * One entry of a served directory as the source reports it, before filtering: fsutil's `Stat`
 * without the path, plus what hard-link detection needs.
 *
 * @example
 * ```ts
 * const entry: SourceEntry = { name: 'app.js', mode: 0o644, uid: 0, gid: 0, size: 120, modTime: 0n, linkname: '', devmajor: 0, devminor: 0 };
 * ```
 */
export interface SourceEntry extends Omit<FileStat, 'path' | 'xattrs'> {
  /** The entry's name in its directory. */
  readonly name: string;
  /** `device:inode` of a regular file with more than one link, for hard links. */
  readonly hardLinkKey?: string;
}

/**
 * A directory a session can serve through FileSync. Paths are `/`-separated and relative to the
 * directory (`''` is the directory itself).
 *
 * @example
 * ```ts
 * const source: DirectorySource = await localDirectory('./app');
 * for (const entry of await source.list('')) console.log(entry.name);
 * ```
 */
export interface DirectorySource {
  /** Where it is, for messages (`/home/me/app`, `in-memory Dockerfile`). */
  readonly description: string;
  /**
   * The entries of a directory sorted by the bytes of their names, as Go's walk reads them.
   * Sockets, FIFOs and devices are left out, as a context tar leaves them out. A directory that
   * vanished lists empty.
   */
  list(path: string): Promise<SourceEntry[]>;
  /** One entry (not following a symbolic link), or `undefined` when it does not exist. */
  entry(path: string): Promise<SourceEntry | undefined>;
  /**
   * The content of a regular file, in chunks; a file that vanished reads empty. `size` is the
   * size the listing reported, a hint.
   */
  read(path: string, signal: AbortSignal, size?: number): AsyncIterable<Uint8Array>;
}
