// A seeded pseudo-random generator (xorshift32) for repeatable fuzz tests: the seed of a failing
// case is in the test name, so a failure can be replayed.

/** Random values from one seed. */
export interface Random {
  /** An integer in [0, limit). */
  below(limit: number): number;
  /** True with the given probability. */
  chance(probability: number): boolean;
  /** `length` random bytes. */
  bytes(length: number): Uint8Array;
  /** A string of random code points (ASCII, Latin-1, BMP and astral), valid UTF-16. */
  text(maximumLength: number): string;
  /** A random 64-bit signed integer. */
  int64(): bigint;
}

/** A generator seeded with `seed` (non-zero). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  const below = (limit: number): number => next() % limit;
  return {
    below,
    chance: (probability) => next() / 0x1_0000_0000 < probability,
    bytes: (length) => Uint8Array.from({ length }, () => below(256)),
    text(maximumLength) {
      const length = below(maximumLength + 1);
      let result = '';
      for (let index = 0; index < length; index++) {
        const kind = below(4);
        const codePoint =
          kind === 0 ? 0x20 + below(0x5f) : kind === 1 ? 0xa0 + below(0x60) : kind === 2 ? 0x100 + below(0xd000) : 0x10000 + below(0x10000);
        result += String.fromCodePoint(codePoint);
      }
      return result;
    },
    int64: () => BigInt.asIntN(64, (BigInt(next()) << 32n) | BigInt(next())),
  };
}
