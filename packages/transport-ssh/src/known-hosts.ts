import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { matchHostPatternList } from './host-pattern.js';

/** The host field of a known_hosts line: patterns, or one hashed (`|1|salt|hash`) name. */
export type KnownHostNames =
  | { readonly kind: 'patterns'; readonly patterns: readonly string[] }
  | { readonly kind: 'hashed'; readonly salt: Buffer; readonly hash: Buffer };

/** One line of a known_hosts file. */
export interface KnownHostEntry {
  /** `@revoked` or `@cert-authority` when the line has a marker. */
  readonly marker: 'revoked' | 'cert-authority' | undefined;
  /** The hosts the line is for. */
  readonly names: KnownHostNames;
  /** The key type named on the line (`ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`, …). */
  readonly keyType: string;
  /** The public key blob (SSH wire format). */
  readonly key: Buffer;
  /** Where the line is: `file:line`. */
  readonly source: string;
}

/** The outcome of checking a server's host key against known_hosts. */
export type HostKeyVerdict =
  | { readonly status: 'trusted'; readonly source: string }
  | { readonly status: 'revoked'; readonly source: string }
  | { readonly status: 'unknown' }
  | { readonly status: 'changed'; readonly known: readonly { readonly keyType: string; readonly fingerprint: string; readonly source: string }[] };

/**
 * Parses known_hosts text (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): optional `@revoked` /
 * `@cert-authority` marker, comma-separated host patterns (`*`, `?`, `!`, `[host]:port`) or a
 * hashed `|1|salt|hash` name, key type, base64 key, comment. Malformed lines are skipped,
 * as OpenSSH does.
 */
export function parseKnownHosts(text: string, file = 'known_hosts'): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const [index, rawLine] of text.split(/\r?\n/).entries()) {
    const fields = rawLine.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) continue;
    let marker: KnownHostEntry['marker'];
    if (fields[0].startsWith('@')) {
      const name = fields.shift();
      if (name === '@revoked') marker = 'revoked';
      else if (name === '@cert-authority') marker = 'cert-authority';
      else continue;
    }
    const [hostField, keyType, keyText] = fields;
    if (hostField === undefined || keyType === undefined || keyText === undefined) continue;
    const names = parseNames(hostField);
    if (names === undefined) continue;
    const key = Buffer.from(keyText, 'base64');
    // A blob starts with its own type; a line whose two disagree is corrupt.
    if (blobKeyType(key) !== keyType) continue;
    entries.push({ marker, names, keyType, key, source: `${file}:${index + 1}` });
  }
  return entries;
}

/**
 * The name known_hosts uses for a host: the host itself on port 22, `[host]:port` otherwise.
 *
 * @example
 * ```ts
 * knownHostName('127.0.0.1', 2222); // '[127.0.0.1]:2222'
 * ```
 */
export function knownHostName(host: string, port: number): string {
  const lower = host.toLowerCase();
  return port === 22 ? lower : `[${lower}]:${port}`;
}

/**
 * Whether a known_hosts entry is about the given name (from {@link knownHostName}).
 */
export function entryMatchesHost(entry: KnownHostEntry, name: string): boolean {
  if (entry.names.kind === 'patterns') return matchHostPatternList(entry.names.patterns, name);
  const hash = createHmac('sha1', entry.names.salt).update(name).digest();
  return hash.length === entry.names.hash.length && timingSafeEqual(hash, entry.names.hash);
}

/**
 * Checks the key a server presented against known_hosts entries, like OpenSSH: a revoked key
 * is refused anywhere; a key listed for the host is trusted; a host listed with other keys has
 * changed its key; a host not listed at all is unknown. `@cert-authority` lines are ignored
 * (host certificates are not supported).
 */
export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, presented: Buffer): HostKeyVerdict {
  const revoked = entries.find((entry) => entry.marker === 'revoked' && entry.key.equals(presented));
  if (revoked) return { status: 'revoked', source: revoked.source };
  const name = knownHostName(host, port);
  const forHost = entries.filter((entry) => entry.marker === undefined && entryMatchesHost(entry, name));
  const trusted = forHost.find((entry) => entry.key.equals(presented));
  if (trusted) return { status: 'trusted', source: trusted.source };
  if (forHost.length === 0) return { status: 'unknown' };
  return {
    status: 'changed',
    known: forHost.map((entry) => ({ keyType: entry.keyType, fingerprint: hostKeyFingerprint(entry.key), source: entry.source })),
  };
}

/**
 * The key types known_hosts lists for a host, so the handshake can ask the server for one of
 * those first (as OpenSSH does) instead of failing on a key of another type.
 */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const name = knownHostName(host, port);
  const types = entries.filter((entry) => entry.marker === undefined && entryMatchesHost(entry, name)).map((entry) => entry.keyType);
  return [...new Set(types)];
}

/**
 * OpenSSH's SHA256 fingerprint of a public key blob, as `ssh-keygen -lf` prints it.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 *
 * // The key of a known_hosts line (`host ssh-ed25519 AAAA…`), as ssh-keygen -l shows it.
 * const key = Buffer.from(readFileSync('/etc/ssh/ssh_host_ed25519_key.pub', 'utf8').split(' ')[1] ?? '', 'base64');
 * hostKeyFingerprint(key); // 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s'
 * ```
 */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/**
 * The type string at the start of a public key blob, or `undefined` when it has none.
 */
export function blobKeyType(key: Buffer): string | undefined {
  if (key.length < 4) return undefined;
  const length = key.readUInt32BE(0);
  if (length === 0 || length > 64 || key.length < 4 + length) return undefined;
  return key.subarray(4, 4 + length).toString('latin1');
}

function parseNames(field: string): KnownHostNames | undefined {
  if (field.startsWith('|1|')) {
    const [salt, hash] = field.slice(3).split('|');
    if (!salt || !hash) return undefined;
    return { kind: 'hashed', salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
  }
  const patterns = field.split(',').filter((pattern) => pattern !== '');
  return patterns.length === 0 ? undefined : { kind: 'patterns', patterns };
}
