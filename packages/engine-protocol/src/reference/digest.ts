import { digestPattern } from './grammar.js';

/**
 * Hex lengths of the digest algorithms the engine registers. go-digest only accepts these,
 * and only in lowercase hex, even though the reference grammar itself is looser.
 */
const hexLengthByAlgorithm: Readonly<Record<string, number>> = { sha256: 64, sha384: 96, sha512: 128 };

/**
 * Says what is wrong with a digest, or returns undefined when the engine would accept it.
 * Internal: the public checks are {@link isValidDigest} and `parseReference`.
 */
export function describeDigestProblem(digest: string): string | undefined {
  if (digest === '') return 'the digest after "@" is empty';
  if (!digestPattern.test(digest)) {
    return `digest ${JSON.stringify(digest)} is not of the form "algorithm:hex" (e.g. "sha256:" followed by 64 hex digits)`;
  }
  const separatorIndex = digest.indexOf(':');
  const algorithm = digest.slice(0, separatorIndex);
  const hex = digest.slice(separatorIndex + 1);
  const expectedLength = hexLengthByAlgorithm[algorithm];
  if (expectedLength === undefined) {
    return `digest algorithm ${JSON.stringify(algorithm)} is not supported (use ${Object.keys(hexLengthByAlgorithm).join(', ')})`;
  }
  if (hex.length !== expectedLength) {
    return `a ${algorithm} digest needs exactly ${expectedLength} hex digits, this one has ${hex.length}`;
  }
  if (hex !== hex.toLowerCase()) return `the hex digits of a ${algorithm} digest must be lowercase`;
  return undefined;
}

/**
 * Whether `digest` is a digest the engine accepts in a reference: `sha256:` with 64, `sha384:`
 * with 96 or `sha512:` with 128 lowercase hex digits.
 *
 * @example
 * ```ts
 * isValidDigest('sha256:' + 'a'.repeat(64)); // true
 * isValidDigest('sha256:abc'); // false
 * ```
 */
export function isValidDigest(digest: string): boolean {
  return describeDigestProblem(digest) === undefined;
}
