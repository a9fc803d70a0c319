import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { Pattern, PatternMatcher } from '../../src/index.js';
import { patternTable as table } from '../support/pattern-table.js';

describe('PatternMatcher.matches (MatchesOrParentMatches)', () => {
  it.each(table)('%j on %j → excluded %s', (patterns, path, excluded) => {
    expect(new PatternMatcher(patterns).matches(path)).toBe(excluded);
  });

  it('never excludes the context root', () => {
    expect(new PatternMatcher(['**', '*', '.']).matches('.')).toBe(false);
    expect(new PatternMatcher(['**']).matches('')).toBe(false);
  });

  it('has enough rows to cover the syntax', () => {
    expect(table.length).toBeGreaterThanOrEqual(100);
  });
});

describe('PatternMatcher.matchWithParent (MatchesUsingParentResults)', () => {
  const cases: ReadonlyArray<readonly [patterns: readonly string[], path: string]> = table
    .filter(([, path]) => path.includes('/'))
    .map(([patterns, path]) => [patterns, path] as const);

  it.each(cases)('walking %j down to %j agrees with matches()', (patterns, path) => {
    const matcher = new PatternMatcher(patterns);
    const parts = path.split('/');
    let state: ReturnType<PatternMatcher['matchWithParent']>['state'] | undefined;
    let excluded = false;
    for (let length = 1; length <= parts.length; length++) {
      const result = matcher.matchWithParent(parts.slice(0, length).join('/'), state);
      state = result.state;
      excluded = result.excluded;
    }
    expect(excluded).toBe(matcher.matches(path));
  });

  it('without parent state, tests the parent directories itself', () => {
    const matcher = new PatternMatcher(['build']);
    expect(matcher.matchWithParent('build/out/app.js').excluded).toBe(true);
    expect(matcher.matchWithParent('src/app.js').excluded).toBe(false);
  });

  it('trusts the parent state instead of testing parents again', () => {
    const matcher = new PatternMatcher(['build']);
    const parent = matcher.matchWithParent('build');
    expect(matcher.matchWithParent('build/x', parent.state).excluded).toBe(true);
    const unrelated = matcher.matchWithParent('src');
    expect(matcher.matchWithParent('build/x', unrelated.state).excluded).toBe(false);
  });
});

describe('PatternMatcher.mayReincludeUnder', () => {
  it.each([
    [['vendor', '!vendor/keep.txt'], 'vendor', true],
    [['vendor', '!vendor/a/b'], 'vendor/a', true],
    [['vendor', '!vendor'], 'vendor', true],
    [['vendor', '!vendorx/a'], 'vendor', false],
    [['vendor', '!**/keep'], 'vendor', false],
    [['vendor', '!*/keep'], 'vendor', false],
    [['vendor'], 'vendor', false],
  ] as const)('%j under %j → %s', (patterns, directory, expected) => {
    expect(new PatternMatcher(patterns).mayReincludeUnder(directory)).toBe(expected);
  });
});

describe('PatternMatcher compilation', () => {
  it('drops blank patterns and records exceptions', () => {
    const matcher = new PatternMatcher(['', '  ', 'a', '!b']);
    expect(matcher.patterns.map((pattern) => [pattern.text, pattern.exclusion])).toEqual([
      ['a', false],
      ['b', true],
    ]);
    expect(matcher.hasExclusions).toBe(true);
    expect(new PatternMatcher(['a']).hasExclusions).toBe(false);
  });

  it('cleans before splitting off "!" (as patternmatcher.New does)', () => {
    expect(Pattern.compile('!./a')?.text).toBe('./a');
    expect(Pattern.compile('!./a')?.matches('a')).toBe(false);
    expect(Pattern.compile('  a/b/../c/  ')?.text).toBe('a/c');
  });

  it.each([
    ['!', /illegal exclusion pattern/],
    ['[', /syntax error/],
    ['[]', /syntax error/],
    ['[a-', /syntax error/],
    ['[a-]', /syntax error/],
    ['[-a]', /syntax error/],
    ['a\\', /syntax error/],
    ['x[', /syntax error/],
    ['*[', /syntax error/],
    ['[z-a]', /invalid character class range/],
    ['[[:nope:]]', /invalid character class range/],
    ['\\q', /invalid escape/],
    ['\\C', /invalid escape/],
    ['\\8', /invalid escape/],
    ['\\é', /invalid escape/],
    ['\\p{NotAScript}', /invalid character class range/],
  ])('refuses %j like the Docker CLI', (pattern, reason) => {
    let caught: unknown;
    try {
      new PatternMatcher(['ok', pattern]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect((caught as InvalidArgumentError).argument).toBe('dockerignore');
    expect((caught as Error).message).toContain(JSON.stringify(pattern));
    expect((caught as Error).message).toMatch(reason);
  });

  it.each([
    ['[a-c]', true],
    ['[\\-]', true],
    ['[a\\]]', true],
    ['\\[', true],
    ['[^a-z]', true],
    // filepath.Match: `]` or `-` may start a class item only when escaped.
    ['[]a]x]', false],
    ['[^]a]', false],
    ['[--a]', false],
  ] as const)('%j is valid: %s (filepath.Match syntax)', (pattern, valid) => {
    if (valid) expect(new PatternMatcher([pattern]).patterns).toHaveLength(1);
    else expect(() => new PatternMatcher([pattern])).toThrow(InvalidArgumentError);
  });
});
