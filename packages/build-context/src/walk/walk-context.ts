// Walks a context directory the way the Docker CLI's archiver does (moby's TarWithOptions over
// filepath.WalkDir): depth first, names in byte order, a directory before its contents, the
// .dockerignore decision made per path with the parent directory's match state.
//
// One walk lists the context and proves every file readable (the CLI's ValidateContextDirectory
// opens each file before sending anything). The file-system calls are synchronous, in slices
// of a few milliseconds with a turn of the event loop between them: for thousands of small
// files that is several times faster than a thread-pool round trip per call, and the process
// stays responsive.
import { closeSync, constants, lstatSync, openSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AbortedError, InvalidArgumentError } from '@berth/engine-protocol';
import type { ParentMatchState, PatternMatcher } from '../dockerignore/pattern-matcher.js';
import { errorCode, unreadableContextPathError } from './file-system-error.js';

/** One path that belongs in the build context. */
export interface ContextEntry {
  /** Path relative to the context root, `/`-separated, no trailing slash. */
  readonly relativePath: string;
  /** Absolute path on disk. */
  readonly absolutePath: string;
  /** `lstat` of the path (symbolic links are not followed). */
  readonly stats: Stats;
}

/** What {@link listContext} walks and how it filters. */
export interface WalkContextOptions {
  /** Absolute, symlink-free path of the context directory. */
  readonly root: string;
  /** The .dockerignore rules. */
  readonly matcher: PatternMatcher;
  /** Paths sent even when the rules exclude them (the Dockerfile and `.dockerignore`). */
  readonly forcedPaths: ReadonlySet<string>;
}

/** Longest run of synchronous file-system calls before the event loop gets a turn. */
const SLICE_MS = 4;
const OPEN_CHECK_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Lists, in archive order, every entry of the context that is not excluded: regular files,
 * directories and symbolic links (never followed). Sockets, FIFOs and devices are left out.
 * An excluded directory is not listed, but it is still entered when an exception (or a
 * forced path) may re-include something below it. Each regular file is opened and closed once,
 * so an unreadable one fails here, before anything is sent. A path that disappears during the
 * walk is skipped; an unreadable file or directory throws `InvalidArgumentError` naming it;
 * an aborted `signal` throws `AbortedError`.
 *
 * The list holds names and `lstat` results, never file contents.
 *
 * @example
 * ```ts
 * const entries = await listContext({ root, matcher: new PatternMatcher(['*.log']), forcedPaths: new Set() });
 * for (const entry of entries) console.log(entry.relativePath);
 * ```
 */
export async function listContext(options: WalkContextOptions, signal?: AbortSignal): Promise<ContextEntry[]> {
  const forcedAncestors = new Set<string>();
  for (const path of options.forcedPaths) {
    const parts = path.split('/');
    for (let length = 1; length < parts.length; length++) forcedAncestors.add(parts.slice(0, length).join('/'));
  }
  const walker = new Walker(options, forcedAncestors, signal);
  await walker.walk(options.root, '', undefined);
  return walker.entries;
}

/**
 * {@link listContext} as an async iterable, one entry at a time.
 *
 * @example
 * ```ts
 * for await (const entry of walkContext({ root, matcher, forcedPaths: new Set() })) console.log(entry.relativePath);
 * ```
 */
export async function* walkContext(options: WalkContextOptions, signal?: AbortSignal): AsyncGenerator<ContextEntry, void, undefined> {
  yield* await listContext(options, signal);
}

class Walker {
  readonly entries: ContextEntry[] = [];
  readonly #options: WalkContextOptions;
  readonly #forcedAncestors: ReadonlySet<string>;
  readonly #signal: AbortSignal | undefined;
  #sliceStart = performance.now();
  #callsInSlice = 0;

  constructor(options: WalkContextOptions, forcedAncestors: ReadonlySet<string>, signal: AbortSignal | undefined) {
    this.#options = options;
    this.#forcedAncestors = forcedAncestors;
    this.#signal = signal;
  }

  async walk(absoluteDirectory: string, relativeDirectory: string, parentState: ParentMatchState | undefined): Promise<void> {
    const { matcher, forcedPaths } = this.#options;
    for (const name of readSortedNames(absoluteDirectory)) {
      if (++this.#callsInSlice >= 64) await this.#maybeYield();
      const relativePath = relativeDirectory === '' ? name : `${relativeDirectory}/${name}`;
      const absolutePath = join(absoluteDirectory, name);
      let stats: Stats | undefined;
      try {
        stats = lstatSync(absolutePath, { throwIfNoEntry: false });
      } catch (error) {
        throw unreadableContextPathError(absolutePath, 'file', error);
      }
      if (stats === undefined) continue;
      const isDirectory = stats.isDirectory();
      const { excluded, state } = matcher.matchWithParent(relativePath, parentState);
      if (excluded && !forcedPaths.has(relativePath)) {
        if (isDirectory && (matcher.mayReincludeUnder(relativePath) || this.#forcedAncestors.has(relativePath))) {
          await this.walk(absolutePath, relativePath, state);
        }
        continue;
      }
      if (isDirectory) {
        this.entries.push({ relativePath, absolutePath, stats });
        await this.walk(absolutePath, relativePath, state);
      } else if (stats.isFile()) {
        if (isReadable(absolutePath)) this.entries.push({ relativePath, absolutePath, stats });
      } else if (stats.isSymbolicLink()) {
        this.entries.push({ relativePath, absolutePath, stats });
      }
    }
  }

  async #maybeYield(): Promise<void> {
    this.#callsInSlice = 0;
    if (this.#signal?.aborted) throw new AbortedError('Packing the build context was aborted.', { cause: this.#signal.reason });
    if (performance.now() - this.#sliceStart < SLICE_MS) return;
    await nextTurn();
    if (this.#signal?.aborted) throw new AbortedError('Packing the build context was aborted.', { cause: this.#signal.reason });
    this.#sliceStart = performance.now();
  }
}

/**
 * Opens and closes a context file to prove it is readable. `false` when it vanished meanwhile
 * (it is then left out, as the walk would not have seen it a moment later).
 */
function isReadable(absolutePath: string): boolean {
  let descriptor: number;
  try {
    descriptor = openSync(absolutePath, OPEN_CHECK_FLAGS);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw unreadableContextPathError(absolutePath, 'file', error);
  }
  closeSync(descriptor);
  return true;
}

// os.ReadDir order: names sorted by their bytes (not by UTF-16 code units).
function readSortedNames(directory: string): string[] {
  let names: Buffer[];
  try {
    names = readdirSync(directory, { encoding: 'buffer' });
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
