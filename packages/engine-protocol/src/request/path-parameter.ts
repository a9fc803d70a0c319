import { InvalidArgumentError } from '../errors/index.js';

// C0 controls and DEL: never part of a name, and some proxies and servers cut the path at them.
const controlCharacter = /[\u0000-\u001f\u007f]/;

/**
 * Refuses a path parameter that would make the engine serve another path than the one the
 * endpoint names. The engine decodes the path and cleans it (Go's `path.Clean`), then answers a
 * `301` to the cleaned path when it differs: a name such as `..`, `a/../../b`, `./x`, `/x` or
 * `a//b` would be redirected (and, followed, hit another endpoint). Control characters are
 * refused too. Everything else is sent URL-encoded, `/` included.
 *
 * @throws InvalidArgumentError (argument: the parameter's name) with what is wrong.
 *
 * @example
 * ```ts
 * checkPathParameter('ImageInspect', 'name', 'localhost:5000/app:v1'); // fine
 * checkPathParameter('ImageInspect', 'name', 'a/../../b'); // throws InvalidArgumentError
 * ```
 */
export function checkPathParameter(endpointId: string, name: string, value: string): void {
  const fail = (problem: string): InvalidArgumentError =>
    new InvalidArgumentError(`Parameter "${name}" of ${endpointId} ${problem}.`, {
      argument: name,
      details: 'The engine cleans request paths and redirects when that changes them; Berth refuses such names before sending.',
    });
  if (value.length === 0) throw fail('must not be empty');
  if (controlCharacter.test(value)) throw fail('must not contain control characters');
  for (const segment of value.split('/')) {
    if (segment === '.' || segment === '..') throw fail(`must not contain a "${segment}" path segment (got ${JSON.stringify(value)})`);
    if (segment === '') throw fail(`must not contain an empty path segment ("//", or a leading or trailing "/"; got ${JSON.stringify(value)})`);
  }
}
