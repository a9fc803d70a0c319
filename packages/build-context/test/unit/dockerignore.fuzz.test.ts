// Seeded, bounded fuzzing of the .dockerignore parser and matcher (issue 8): any pattern list
// compiles or is refused with InvalidArgumentError, never another error; matching never throws;
// the walking matcher agrees with the plain one; and every input is handled quickly (glob
// patterns become regular expressions: a backtracking one would show as a slow input).
// BERTH_FUZZ_SEED replays another sequence.
import { InvalidArgumentError } from '@berth/engine-protocol';
import { seededRandom, type SeededRandom } from '@berth/test-engine';
import { describe, expect, it } from 'vitest';
import { parseDockerignore, PatternMatcher } from '../../src/index.js';
import { linearPathExpression } from '../../src/dockerignore/linear-regexp.js';
import { translateGoRegexp } from '../../src/dockerignore/go-regexp.js';

/** The native RegExp patternmatcher would build for a simple glob (literals, `*`, `?`, classes). */
function nativeExpressionOf(glob: string): RegExp {
  let expression = '^';
  for (let index = 0; index < glob.length; index += 1) {
    const character = glob[index] as string;
    if (character === '*') expression += glob[index + 1] === '*' ? ((index += 1), '.*') : '[^/]*';
    else if (character === '?') expression += '[^/]';
    else if (character === '[' || character === ']' || character === '^' || character === '-') expression += character;
    else if (/[0-9A-Za-z]/.test(character)) expression += character;
    else expression += `\\${character}`;
  }
  return translateGoRegexp(`${expression}$`);
}

const seed = Number(process.env['BERTH_FUZZ_SEED'] ?? 20_260_108);
const perInputLimit = 2_000; // a hang detector (the CPU is shared), not a benchmark: a backtracking blow-up takes hours
const patternAlphabet = 'ab.*?/!\\[]-^~{}()$+| \t';
const pathAlphabet = 'ab.c/*?[]\\ ';

function pattern(random: SeededRandom): string {
  const pieces = ['**', '*', '?', '/', 'a', 'b', '.', '[a-c]', '[^a]', '[', ']', '\\', '!', ' ', 'dir/', '**/'];
  let text = '';
  for (let count = random.integer(0, 8); count > 0; count -= 1) text += random.integer(0, 3) === 0 ? random.string(1, patternAlphabet) : random.pick(pieces);
  return text;
}

function path(random: SeededRandom): string {
  return Array.from({ length: random.integer(1, 5) }, () => random.string(random.integer(1, 6), pathAlphabet)).join('/');
}

function timed<T>(action: () => T, what: string): T {
  const started = performance.now();
  const result = action();
  expect(performance.now() - started, `seed ${seed}: ${what}`).toBeLessThan(perInputLimit);
  return result;
}

// Generous: the CPU is shared with other suites in CI; each input has its own bound above.
describe(`.dockerignore under fuzzing (seed ${seed})`, { timeout: 60_000 }, () => {
  it('compiles or refuses with InvalidArgumentError; matching never throws and agrees with the walk', () => {
    const random = seededRandom(seed);
    let compiled = 0;
    for (let round = 0; round < 800; round += 1) {
      const file = Array.from({ length: random.integer(0, 5) }, () => pattern(random)).join(random.pick(['\n', '\r\n']));
      let matcher: PatternMatcher;
      try {
        matcher = timed(() => new PatternMatcher(parseDockerignore(file)), `compiling ${JSON.stringify(file)}`);
      } catch (error) {
        expect(error, `seed ${seed}: ${JSON.stringify(file)}`).toBeInstanceOf(InvalidArgumentError);
        continue;
      }
      compiled += 1;
      for (let probe = 0; probe < 5; probe += 1) {
        const target = path(random);
        const excluded = timed(() => matcher.matches(target), `matching ${JSON.stringify(target)} against ${JSON.stringify(file)}`);
        expect(typeof excluded).toBe('boolean');
        // The walk down the directories (what packing uses) agrees with the one-shot match.
        const parts = target.split('/').filter((part) => part !== '' && part !== '.' && part !== '..');
        if (parts.length === 0 || parts.length !== target.split('/').length) continue;
        let state: ReturnType<PatternMatcher['matchWithParent']>['state'] | undefined;
        let walked = false;
        for (let depth = 1; depth <= parts.length; depth += 1) {
          const result = matcher.matchWithParent(parts.slice(0, depth).join('/'), state);
          state = result.state;
          walked = result.excluded;
        }
        if (!/[\\*?[\] ]/.test(target) && !target.startsWith('.')) expect(walked, `seed ${seed}: ${JSON.stringify(file)} on ${JSON.stringify(target)}`).toBe(matcher.matches(target));
      }
    }
    expect(compiled).toBeGreaterThan(80);
  });

  // Regression: `*a*a*…*b` against a long name of `a`s took exponential time (JavaScript's
  // RegExp backtracks; Go's does not): a .dockerignore could hang a build.
  it('patterns that make a backtracking matcher explode stay quick', () => {
    for (const repeats of [10, 30, 100]) {
      timed(() => new PatternMatcher([`${'*a'.repeat(repeats)}b`]).matches('a'.repeat(4_000)), `*a × ${repeats}`);
      timed(() => new PatternMatcher([`${'a*'.repeat(repeats)}[!a]`]).matches('a'.repeat(4_000)), `a* × ${repeats}`);
      timed(() => new PatternMatcher([`${'?*'.repeat(repeats)}x`]).matches('a'.repeat(4_000)), `?* × ${repeats}`);
      // Every parent directory is matched too (as patternmatcher does): a realistic depth.
      timed(() => new PatternMatcher([`${'**/a'.repeat(repeats)}b`]).matches(`${'a/'.repeat(100)}a`), `**/a × ${repeats}`);
    }
  });

  it('the linear matcher agrees with the native RegExp on random expressions (differential)', () => {
    const random = seededRandom(seed + 3);
    let compared = 0;
    for (let round = 0; round < 1_500; round += 1) {
      const source = pattern(random);
      let expression: RegExp;
      try {
        expression = new PatternMatcher([source]).patterns[0] === undefined ? /^$/ : nativeExpressionOf(source);
      } catch {
        continue;
      }
      const linear = linearPathExpression(expression);
      for (let probe = 0; probe < 4; probe += 1) {
        const target = path(random).slice(0, 12); // short: the native RegExp stays quick
        compared += 1;
        expect(linearPathExpression(expression, { always: true }).test(target), `seed ${seed}: ${expression.source} on ${JSON.stringify(target)}`).toBe(expression.test(target));
        expect(linear.test(target)).toBe(expression.test(target));
      }
    }
    expect(compared).toBeGreaterThan(500);
  });
});
