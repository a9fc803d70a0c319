import { TAG_MAXIMUM_LENGTH, tagPattern } from './grammar.js';

/**
 * Says what is wrong with a tag, or returns undefined when it is valid.
 * Internal: the public checks are {@link isValidTag} and `parseReference`.
 */
export function describeTagProblem(tag: string): string | undefined {
  if (tag === '') return 'the tag after ":" is empty';
  if (tag.length > TAG_MAXIMUM_LENGTH) {
    return `the tag is ${tag.length} characters long; at most ${TAG_MAXIMUM_LENGTH} are allowed`;
  }
  if (!tagPattern.test(tag)) {
    return `tag ${JSON.stringify(tag)} is invalid: it must start with a letter, digit or "_" and contain only letters, digits, "_", "." and "-"`;
  }
  return undefined;
}

/**
 * Whether `tag` is a valid image tag: a letter, digit or `_`, then up to 127 letters, digits,
 * `_`, `.` or `-`.
 *
 * @example
 * ```ts
 * isValidTag('1.36-musl'); // true
 * isValidTag('-rc'); // false
 * ```
 */
export function isValidTag(tag: string): boolean {
  return describeTagProblem(tag) === undefined;
}
