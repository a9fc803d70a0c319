import type { RegistryAuthConfig } from '@berth/engine-protocol';

/**
 * Credentials parsed from a config file's `auths`, and what had to be skipped.
 */
export interface ParsedAuthEntries {
  /** Entries that parsed, keyed as written in the file. */
  readonly entries: Record<string, RegistryAuthConfig>;
  /** One line per skipped entry; never contains a secret. */
  readonly warnings: string[];
}

const stringFields = ['auth', 'username', 'password', 'email', 'identitytoken', 'registrytoken'] as const;
const base64Pattern = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes an `auth` value: standard base64 of `user:password`, UTF-8. The password may hold
 * colons (only the first one splits); NULs around it are trimmed as the CLI does. Returns the
 * reason as a string when the value is broken.
 *
 * @example
 * ```ts
 * decodeAuth(Buffer.from('me:pa:ss').toString('base64')); // { username: 'me', password: 'pa:ss' }
 * decodeAuth('%%%'); // 'is not valid base64'
 * ```
 */
export function decodeAuth(value: string): { username: string; password: string } | string {
  // Go's decoder skips line breaks; everything else outside the alphabet is an error.
  const compact = value.replace(/[\r\n]/g, '');
  const padded = compact.includes('=');
  if (!base64Pattern.test(compact) || compact.length % 4 === 1 || (padded && compact.length % 4 !== 0)) {
    return 'is not valid base64';
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, 'base64'));
  } catch {
    return 'does not decode to UTF-8 text';
  }
  const colon = text.indexOf(':');
  if (colon === -1) return 'has no ":" between user name and password';
  if (colon === 0) return 'has an empty user name';
  return { username: text.slice(0, colon), password: text.slice(colon + 1).replace(/^\0+|\0+$/g, '') };
}

/**
 * Parses an `auths`-shaped map (`{registry: {auth?, username?, password?, email?,
 * identitytoken?, registrytoken?}}`). Unknown fields are ignored; an entry that is not an
 * object, has a field of the wrong type, or an `auth` that does not decode is skipped with a
 * warning naming the source and the registry key, never the value.
 *
 * @example
 * ```ts
 * const { entries, warnings } = parseAuthEntries({ 'localhost:5000': { auth: 'bWU6cHc=' } }, '/home/me/.docker/config.json');
 * entries['localhost:5000']; // { username: 'me', password: 'pw' }
 * ```
 */
export function parseAuthEntries(value: unknown, source: string): ParsedAuthEntries {
  const entries: Record<string, RegistryAuthConfig> = {};
  const warnings: string[] = [];
  if (value === undefined || value === null) return { entries, warnings };
  if (!isPlainObject(value)) {
    warnings.push(`${source}: "auths" is not an object; ignored.`);
    return { entries, warnings };
  }
  for (const [key, raw] of Object.entries(value)) {
    const where = `${source}: auths[${JSON.stringify(key)}]`;
    if (!isPlainObject(raw)) {
      warnings.push(`${where} is not an object; skipped.`);
      continue;
    }
    const fields: Partial<Record<(typeof stringFields)[number], string>> = {};
    const wrongType = stringFields.find((field) => raw[field] !== undefined && raw[field] !== null && typeof raw[field] !== 'string');
    if (wrongType !== undefined) {
      warnings.push(`${where}: "${wrongType}" is not a string; skipped.`);
      continue;
    }
    for (const field of stringFields) {
      const fieldValue = raw[field];
      if (typeof fieldValue === 'string' && fieldValue !== '') fields[field] = fieldValue;
    }
    const entry: RegistryAuthConfig = {};
    // A decoded `auth` wins over plain username/password fields, as in the CLI.
    if (fields.auth !== undefined) {
      const decoded = decodeAuth(fields.auth);
      if (typeof decoded === 'string') {
        warnings.push(`${where}: "auth" ${decoded}; skipped.`);
        continue;
      }
      entry.username = decoded.username;
      if (decoded.password !== '') entry.password = decoded.password;
    } else {
      if (fields.username !== undefined) entry.username = fields.username;
      if (fields.password !== undefined) entry.password = fields.password;
    }
    if (fields.email !== undefined) entry.email = fields.email;
    if (fields.identitytoken !== undefined) entry.identitytoken = fields.identitytoken;
    if (fields.registrytoken !== undefined) entry.registrytoken = fields.registrytoken;
    entries[key] = entry;
  }
  return { entries, warnings };
}

/**
 * True for a JSON object (not an array, not null).
 *
 * @example
 * ```ts
 * isPlainObject({}); // true
 * isPlainObject([]); // false
 * ```
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True when an entry carries something to authenticate with.
 *
 * @example
 * ```ts
 * hasCredentials({ email: 'me@example.com' }); // false
 * ```
 */
export function hasCredentials(entry: RegistryAuthConfig): boolean {
  return Boolean(entry.username || entry.password || entry.identitytoken || entry.registrytoken);
}
