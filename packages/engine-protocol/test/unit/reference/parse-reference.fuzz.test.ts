// Seeded, bounded fuzzing of the reference parser (issue 8): whatever the input, it returns a
// consistent reference or throws InvalidArgumentError, never another error, and quickly (a
// catastrophically backtracking expression would show up as a slow input). Set BERTH_FUZZ_SEED
// to replay another sequence; a failure names the seed and the input.
import { seededRandom } from '@berth/test-engine';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, parseReference } from '../../../src/index.js';

const seed = Number(process.env['BERTH_FUZZ_SEED'] ?? 20_260_108);
const perInputLimit = 1_000; // a hang detector (the CPU is shared), not a benchmark
const alphabet = 'abcz09AZ._-/:@[]%+ \t#?*\u00e9\u0000';
const valid = [
  'busybox',
  'busybox:1.36',
  'localhost:5000/team/app:v1',
  'docker.io/library/busybox@sha256:' + 'a'.repeat(64),
  '[::1]:5000/app:v1',
  'registry.example.com:443/a/b/c:tag_1.2-x',
  'a__b/c--d/e.f:' + 'x'.repeat(128),
];

function check(input: string): void {
  const started = performance.now();
  let result: ReturnType<typeof parseReference> | undefined;
  try {
    result = parseReference(input);
  } catch (error) {
    expect(error, `seed ${seed}, input ${JSON.stringify(input)}`).toBeInstanceOf(InvalidArgumentError);
  }
  expect(performance.now() - started, `seed ${seed}, input of ${input.length} characters`).toBeLessThan(perInputLimit);
  if (result === undefined) return;
  // A reference that parses is consistent, and its text form parses to the same thing.
  expect(result.name).toBe(`${result.domain}/${result.path}`);
  const again = parseReference(String(result));
  expect([again.name, again.tag, again.digest]).toEqual([result.name, result.tag, result.digest]);
}

// Generous: the CPU is shared with other suites in CI; each input has its own bound above.
describe(`parseReference under fuzzing (seed ${seed})`, { timeout: 60_000 }, () => {
  it('random strings: a reference or an InvalidArgumentError', () => {
    const random = seededRandom(seed);
    for (let index = 0; index < 4_000; index += 1) check(random.string(random.integer(0, 80), alphabet));
  });

  it('mutations of valid references: a reference or an InvalidArgumentError', () => {
    const random = seededRandom(seed + 1);
    for (let index = 0; index < 4_000; index += 1) {
      const base = [...random.pick(valid)];
      for (let edit = random.integer(1, 4); edit > 0; edit -= 1) {
        const at = random.integer(0, base.length);
        const kind = random.integer(0, 2);
        if (kind === 0) base.splice(at, 0, random.pick([...alphabet]));
        else if (kind === 1) base.splice(at, 1);
        else base.splice(at, 1, random.pick([...alphabet]));
      }
      check(base.join(''));
    }
  });

  it('long inputs stay quick (no super-linear backtracking)', () => {
    const random = seededRandom(seed + 2);
    for (const length of [1_000, 10_000, 100_000]) {
      check('a'.repeat(length));
      check(`${'a-'.repeat(length / 2)}!`);
      check(`localhost:5000/${'ab_'.repeat(length / 3)}:v1`);
      check(`app@sha256:${'0'.repeat(length)}`);
      check(random.string(length, alphabet));
    }
  });
});
