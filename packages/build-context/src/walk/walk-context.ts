// Walks a context directory the way the Docker CLI's archiver does (moby's TarWithOptions over
// filepath.WalkDir): depth first, names in byte order, a directory before its contents, the
// .dockerignore decision made per path with the parent directory's match state.
import type { BigIntStats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '@berth/engine-protocol';
import type { ParentMatchState, PatternMatcher } from '../dockerignore/pattern-matcher.js';
import { errorCode, unreadableContextPathError } from './file-system-error.js';

/** One path that belongs in the build context. */
export interface ContextEntry {
  /** Path relative to the context root, `/`-separated, no trailing slash. */
  readonly relativePath: string;
  /** Absolute path on disk. */
  readonly absolutePath: string;
  /** `lstat` of the path (symbolic links are not followed). */
  readonly stats: BigIntStats;
}

/** What {@link walkContext} walks and how it filters. */
export interface WalkContextOptions {
  /** Absolute, symlink-free path of the context directory. */
  readonly root: string;
  /** The .dockerignore rules. */
  readonly matcher: PatternMatcher;
  /** Paths sent even when the rules exclude them (the Dockerfile and `.dockerignore`). */
  readonly forcedPaths: ReadonlySet<string>;
}

/**
 * Yields, in archive order, every entry of the context that is not excluded: regular files,
 * directories and symbolic links (never followed). Sockets, FIFOs and devices are left out.
 * An excluded directory is not yielded, but it is still entered when an exception (or a
 * forced path) may re-include something below it. A path that disappears during the walk is
 * skipped; an unreadable directory throws `InvalidArgumentError` naming it.
 *
 * @example
 * ```ts
 * for await (const entry of walkContext({ root, matcher: new PatternMatcher(['*.log']), forcedPaths: new Set() })) {
 *   console.log(entry.relativePath);
 * }
 * ```
 */
export async function* walkContext(options: WalkContextOptions): AsyncGenerator<ContextEntry, void, undefined> {
  const forcedAncestors = new Set<string>();
  for (const path of options.forcedPaths) {
    const parts = path.split('/');
    for (let length = 1; length < parts.length; length++) forcedAncestors.add(parts.slice(0, length).join('/'));
  }
  yield* walkDirectory(options, forcedAncestors, options.root, '', undefined);
}

async function* walkDirectory(
  options: WalkContextOptions,
  forcedAncestors: ReadonlySet<string>,
  absoluteDirectory: string,
  relativeDirectory: string,
  parentState: ParentMatchState | undefined,
): AsyncGenerator<ContextEntry, void, undefined> {
  for (const name of await readSortedNames(absoluteDirectory)) {
    const relativePath = relativeDirectory === '' ? name : `${relativeDirectory}/${name}`;
    const absolutePath = join(absoluteDirectory, name);
    let stats: BigIntStats;
    try {
      stats = await lstat(absolutePath, { bigint: true });
    } catch (error) {
      if (errorCode(error) === 'ENOENT') continue;
      throw unreadableContextPathError(absolutePath, 'file', error);
    }
    const isDirectory = stats.isDirectory();
    const { excluded, state } = options.matcher.matchWithParent(relativePath, parentState);
    if (excluded && !options.forcedPaths.has(relativePath)) {
      if (isDirectory && (options.matcher.mayReincludeUnder(relativePath) || forcedAncestors.has(relativePath))) {
        yield* walkDirectory(options, forcedAncestors, absolutePath, relativePath, state);
      }
      continue;
    }
    if (isDirectory) {
      yield { relativePath, absolutePath, stats };
      yield* walkDirectory(options, forcedAncestors, absolutePath, relativePath, state);
    } else if (stats.isFile() || stats.isSymbolicLink()) {
      yield { relativePath, absolutePath, stats };
    }
  }
}

// os.ReadDir order: names sorted by their bytes (not by UTF-16 code units).
async function readSortedNames(directory: string): Promise<string[]> {
  let names: Buffer[];
  try {
    names = await readdir(directory, { encoding: 'buffer' });
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw unreadableContextPathError(directory, 'directory', error);
  }
  names.sort(Buffer.compare);
  return names.map((bytes) => {
    const name = bytes.toString('utf8');
    if (!Buffer.from(name, 'utf8').equals(bytes)) {
      throw new InvalidArgumentError(`The build context holds a file name that is not valid UTF-8: "${join(directory, name)}".`, {
        argument: 'contextPath',
      });
    }
    return name;
  });
}
