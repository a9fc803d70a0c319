import { InvalidArgumentError, isValidDigest, isValidTag, parseReference, type ImageReference } from '@berth/engine-protocol';
import { describeType } from '@berth/engine-protocol/internal';

/**
 * THE check of an image name given to a method (pull, push, a build's tag, `image.tag`, …): the
 * reference grammar of `parseReference`, with the error naming the method's own argument.
 * With `digest: false`, a reference carrying a digest is refused too (a tag cannot be a digest).
 *
 * @throws InvalidArgumentError (argument: `argument`) saying what is wrong.
 *
 * @example
 * ```ts
 * requireReference('localhost:5000/app:v1', 'repository'); // the parsed reference
 * requireReference('UPPER:x', 'tag'); // throws: must be lowercase
 * ```
 * @internal
 */
export function requireReference(value: unknown, argument: string, options: { digest?: boolean } = {}): ImageReference {
  if (typeof value !== 'string') {
    throw new InvalidArgumentError(`${argument} must be an image name such as "localhost:5000/app:v1", got ${describe(value)}.`, { argument });
  }
  let reference: ImageReference;
  try {
    reference = parseReference(value);
  } catch (error) {
    throw new InvalidArgumentError(`Invalid ${argument}: ${(error as InvalidArgumentError).shortMessage}`, { argument, cause: error });
  }
  if (options.digest === false && reference.digest !== undefined) {
    throw new InvalidArgumentError(`Invalid ${argument} ${JSON.stringify(value)}: a digest cannot be given here, only a tag.`, { argument });
  }
  return reference;
}

/**
 * THE check of a tag given apart from the name (`push(name, { tag })`, `image.tag(repo, tag)`):
 * the grammar's tag rule; with `digest: true` a digest is accepted too (pull).
 *
 * @throws InvalidArgumentError (argument: `argument`).
 *
 * @example
 * ```ts
 * requireTag('v1.2', 'tag'); // 'v1.2'
 * requireTag('..', 'tag'); // throws
 * ```
 * @internal
 */
export function requireTag(value: unknown, argument: string, options: { digest?: boolean } = {}): string {
  if (typeof value !== 'string') throw new InvalidArgumentError(`${argument} must be a string, got ${describe(value)}.`, { argument });
  if (isValidTag(value)) return value;
  if (options.digest === true && value.includes(':')) {
    if (isValidDigest(value)) return value;
    throw new InvalidArgumentError(`Invalid ${argument} ${JSON.stringify(value)}: not a valid digest ("sha256:" and 64 lowercase hex digits).`, { argument });
  }
  throw new InvalidArgumentError(
    `Invalid ${argument} ${JSON.stringify(value.slice(0, 140))}: a tag is 1 to 128 letters, digits, "_", "." or "-", not starting with "." or "-".`,
    { argument },
  );
}

/**
 * A non-empty string argument (an image name or id, a search term).
 *
 * @example
 * ```ts
 * requireText(name, 'name');
 * ```
 * @internal
 */
export function requireText(value: unknown, argument: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new InvalidArgumentError(`${argument} must be a non-empty string, got ${describe(value)}.`, { argument });
  }
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  return value === '' ? 'an empty string' : describeType(value);
}
