import { InvalidArgumentError } from '../errors/index.js';
import { parseReference } from './parse-reference.js';

/**
 * The parts {@link formatReference} joins.
 *
 * @example
 * ```ts
 * const parts: ReferenceParts = { name: 'localhost:5000/app', tag: 'v1' };
 * formatReference(parts); // 'localhost:5000/app:v1'
 * ```
 */
export interface ReferenceParts {
  /** Repository name without tag or digest, familiar (`busybox`) or qualified (`docker.io/library/busybox`). */
  name: string;
  /** Optional tag. */
  tag?: string | undefined;
  /** Optional digest, `algorithm:hex`. */
  digest?: string | undefined;
}

/**
 * Joins a repository name, tag and digest into `name[:tag][@digest]`, keeping the name as
 * written (no normalisation), after checking that the result is a valid reference.
 *
 * @throws InvalidArgumentError (`argument: 'reference'`) when a part is invalid or the name
 *   already carries a tag or digest.
 *
 * @example
 * ```ts
 * formatReference({ name: 'localhost:5000/app', tag: 'v1' }); // 'localhost:5000/app:v1'
 * formatReference({ name: 'busybox', digest: 'sha256:' + 'a'.repeat(64) }); // 'busybox@sha256:aaa…'
 * ```
 */
export function formatReference(parts: ReferenceParts): string {
  const name = parseReference(parts.name);
  if (name.tag !== undefined || name.digest !== undefined) {
    throw new InvalidArgumentError(
      `Invalid image reference ${JSON.stringify(parts.name)}: the name must not carry a tag or digest; pass them as "tag" and "digest".`,
      { argument: 'reference' },
    );
  }
  const text =
    parts.name +
    (parts.tag === undefined ? '' : `:${parts.tag}`) +
    (parts.digest === undefined ? '' : `@${parts.digest}`);
  parseReference(text);
  return text;
}
