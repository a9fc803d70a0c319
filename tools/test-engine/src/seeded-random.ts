// A small seeded pseudo-random generator for property and fuzz tests: the same seed gives the
// same inputs, so a failure is reproducible from the seed printed with it.

/**
 * A seeded generator (mulberry32): numbers in [0, 1), integers, picks, strings.
 *
 * @example
 * ```ts
 * const random = seededRandom(42);
 * random.integer(0, 10); random.pick(['a', 'b']); random.string(8, 'abc/.:@');
 * ```
 */
export interface SeededRandom {
  /** The seed it started from. */
  readonly seed: number;
  /** A number in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  integer(min: number, max: number): number;
  /** One element of `items`. */
  pick<T>(items: readonly T[]): T;
  /** A string of `length` characters drawn from `alphabet`. */
  string(length: number, alphabet: string): string;
  /** `length` random bytes. */
  bytes(length: number): Buffer;
}

/**
 * Creates a generator from `seed`.
 *
 * @example
 * ```ts
 * const random = seededRandom(Number(process.env['BERTH_FUZZ_SEED'] ?? 1));
 * ```
 */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const integer = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    seed,
    next,
    integer,
    pick: <T>(items: readonly T[]): T => items[integer(0, items.length - 1)] as T,
    string: (length, alphabet) => {
      const characters = [...alphabet];
      let text = '';
      for (let index = 0; index < length; index += 1) text += characters[integer(0, characters.length - 1)];
      return text;
    },
    bytes: (length) => {
      const buffer = Buffer.alloc(length);
      for (let index = 0; index < length; index += 1) buffer[index] = integer(0, 255);
      return buffer;
    },
  };
}
