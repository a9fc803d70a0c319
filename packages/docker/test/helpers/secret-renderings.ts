// Every way an error may end up printed or logged, to prove that no registry secret is in it.
import { inspect } from 'node:util';

/** message, String(), stack, util.inspect (hidden properties too) and JSON.stringify of the value and its causes. */
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
 * The forms of `username:password` a leak could take: the password, its base64, and the base64
 * of `username:password` (config.json's `auth`, a Basic header).
 */
export function secretFormsOf(username: string, password: string): string[] {
  return [password, Buffer.from(password).toString('base64'), Buffer.from(`${username}:${password}`).toString('base64')];
}

/** The secret forms that show in some rendering of `value` (the empty list is the good answer). */
export function secretsIn(value: unknown, secrets: readonly string[]): string[] {
  const text = everyRendering(value);
  return secrets.filter((secret) => text.includes(secret));
}
