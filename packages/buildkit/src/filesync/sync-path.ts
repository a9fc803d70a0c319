// Slash-separated path helpers for synced directories (Go's path.Clean and path.Join, which the
// patterns and paths on the wire follow).

/**
 * `path.Clean`: collapses slashes, drops `.`, resolves `..` lexically; `''` becomes `.`.
 *
 * @example
 * ```ts
 * cleanSyncPath('./a//b/../c/'); // 'a/c'
 * ```
 */
export function cleanSyncPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const kept: string[] = [];
  for (const element of path.split('/')) {
    if (element === '' || element === '.') continue;
    if (element === '..') {
      if (kept.length > 0 && kept[kept.length - 1] !== '..') kept.pop();
      else if (!rooted) kept.push('..');
      continue;
    }
    kept.push(element);
  }
  const joined = kept.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/**
 * `path.Join` of relative parts, cleaned; a rooted part makes the result relative to the root
 * (`joinSyncPath('.', '/a')` is `a`), as fsutil treats absolute link targets.
 *
 * @example
 * ```ts
 * joinSyncPath('a/b', '../c'); // 'a/c'
 * ```
 */
export function joinSyncPath(...parts: string[]): string {
  const cleaned = cleanSyncPath(parts.filter((part) => part !== '').join('/'));
  return cleaned.startsWith('/') ? cleanSyncPath(cleaned.slice(1)) : cleaned;
}

/**
 * The directory part of a cleaned relative path (`.` for a top-level name).
 *
 * @example
 * ```ts
 * directoryOfSyncPath('a/b/c'); // 'a/b'
 * ```
 */
export function directoryOfSyncPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '.' : path.slice(0, slash);
}

/**
 * Whether a cleaned relative path stays inside the directory (no leading `..`).
 *
 * @example
 * ```ts
 * isInsideSyncRoot('../etc'); // false
 * ```
 */
export function isInsideSyncRoot(path: string): boolean {
  return path !== '..' && !path.startsWith('../') && !path.startsWith('/');
}
