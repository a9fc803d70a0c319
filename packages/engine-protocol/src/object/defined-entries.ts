/**
 * `T` with every property that may be `undefined` made optional and `undefined`-free: what
 * {@link definedEntries} returns, assignable to options under `exactOptionalPropertyTypes`.
 */
export type DefinedEntries<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/**
 * A copy of `object` without its `undefined` properties, so that an optional value is passed on
 * only when it is set (under `exactOptionalPropertyTypes`, `{ tag: undefined }` is not `{}`).
 * Replaces `...(tag === undefined ? {} : { tag })`.
 *
 * @example
 * ```ts
 * const tag: string | undefined = 'v1';
 * const platform: string | undefined = undefined;
 * const parameters = { name: 'app', ...definedEntries({ tag, platform }) }; // { name: 'app', tag: 'v1' }
 * ```
 */
export function definedEntries<T extends object>(object: T): DefinedEntries<T> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) if (value !== undefined) result[key] = value;
  return result as DefinedEntries<T>;
}
