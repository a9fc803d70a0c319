import { describeValue } from '../errors/describe-value.js';
import { InvalidArgumentError } from '../errors/index.js';

/**
 * `JSON.stringify` for a parameter sent as JSON (build arguments, labels, a request body): a
 * value JSON cannot encode (a circular structure, a BigInt, a function, `undefined`) is an
 * `InvalidArgumentError` naming the parameter, instead of a `TypeError` from deep inside.
 *
 * @example
 * ```ts
 * stringifyParameter('ImageBuild', 'buildargs', { VERSION: '1' }); // '{"VERSION":"1"}'
 * stringifyParameter('ImageBuild', 'buildargs', { n: 1n }); // throws InvalidArgumentError (argument: 'buildargs')
 * ```
 */
export function stringifyParameter(endpointId: string, name: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    const why = error instanceof TypeError && /circular/i.test(error.message) ? 'it contains a circular reference' : 'it holds a value JSON cannot encode (a BigInt?)';
    throw new InvalidArgumentError(`Parameter "${name}" of ${endpointId} cannot be sent as JSON: ${why}.`, { argument: name, cause: error });
  }
  if (text === undefined) {
    throw new InvalidArgumentError(`Parameter "${name}" of ${endpointId} cannot be sent as JSON: got ${describeValue(value)}.`, { argument: name });
  }
  return text;
}
