/**
 * A value as an error message may show it: numbers and short strings as they are, anything
 * else by its type (never its content, which may be large or secret).
 *
 * @example
 * ```ts
 * describeValue(-1); // '-1'
 * describeValue(null); // 'null'
 * describeValue({}); // 'an object'
 * ```
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  return describeType(value);
}

/**
 * The type of a value for an error message, never its content (for values that may be
 * secret, such as credentials).
 *
 * @example
 * ```ts
 * describeType('hunter2'); // 'a string'
 * describeType([1]); // 'an array'
 * ```
 */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
