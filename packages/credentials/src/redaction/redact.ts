import { inspect, type InspectOptionsStylized } from 'node:util';
import type { RegistryAuthConfig } from '@berth/engine-protocol';
import { encodedFormsOf } from './secret-encodings.js';

/**
 * What replaces a secret in every view of an object meant for humans or logs.
 *
 * @example
 * ```ts
 * redactAuthConfig({ password: 'x' }).password === REDACTED; // true
 * ```
 */
export const REDACTED = '[redacted]';

const secretFields = ['password', 'auth', 'identitytoken', 'registrytoken'] as const;

/**
 * A copy of credentials that is safe to print: user name, e-mail and server address stay,
 * every secret (`password`, `auth`, `identitytoken`, `registrytoken`) becomes `[redacted]`.
 *
 * @example
 * ```ts
 * redactAuthConfig({ username: 'me', password: 'hunter2' }); // { username: 'me', password: '[redacted]' }
 * ```
 */
export function redactAuthConfig(authConfig: RegistryAuthConfig): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const [key, value] of Object.entries(authConfig)) {
    if (typeof value !== 'string') continue;
    copy[key] = (secretFields as readonly string[]).includes(key) ? REDACTED : value;
  }
  return copy;
}

/**
 * Gives `target` a hidden `util.inspect` view (and, with `json: true`, a hidden `toJSON`)
 * built by `view`, so `console.log`, `util.inspect` and `JSON.stringify` show no secrets.
 * The properties are non-enumerable: spreading or `Object.keys` is unaffected. Leave `json`
 * off for objects that must serialize for real (credentials handed to `encodeRegistryAuth`).
 */
export function withRedactedView<T extends object>(target: T, view: () => unknown, options: { json?: boolean } = {}): T {
  Object.defineProperty(target, inspect.custom, {
    value: (_depth: number, inspectOptions: InspectOptionsStylized) => inspect(view(), inspectOptions),
    enumerable: false,
    configurable: true,
    writable: false,
  });
  if (options.json) {
    Object.defineProperty(target, 'toJSON', { value: view, enumerable: false, configurable: true, writable: false });
  }
  return target;
}

/**
 * Credentials with a redacted `util.inspect` view. The object still serializes in full with
 * `JSON.stringify`, because that is how it travels in `X-Registry-Auth`.
 */
export function printableAuthConfig(authConfig: RegistryAuthConfig): RegistryAuthConfig {
  return withRedactedView(authConfig, () => redactAuthConfig(authConfig));
}

/**
 * Removes every known secret from a text, in every encoding it may come back in (as is,
 * JSON-escaped, Go-quoted, URL-encoded, base64; see {@link encodedFormsOf}), longest first, so
 * that a fragment of one secret inside another does not leave part of it behind.
 *
 * @example
 * ```ts
 * scrubSecrets('bad password hunter2', ['hunter2']); // 'bad password [redacted]'
 * scrubSecrets('refused {"Secret":"pa\\"ss"}', ['pa"ss']); // 'refused {"Secret":"[redacted]"}'
 * ```
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  const ordered = [...new Set(secrets.flatMap(encodedFormsOf))].sort((a, b) => b.length - a.length);
  for (const form of ordered) result = result.split(form).join(REDACTED);
  return result;
}
