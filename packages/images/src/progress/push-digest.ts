import type { JsonMessage } from '@berth/engine-protocol';

/**
 * A manifest digest the engine reported for a pushed tag.
 *
 * @example
 * ```ts
 * const pushed: PushedDigest = { digest: 'sha256:e6f8…', tag: 'v1', size: 527 };
 * ```
 */
export interface PushedDigest {
  /** `sha256:…` */
  readonly digest: string;
  /** The pushed tag, when the engine names it. */
  readonly tag?: string;
  /** Manifest size in bytes, when sent. */
  readonly size?: number;
}

const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[+._-][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const statusLine = new RegExp(`^(\\S+): digest: (${digestPattern}) size: (\\d+)\\s*$`);
const wholeDigest = new RegExp(`^${digestPattern}$`);
const pullDigestLine = new RegExp(`^Digest: (${digestPattern})\\s*$`);

/**
 * Reads the digest of a pushed tag from one push message, in either form the engine uses:
 * `aux: {Tag, Digest, Size}` (graphdriver image store) or the status line
 * `"<tag>: digest: <digest> size: <n>"` (containerd image store; older engines send both).
 * Answers `undefined` for any other message.
 *
 * @example
 * ```ts
 * parsePushDigest({ aux: { Tag: 'v1', Digest: 'sha256:e6f8…', Size: 527 } }); // { tag: 'v1', digest: 'sha256:e6f8…', size: 527 }
 * parsePushDigest({ status: 'v1: digest: sha256:e6f8… size: 527' });          // the same
 * ```
 */
export function parsePushDigest(message: JsonMessage): PushedDigest | undefined {
  const aux = message.aux;
  if (typeof aux === 'object' && aux !== null && !Array.isArray(aux)) {
    const record = aux as Record<string, unknown>;
    const digest = record['Digest'];
    if (typeof digest !== 'string' || !wholeDigest.test(digest)) return undefined;
    const tag = record['Tag'];
    const size = record['Size'];
    return {
      digest,
      ...(typeof tag === 'string' && tag.length > 0 ? { tag } : {}),
      ...(typeof size === 'number' && Number.isFinite(size) ? { size } : {}),
    };
  }
  if (typeof message.status !== 'string') return undefined;
  const match = statusLine.exec(message.status);
  if (match === null) return undefined;
  const [, tag, digest, size] = match as unknown as [string, string, string, string];
  return { tag, digest, size: Number(size) };
}

/**
 * Reads the digest a pull reports at its end (`Digest: sha256:…`), or `undefined`.
 *
 * @example
 * ```ts
 * parsePullDigest({ status: 'Digest: sha256:641e…' }); // 'sha256:641e…'
 * ```
 */
export function parsePullDigest(message: JsonMessage): string | undefined {
  if (typeof message.status !== 'string') return undefined;
  const match = pullDigestLine.exec(message.status);
  return match?.[1];
}
