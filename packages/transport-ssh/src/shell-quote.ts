/**
 * Quotes a word for the remote user's POSIX shell (sshd runs exec requests through it).
 * Plain words stay as they are, so commands in messages stay readable.
 *
 * @example
 * ```ts
 * shellQuote('unix:///run/docker.sock'); // unix:///run/docker.sock
 * shellQuote("/tmp/it's here.sock");     // '/tmp/it'\''s here.sock'
 * ```
 */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./:@%+=,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
