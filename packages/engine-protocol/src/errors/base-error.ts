/**
 * Symbol under which every Berth error lists the brand names of its class chain.
 * `Symbol.for` makes the key the same in every copy of this package, so `instanceof`
 * keeps working when an application ends up with two installs of `@berth/engine-protocol`.
 */
const brandsKey = Symbol.for('@berth/engine-protocol/error-brands');

/** Options shared by every Berth error. */
export interface BerthErrorOptions {
  /** The lower-level error that caused this one (an undici error, a parse error, …). */
  cause?: unknown;
  /** A longer explanation, shown after the short message. */
  details?: string | undefined;
  /** Extra lines of context (what was sent, which version, …), shown between the two. */
  metaMessages?: readonly string[] | undefined;
}

/**
 * The base of every error Berth throws. The `message` is built of blocks: the short message,
 * then meta lines, then details; `shortMessage` alone suits a one-line UI.
 *
 * @example
 * ```ts
 * import { BerthError } from '@berth/engine-protocol';
 * try {
 *   await listImages(client);
 * } catch (error) {
 *   if (error instanceof BerthError) console.error(error.shortMessage);
 * }
 * ```
 */
export class BerthError extends Error {
  /** Brand shared by every copy of the package; subclasses set their own. */
  static readonly brandName: string = 'BerthError';
  /**
   * This class's stable code: every class has its own (`BERTH_NOT_FOUND`, `BERTH_TIMEOUT`, …,
   * listed in docs/errors.md), and every instance carries its class's as `code`.
   */
  static readonly code: string = 'BERTH_ERROR';

  override name = 'BerthError';
  /** The stable code of the error's class (see the static `code`), e.g. `BERTH_NOT_FOUND`. */
  readonly code: string;
  /** The message without meta lines or details. */
  readonly shortMessage: string;
  /** The longer explanation, if any. */
  readonly details: string | undefined;
  /** Context lines, if any. */
  readonly metaMessages: readonly string[];

  constructor(shortMessage: string, options: BerthErrorOptions = {}) {
    const metaMessages = options.metaMessages ?? [];
    const blocks = [shortMessage];
    if (metaMessages.length > 0) blocks.push(metaMessages.join('\n'));
    if (options.details) blocks.push(`Details: ${options.details}`);
    super(blocks.join('\n\n'), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = (new.target as typeof BerthError).code;
    this.shortMessage = shortMessage;
    this.details = options.details;
    this.metaMessages = metaMessages;
    Object.defineProperty(this, brandsKey, { value: collectBrands(new.target), enumerable: false });
  }

  /** Brand check instead of prototype identity, so two package copies agree. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    const brands = (value as { [brandsKey]?: unknown })[brandsKey];
    return Array.isArray(brands) && brands.includes(this.brandName);
  }

  /**
   * Walks this error and its causes, returning the first one `predicate` accepts
   * (or the deepest cause when no predicate is given).
   *
   * @example
   * ```ts
   * if (error instanceof BerthError) {
   *   const root = error.walk();
   *   const connection = error.walk((cause) => cause instanceof ConnectionError);
   *   console.log(root, connection);
   * }
   * ```
   */
  walk(predicate?: (error: unknown) => boolean): unknown {
    let current: unknown = this;
    const seen = new Set<unknown>();
    while (current !== undefined && current !== null && !seen.has(current)) {
      seen.add(current);
      if (predicate?.(current)) return current;
      const next = (current as { cause?: unknown }).cause;
      if (next === undefined || next === null) return predicate ? undefined : current;
      current = next;
    }
    return predicate ? undefined : current;
  }
}

function collectBrands(constructor: Function): string[] {
  const brands: string[] = [];
  let current: unknown = constructor;
  while (typeof current === 'function') {
    const name = (current as { brandName?: unknown }).brandName;
    if (typeof name === 'string' && !brands.includes(name)) brands.push(name);
    current = Object.getPrototypeOf(current);
  }
  return brands;
}
