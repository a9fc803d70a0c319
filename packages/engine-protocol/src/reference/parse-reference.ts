import { InvalidArgumentError } from '../errors/index.js';
import { describeDigestProblem } from './digest.js';
import { describeDomainProblem, splitDomain } from './domain.js';
import { NAME_MAXIMUM_LENGTH, identifierPattern, pathComponentPattern } from './grammar.js';
import { createImageReference, type ImageReference } from './image-reference.js';
import { describeTagProblem } from './tag.js';

function invalid(text: string, reason: string): InvalidArgumentError {
  return new InvalidArgumentError(`Invalid image reference ${JSON.stringify(text)}: ${reason}.`, {
    argument: 'reference',
  });
}

function describePathProblem(path: string): string | undefined {
  for (const component of path.split('/')) {
    if (component === '') {
      return `repository path ${JSON.stringify(path)} has an empty component ("//", or a leading or trailing "/")`;
    }
    if (pathComponentPattern.test(component)) continue;
    if (pathComponentPattern.test(component.toLowerCase())) {
      return `repository name ${JSON.stringify(path)} must be lowercase (did you mean ${JSON.stringify(path.toLowerCase())}?)`;
    }
    return `path component ${JSON.stringify(component)} is invalid: use lowercase letters and digits, separated by one ".", one or two "_", or any number of "-"`;
  }
  return undefined;
}

/**
 * Parses and normalises an image reference (`[domain[:port]/]path[:tag][@digest]`) following
 * the distribution reference grammar and the Docker CLI's normalisation: `busybox` becomes
 * `docker.io/library/busybox`, `index.docker.io` becomes `docker.io`. Throws before any
 * request is made.
 *
 * @throws InvalidArgumentError (`argument: 'reference'`) saying which part is wrong: uppercase
 *   repository, bad path component, bad tag, unsupported or malformed digest, bad registry
 *   host or port, a name longer than 255 characters, or a bare 64-hex image ID.
 *
 * @example
 * ```ts
 * const reference = parseReference('localhost:5000/team/app:v1');
 * reference.domain; // 'localhost:5000'
 * reference.path; // 'team/app'
 * reference.tag; // 'v1'
 * reference.familiarName; // 'localhost:5000/team/app'
 * ```
 */
export function parseReference(text: string): ImageReference {
  if (typeof text !== 'string') {
    throw new InvalidArgumentError(`Invalid image reference: expected a string, got ${typeof text}.`, {
      argument: 'reference',
    });
  }
  if (text === '') throw invalid(text, 'the reference is empty');
  // Two common slips, named plainly rather than as a grammar failure further down.
  if (/\s/.test(text)) throw invalid(text, 'it contains white space');
  if (text.includes('://')) throw invalid(text, 'an image reference has no URL scheme (write "localhost:5000/app", not "https://…")');
  if (identifierPattern.test(text)) {
    throw invalid(text, 'a 64-character hexadecimal string is an image ID, not a repository name');
  }

  const { domain, remainder, domainFromUppercase } = splitDomain(text);
  const domainProblem = describeDomainProblem(domain);
  if (domainProblem !== undefined) {
    // "Foo_bar/app": the CLI took the first component as a domain only for its uppercase.
    throw invalid(
      text,
      domainFromUppercase
        ? `repository name ${JSON.stringify(domain)} must be lowercase, and is not a valid registry host either`
        : domainProblem,
    );
  }

  // Neither a path nor a tag can hold "@", and a path cannot hold ":", so the first of each
  // separates the parts; anything left over fails the part's own check.
  const atIndex = remainder.indexOf('@');
  const beforeDigest = atIndex === -1 ? remainder : remainder.slice(0, atIndex);
  const digest = atIndex === -1 ? undefined : remainder.slice(atIndex + 1);
  const colonIndex = beforeDigest.indexOf(':');
  const path = colonIndex === -1 ? beforeDigest : beforeDigest.slice(0, colonIndex);
  const tag = colonIndex === -1 ? undefined : beforeDigest.slice(colonIndex + 1);

  const problem =
    describePathProblem(path) ??
    (tag === undefined ? undefined : describeTagProblem(tag)) ??
    (digest === undefined ? undefined : describeDigestProblem(digest));
  if (problem !== undefined) throw invalid(text, problem);

  const name = `${domain}/${path}`;
  if (name.length > NAME_MAXIMUM_LENGTH) {
    throw invalid(
      text,
      `the fully qualified repository name (${domain}/…) is ${name.length} characters long; at most ${NAME_MAXIMUM_LENGTH} are allowed`,
    );
  }
  return createImageReference({ domain, path, tag, digest });
}

/**
 * Whether `text` is a valid image reference (see {@link parseReference}).
 *
 * @example
 * ```ts
 * isValidReference('busybox:latest'); // true
 * isValidReference('Busybox'); // false
 * ```
 */
export function isValidReference(text: string): boolean {
  try {
    parseReference(text);
    return true;
  } catch (error) {
    if (error instanceof InvalidArgumentError) return false;
    throw error;
  }
}
