// fsutil's FollowLinks: the `followpaths` of a FileSync request name files the engine wants
// (the Dockerfile, `.dockerignore`); when such a path is, or goes through, a symbolic link, the
// link's target is included too, so the engine gets what the link points to.
import { Pattern, cleanGoPath } from '@berth/build-context';
import type { DirectorySource } from './directory-source.js';
import { entryKindOf } from './go-file-mode.js';
import { directoryOfSyncPath, isInsideSyncRoot, joinSyncPath } from './sync-path.js';

/** Symbolic links followed at most, against loops. */
const maximumLinks = 255;

/**
 * The paths to include for `followPaths`: each path with every symbolic link on its way resolved
 * (the links and their targets), sorted, nested paths dropped. `undefined` when the whole
 * directory is meant (a path resolved to the root).
 *
 * @example
 * ```ts
 * // Dockerfile -> docker/Dockerfile.prod
 * await resolveFollowPaths(source, ['Dockerfile']); // ['Dockerfile', 'docker/Dockerfile.prod']
 * ```
 */
export async function resolveFollowPaths(source: DirectorySource, paths: readonly string[]): Promise<string[] | undefined> {
  const resolved = new Set<string>();
  let budget = maximumLinks;

  const readLink = async (path: string, allowWildcard: boolean): Promise<string[] | undefined> => {
    if (!isInsideSyncRoot(path) || path === '.') return undefined;
    const base = path.slice(path.lastIndexOf('/') + 1);
    if (allowWildcard && /[*?[]/.test(base.replace(/\\./g, ''))) {
      const directory = directoryOfSyncPath(path);
      const pattern = Pattern.compile(base);
      const targets: string[] = [];
      for (const entry of await source.list(directory === '.' ? '' : directory)) {
        if (pattern?.matches(entry.name)) targets.push(...((await readLink(joinSyncPath(directory, entry.name), false)) ?? []));
      }
      return targets.length === 0 ? undefined : targets;
    }
    const entry = await source.entry(path);
    if (entry === undefined || entryKindOf(entry.mode) !== 'symbolic-link') return undefined;
    const link = cleanGoPath(entry.linkname);
    return [link.startsWith('/') ? link : `/${joinSyncPath(directoryOfSyncPath(path), link)}`];
  };

  const append = async (start: string): Promise<void> => {
    let rest = joinSyncPath('.', start);
    let current = '.';
    for (;;) {
      const slash = rest.indexOf('/');
      current = joinSyncPath(current, slash === -1 ? rest : rest.slice(0, slash));
      rest = slash === -1 ? '' : rest.slice(slash + 1);
      const targets = await readLink(current, true);
      if ((rest === '' || targets !== undefined) && resolved.has(current)) return;
      if (targets !== undefined) {
        resolved.add(current);
        for (const target of targets) {
          if (--budget < 0) return;
          await append(joinSyncPath(target, rest));
        }
        return;
      }
      if (rest === '') {
        resolved.add(current);
        return;
      }
    }
  };

  for (const path of paths) await append(path);
  return dedupeNestedPaths([...resolved].sort());
}

/**
 * fsutil's dedupePaths on a sorted list: drops paths below one already kept; `undefined` when the
 * root (`.`) is among them.
 *
 * @example
 * ```ts
 * dedupeNestedPaths(['a', 'a/b', 'c']); // ['a', 'c']
 * ```
 */
export function dedupeNestedPaths(sorted: readonly string[]): string[] | undefined {
  const kept: string[] = [];
  let last: string | undefined;
  for (const path of sorted) {
    if (path === '.') return undefined;
    if (last !== undefined && path.startsWith(`${last}/`)) continue;
    kept.push(path);
    last = path;
  }
  return kept;
}
