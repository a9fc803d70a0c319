// Slash-separated path helpers for synced directories (Go's path.Clean and path.Join, which the
// patterns and paths on the wire follow). path.Clean is @berth/build-context's cleanGoPath.
import { cleanGoPath } from '@berth/build-context';

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
  const cleaned = cleanGoPath(parts.filter((part) => part !== '').join('/'));
  return cleaned.startsWith('/') ? cleanGoPath(cleaned.slice(1)) : cleaned;
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
