import { describeValue } from '../errors/describe-value.js';
import { InvalidArgumentError } from '../errors/index.js';

/**
 * Filters as users write them: each key maps to one value, several values, or the engine's own
 * `{value: true}` form. Booleans become `"true"`/`"false"`.
 */
export type FiltersInput = Readonly<
  Record<string, string | number | boolean | readonly (string | number | boolean)[] | Readonly<Record<string, boolean>> | undefined>
>;

/**
 * Encodes filters as the JSON map form every supported engine accepts:
 * `{"key":{"value":true}}`. Keys with no values are left out. Anything else than a string, a
 * finite number, a boolean, a list of those, or a `{value: boolean}` map is an
 * `InvalidArgumentError` naming `argument` (circular structures and BigInts included).
 *
 * @example
 * ```ts
 * encodeFilters({ dangling: true, label: ['a=b', 'c'] });
 * // '{"dangling":{"true":true},"label":{"a=b":true,"c":true}}'
 * ```
 */
export function encodeFilters(filters: FiltersInput, argument = 'filters'): string {
  if (typeof filters !== 'object' || filters === null || Array.isArray(filters)) {
    throw invalid(argument, `filters must be an object such as { dangling: true }, got ${describeValue(filters)}`);
  }
  const encoded: Record<string, Record<string, boolean>> = {};
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    const values: Record<string, boolean> = {};
    if (Array.isArray(value)) {
      for (const item of value as readonly unknown[]) values[scalar(argument, key, item)] = true;
    } else if (typeof value === 'object' && value !== null) {
      for (const [item, on] of Object.entries(value as Record<string, unknown>)) {
        if (typeof on !== 'boolean') throw invalid(argument, `filter "${key}" maps "${item}" to ${describeValue(on)}; expected true or false`);
        values[item] = on;
      }
    } else {
      values[scalar(argument, key, value)] = true;
    }
    if (Object.keys(values).length > 0) encoded[key] = values;
  }
  return JSON.stringify(encoded);
}

function scalar(argument: string, key: string, value: unknown): string {
  if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return String(value);
  throw invalid(argument, `filter "${key}" has a value of the wrong type (${describeValue(value)}); expected strings, finite numbers or booleans`);
}

function invalid(argument: string, message: string): InvalidArgumentError {
  return new InvalidArgumentError(`Invalid ${argument}: ${message}.`, { argument });
}
