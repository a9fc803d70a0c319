/**
 * Filters as users write them: each key maps to one value, several values, or the engine's own
 * `{value: true}` form. Booleans become `"true"`/`"false"`.
 */
export type FiltersInput = Readonly<
  Record<string, string | number | boolean | readonly (string | number | boolean)[] | Readonly<Record<string, boolean>> | undefined>
>;

/**
 * Encodes filters as the JSON map form every supported engine accepts:
 * `{"key":{"value":true}}`. Keys with no values are left out.
 *
 * @example
 * ```ts
 * encodeFilters({ dangling: true, label: ['a=b', 'c'] });
 * // '{"dangling":{"true":true},"label":{"a=b":true,"c":true}}'
 * ```
 */
export function encodeFilters(filters: FiltersInput): string {
  const encoded: Record<string, Record<string, boolean>> = {};
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined) continue;
    const values: Record<string, boolean> = {};
    if (Array.isArray(value)) {
      for (const item of value) values[String(item)] = true;
    } else if (typeof value === 'object' && value !== null) {
      Object.assign(values, value);
    } else {
      values[String(value)] = true;
    }
    if (Object.keys(values).length > 0) encoded[key] = values;
  }
  return JSON.stringify(encoded);
}
