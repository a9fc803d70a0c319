// The entries a FileSync request gets, in the order fsutil's filtered walk sends them: depth
// first, names in byte order; include patterns (plus resolved `followpaths`) and exclude patterns
// matched with the .dockerignore matcher of @berth/build-context (moby/patternmatcher's rules);
// a directory left out by the patterns is sent only when something below it is, just before it;
// directories nothing below can match are not entered at all.
import { PatternMatcher, type ParentMatchState } from '@berth/build-context';
import type { FileStat } from '../messages/file-sync-packet.js';
import type { DirectorySource, SourceEntry } from './directory-source.js';
import { resolveFollowPaths } from './follow-paths.js';
import { entryKindOf } from './go-file-mode.js';

/**
 * The filters of one FileSync request (its `include-patterns`, `exclude-patterns` and
 * `followpaths` metadata).
 *
 * @example
 * ```ts
 * const filters: SyncFilters = { includePatterns: [], excludePatterns: ['node_modules', '*.log'], followPaths: [] };
 * ```
 */
export interface SyncFilters {
  readonly includePatterns: readonly string[];
  readonly excludePatterns: readonly string[];
  readonly followPaths: readonly string[];
}

/**
 * One entry to send: its stat, and whether the engine may ask for its content (a regular file).
 *
 * @example
 * ```ts
 * for await (const { stat, requestable } of walkForSync(source, filters, signal)) console.log(stat.path, requestable);
 * ```
 */
export interface SyncEntry {
  readonly stat: FileStat;
  readonly requestable: boolean;
}

// Characters that make a pattern more than a plain path prefix (fsutil's patternChars on Unix).
const patternCharacters = /[*[\]?^\\]/;

// fsutil's patternWithoutTrailingGlob: the pattern without one trailing `/**`, then `/*`.
function withoutTrailingGlob(text: string): string {
  let result = text.endsWith('/**') ? text.slice(0, -3) : text;
  if (result.endsWith('/*')) result = result.slice(0, -2);
  return result;
}

interface PendingDirectory {
  readonly stat: FileStat;
  sent: boolean;
}

/**
 * Walks a directory source with a request's filters and yields what to send, parents before
 * children. Hard links (regular files sharing an inode with one already sent) carry the first
 * path as `linkname`. Invalid patterns throw `InvalidArgumentError` (argument `dockerignore`).
 *
 * @example
 * ```ts
 * for await (const entry of walkForSync(await localDirectory('./app'), { includePatterns: [], excludePatterns: ['dist'], followPaths: [] }, signal)) {
 *   console.log(entry.stat.path);
 * }
 * ```
 */
export async function* walkForSync(source: DirectorySource, filters: SyncFilters, signal: AbortSignal): AsyncGenerator<SyncEntry, void, undefined> {
  let includes = [...filters.includePatterns];
  if (filters.followPaths.length > 0) {
    const followed = await resolveFollowPaths(source, filters.followPaths);
    if (followed !== undefined) includes = [...includes, ...followed];
  }
  const include = includes.length > 0 ? new PatternMatcher(includes) : undefined;
  const exclude = filters.excludePatterns.length > 0 ? new PatternMatcher(filters.excludePatterns) : undefined;

  const includePrefixes = (include?.patterns ?? []).filter((pattern) => !pattern.exclusion).map((pattern) => `${withoutTrailingGlob(pattern.text)}/`);
  const onlyPrefixIncludes = !includePrefixes.some((prefix) => patternCharacters.test(prefix));
  const exceptionPrefixes = (exclude?.patterns ?? []).filter((pattern) => pattern.exclusion).map((pattern) => `${withoutTrailingGlob(pattern.text)}/`);
  const onlyPrefixExceptions = !exceptionPrefixes.some((prefix) => patternCharacters.test(prefix));
  const firstPathOfInode = new Map<string, string>();

  // One explicit stack of directories rather than nested generators: every entry would
  // otherwise pass through one `yield*` per level of depth.
  interface Frame {
    readonly directory: string;
    readonly entries: SourceEntry[];
    index: number;
    readonly includeState: ParentMatchState | undefined;
    readonly excludeState: ParentMatchState | undefined;
    readonly parents: readonly PendingDirectory[];
  }
  const stack: Frame[] = [{ directory: '', entries: await source.list(''), index: 0, includeState: undefined, excludeState: undefined, parents: [] }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    const entry = frame.entries[frame.index++];
    if (entry === undefined) {
      stack.pop();
      continue;
    }
    signal.throwIfAborted();
    const { directory, includeState, excludeState, parents } = frame;
    const path = directory === '' ? entry.name : `${directory}/${entry.name}`;
    const kind = entryKindOf(entry.mode);
    const isDirectory = kind === 'directory';
    let skip = false;
    let childIncludeState: ParentMatchState | undefined;
    let childExcludeState: ParentMatchState | undefined;
    if (include !== undefined) {
      const result = include.matchWithParent(path, includeState);
      childIncludeState = result.state;
      // For include patterns, "matched" is what the matcher calls excluded.
      if (!result.excluded) {
        if (isDirectory && onlyPrefixIncludes && !includePrefixes.some((prefix) => prefix.startsWith(`${path}/`))) continue;
        skip = true;
      }
    }
    if (exclude !== undefined) {
      const result = exclude.matchWithParent(path, excludeState);
      childExcludeState = result.state;
      if (result.excluded) {
        if (isDirectory && onlyPrefixExceptions && !exceptionPrefixes.some((prefix) => prefix.startsWith(`${path}/`))) continue;
        skip = true;
      }
    }
    const hardLinkKey = entry.hardLinkKey;
    // Built field by field: rest/spread copies cost more than the walk on big contexts.
    let stat: FileStat = {
      path,
      mode: entry.mode,
      uid: entry.uid,
      gid: entry.gid,
      size: entry.size,
      modTime: entry.modTime,
      linkname: entry.linkname,
      devmajor: entry.devmajor,
      devminor: entry.devminor,
    };
    if (!skip) {
      for (const parent of parents) {
        if (parent.sent) continue;
        parent.sent = true;
        yield { stat: parent.stat, requestable: false };
      }
      if (hardLinkKey !== undefined) {
        const first = firstPathOfInode.get(hardLinkKey);
        if (first === undefined) firstPathOfInode.set(hardLinkKey, path);
        else stat = { path, mode: entry.mode, uid: entry.uid, gid: entry.gid, size: 0, modTime: entry.modTime, linkname: first, devmajor: 0, devminor: 0 };
      }
      yield { stat, requestable: kind === 'file' };
    }
    if (isDirectory) {
      stack.push({
        directory: path,
        entries: await source.list(path),
        index: 0,
        includeState: childIncludeState,
        excludeState: childExcludeState,
        // Only directories left out so far need to be carried: they are listed when a child is.
        parents: skip ? [...parents, { stat, sent: false }] : parents.every((parent) => parent.sent) ? [] : parents,
      });
    }
  }
}
