// Every way an error or object may end up printed or logged, to prove that no secret is in it.
import { inspect } from 'node:util';

/**
 * message, `String()`, stack, `util.inspect` (hidden properties too) and `JSON.stringify` of a
 * value and of every cause under it, joined.
 *
 * @example
 * ```ts
 * expect(everyRendering(error)).not.toContain(password);
 * ```
 */
export function everyRendering(value: unknown): string {
  const parts: string[] = [];
  let current: unknown = value;
  for (let depth = 0; depth < 10 && current !== undefined && current !== null; depth++) {
    parts.push(inspect(current, { depth: Infinity, showHidden: true }), JSON.stringify(current) ?? '', String(current));
    if (!(current instanceof Error)) break;
    parts.push(current.message, current.stack ?? '');
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

/**
 * The value and its causes, outermost first.
 *
 * @example
 * ```ts
 * expect(causeChain(error).some((link) => link instanceof SyntaxError)).toBe(false);
 * ```
 */
export function causeChain(value: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = value; current !== undefined && current !== null && chain.length < 10; current = (current as { cause?: unknown }).cause) {
    chain.push(current);
  }
  return chain;
}

/**
 * Every `length`-character piece of the texts: a leak of part of a secret still shows.
 *
 * @example
 * ```ts
 * for (const piece of secretPiecesOf([password])) expect(everyRendering(error)).not.toContain(piece);
 * ```
 */
export function secretPiecesOf(texts: readonly string[], length = 6): string[] {
  const pieces = new Set<string>();
  for (const text of texts) for (let index = 0; index + length <= text.length; index++) pieces.add(text.slice(index, index + length));
  return [...pieces];
}

/**
 * The forms of `username:password` a leak could take: the password, its base64, and the base64
 * of `username:password` (config.json's `auth`, a Basic header).
 *
 * @example
 * ```ts
 * expect(secretsIn(error, secretFormsOf('me', 'hunter2'))).toEqual([]);
 * ```
 */
export function secretFormsOf(username: string, password: string): string[] {
  return [password, Buffer.from(password).toString('base64'), Buffer.from(`${username}:${password}`).toString('base64')];
}

/**
 * The secrets that show in some rendering of `value` (the empty list is the good answer).
 *
 * @example
 * ```ts
 * expect(secretsIn(error, [password, token])).toEqual([]);
 * ```
 */
export function secretsIn(value: unknown, secrets: readonly string[]): string[] {
  const text = everyRendering(value);
  return secrets.filter((secret) => text.includes(secret));
}
