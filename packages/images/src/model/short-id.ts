const digestPrefix = 'sha256:';
const shortLength = 12;

/**
 * Shortens an object id the way `docker images` shows it: `sha256:` plus 12 hex characters
 * when the id carries the prefix, else its first 12 characters.
 *
 * @example
 * ```ts
 * shortenId('sha256:3294076610dbfcdd019a71ce46d73876acb29d05e22fb747e9aec576ee53e518'); // 'sha256:3294076610db'
 * shortenId('3294076610dbfcdd019a71ce46d7'); // '3294076610db'
 * ```
 */
export function shortenId(id: string): string {
  if (id.startsWith(digestPrefix)) return id.slice(0, digestPrefix.length + shortLength);
  return id.slice(0, shortLength);
}
