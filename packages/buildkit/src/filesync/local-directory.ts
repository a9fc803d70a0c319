// A directory on disk as a FileSync source, read the way fsutil reads it: lstat (links are never
// followed), names in byte order, owner 0:0 as `docker build` resets it for the context.
//
// Metadata and small files are read with synchronous calls, in batches that yield to the event
// loop in between: a context is mostly many small files, and a round trip through libuv's thread
// pool costs several times what a small lstat or read costs itself (measured: 20 000 lstats
// 0.2 s synchronous against 0.6 s through the pool; 20 000 small reads 0.5 s against 1.6–3 s).
import { lstatSync, readdirSync, readFileSync, readlinkSync, type BigIntStats } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '@berth/engine-protocol';
import type { DirectorySource, SourceEntry } from './directory-source.js';
import { goFileModeOf } from './go-file-mode.js';

/** Entries examined between two yields to the event loop. */
const statBatch = 256;
/** Bytes read from a file at a time (each becomes one DATA packet); files up to this size are read at once. */
const readChunkBytes = 64 * 1024;

/**
 * Options of {@link localDirectory}.
 *
 * @example
 * ```ts
 * await localDirectory('./app', { preserveOwnership: true });
 * ```
 */
export interface LocalDirectoryOptions {
  /** Send the files' real owners instead of 0:0 (the docker CLI resets them to 0:0). Default false. */
  readonly preserveOwnership?: boolean;
}

/**
 * Serves a directory on disk. The path is resolved (symbolic links included) once, now; a
 * missing path or one that is not a directory is an `InvalidArgumentError`.
 *
 * @example
 * ```ts
 * const session = await openBuildSession(client, { directories: { context: await localDirectory('./app') } });
 * ```
 */
export async function localDirectory(path: string, options: LocalDirectoryOptions = {}): Promise<DirectorySource> {
  let root: string;
  try {
    root = await realpath(path);
    if (!(await stat(root)).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new InvalidArgumentError(`Cannot serve ${path}: ${code === 'ENOENT' ? 'it does not exist' : code === 'ENOTDIR' ? 'it is not a directory' : String(code ?? error)}.`, {
      argument: 'directory',
      cause: error,
    });
  }
  const preserveOwnership = options.preserveOwnership === true;
  const absolute = (relative: string): string => (relative === '' ? root : `${root}/${relative}`);

  const entryOf = (name: string, absolutePath: string): SourceEntry | undefined => {
    let stats: BigIntStats;
    try {
      stats = lstatSync(absolutePath, { bigint: true });
    } catch (error) {
      if (isGone(error)) return undefined;
      throw error;
    }
    const mode = goFileModeOf(Number(stats.mode));
    const isFile = stats.isFile();
    const isLink = stats.isSymbolicLink();
    if (!isFile && !isLink && !stats.isDirectory()) return undefined;
    return {
      name,
      mode,
      uid: preserveOwnership ? Number(stats.uid) : 0,
      gid: preserveOwnership ? Number(stats.gid) : 0,
      size: stats.isDirectory() ? 0 : Number(stats.size),
      modTime: stats.mtimeNs,
      linkname: isLink ? readlinkSync(absolutePath) : '',
      devmajor: 0,
      devminor: 0,
      ...(isFile && stats.nlink > 1n ? { hardLinkKey: `${stats.dev}:${stats.ino}` } : {}),
    };
  };

  return {
    description: root,
    async list(relative) {
      const directory = absolute(relative);
      let names: Buffer[];
      try {
        names = readdirSync(directory, { encoding: 'buffer' });
      } catch (error) {
        if (isGone(error)) return [];
        throw error;
      }
      names.sort(Buffer.compare);
      const entries: SourceEntry[] = [];
      for (let index = 0; index < names.length; index++) {
        if (index > 0 && index % statBatch === 0) await yieldToEventLoop();
        const bytes = names[index] as Buffer;
        const name = bytes.toString('utf8');
        if (!Buffer.from(name, 'utf8').equals(bytes)) {
          throw new InvalidArgumentError(`${join(directory, name)}: the file name is not valid UTF-8, which BuildKit cannot carry.`, {
            argument: 'directory',
          });
        }
        const entry = entryOf(name, `${directory}/${name}`);
        if (entry !== undefined) entries.push(entry);
      }
      return entries;
    },
    async entry(relative) {
      const name = relative.slice(relative.lastIndexOf('/') + 1);
      return entryOf(name, absolute(relative));
    },
    async *read(relative, signal, size) {
      if (size !== undefined && size <= readChunkBytes) {
        // A small file in one call (see the note at the top).
        let content: Buffer;
        try {
          content = readFileSync(absolute(relative));
        } catch (error) {
          // fsutil sends an empty file for one that vanished between listing and reading.
          if (isGone(error)) return;
          throw error;
        }
        if (content.length > 0) yield content;
        return;
      }
      let handle;
      try {
        handle = await open(absolute(relative), 'r');
      } catch (error) {
        // fsutil sends an empty file for one that vanished between listing and reading.
        if (isGone(error)) return;
        throw error;
      }
      try {
        for (;;) {
          signal.throwIfAborted();
          const buffer = Buffer.allocUnsafe(readChunkBytes);
          const { bytesRead } = await handle.read(buffer, 0, readChunkBytes, null);
          if (bytesRead === 0) return;
          yield buffer.subarray(0, bytesRead);
          // A short read is the end of a regular file.
          if (bytesRead < readChunkBytes) return;
        }
      } finally {
        await handle.close();
      }
    },
  };
}

function isGone(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
