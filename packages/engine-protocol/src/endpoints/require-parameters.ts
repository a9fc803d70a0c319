import { describeType } from '../errors/describe-value.js';
import { InvalidArgumentError } from '../errors/index.js';

/**
 * Refuses parameters that are not an object before an endpoint function reads them (a `null`
 * would otherwise be a `TypeError` from inside).
 */
export function requireParameters<Parameters>(parameters: Parameters, functionName: string): Parameters {
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    throw new InvalidArgumentError(`${functionName} needs an object of parameters, got ${describeType(parameters)}.`, { argument: 'parameters' });
  }
  return parameters;
}
