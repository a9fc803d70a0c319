import { readFile } from 'node:fs/promises';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { errorCode } from '@berth/engine-protocol/internal';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';

/** An identity file to try, and where it was named. */
export interface IdentityCandidate {
  /** Absolute path of the private key. */
  readonly path: string;
  /**
   * `option`: named by the caller (a missing or unreadable file is an error);
   * `config`: an `IdentityFile` of ssh_config; `default`: `~/.ssh/id_*` (both skipped quietly when absent).
   */
  readonly origin: 'option' | 'config' | 'default';
}

/** A private key ready for public-key authentication. */
export interface LoadedIdentity {
  /** Where it was read from. */
  readonly path: string;
  /** The parsed (decrypted) key. */
  readonly key: ParsedKey;
}

/** The keys that could be loaded, and why the others were left out. */
export interface LoadedIdentities {
  /** Keys to offer, in order. */
  readonly keys: readonly LoadedIdentity[];
  /** Keys left out, with the reason: named in the authentication error. */
  readonly skipped: readonly string[];
}

/**
 * Reads and decrypts identity files. A key the caller named that is missing, unreadable, or
 * encrypted without (or with a wrong) passphrase is an `InvalidArgumentError`; the same problem
 * with an ssh_config or default key only leaves that key out. The passphrase never appears in
 * a message.
 *
 * @example
 * ```ts
 * const { keys } = await loadIdentities([{ path: '/home/ada/.ssh/id_ed25519', origin: 'default' }], undefined);
 * ```
 */
export async function loadIdentities(candidates: readonly IdentityCandidate[], passphrase: string | undefined): Promise<LoadedIdentities> {
  const keys: LoadedIdentity[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (seen.has(candidate.path)) continue;
    seen.add(candidate.path);
    let data: Buffer;
    try {
      data = await readFile(candidate.path);
    } catch (cause) {
      const code = errorCode(cause);
      if (candidate.origin === 'option') {
        throw new InvalidArgumentError(`Cannot read the identity file ${candidate.path} (${code ?? 'read error'}).`, {
          argument: 'identityFiles',
          cause,
        });
      }
      if (code !== 'ENOENT' && code !== 'ENOTDIR') skipped.push(`${candidate.path} (unreadable: ${code ?? 'read error'})`);
      continue;
    }
    const parsed = parseIdentity(data, passphrase);
    if ('problem' in parsed) {
      if (candidate.origin === 'option') {
        throw new InvalidArgumentError(`Cannot use the identity file ${candidate.path}: ${parsed.problem}.`, {
          argument: parsed.problem.includes('passphrase') ? 'passphrase' : 'identityFiles',
        });
      }
      skipped.push(`${candidate.path} (${parsed.problem})`);
      continue;
    }
    keys.push({ path: candidate.path, key: parsed.key });
  }
  return { keys, skipped };
}

function parseIdentity(data: Buffer, passphrase: string | undefined): { key: ParsedKey } | { problem: string } {
  const parsed = ssh2.utils.parseKey(data, passphrase);
  // OpenSSH's format may hold several keys; ssh itself only uses the first.
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey | undefined) : parsed;
  if (key === undefined) return { problem: 'no key in the file' };
  if (key instanceof Error) {
    if (/no passphrase/i.test(key.message)) return { problem: 'it is encrypted and no passphrase was given' };
    if (passphrase !== undefined && /passphrase|decrypt|integrity/i.test(key.message)) return { problem: 'the passphrase does not decrypt it' };
    return { problem: `unsupported key format (${key.message})` };
  }
  if (!key.isPrivateKey()) return { problem: 'it holds a public key, not a private one' };
  return { key };
}
