import { describe, expect, it } from 'vitest';
import { GoRegexpSyntaxError, translateGoRegexp } from '../../src/dockerignore/go-regexp.js';

describe('translateGoRegexp', () => {
  it.each([
    // `.` excludes only \n in Go.
    ['^a.b$', 'a\rb', true],
    ['^a.b$', 'a\u2028b', true],
    ['^a.b$', 'a\nb', false],
    ['^a[^/]b$', 'a😀b', true],
    // Perl classes are ASCII in Go.
    ['^\\s$', '\u00a0', false],
    ['^\\S$', '\u00a0', true],
    ['^\\w$', 'é', false],
    ['^\\d+$', '0123', true],
    // POSIX classes and their negation.
    ['^[[:upper:][:digit:]]+$', 'A1', true],
    ['^[[:^space:]]$', ' ', false],
    ['^[[:punct:]]$', '_', true],
    // A `]` right after `[` or `[^` is literal; `-` at the end is literal.
    ['^[]a]$', ']', true],
    ['^[^]a]$', 'b', true],
    ['^[a-]$', '-', true],
    // Escapes.
    ['^\\x41\\x{1F600}$', 'A😀', true],
    ['^\\101\\0$', 'A\u0000', true],
    ['^\\t\\n$', '\t\n', true],
    ['^\\.$', '.', true],
    ['^\\.$', 'x', false],
    ['^\\Qa.b$', 'a.b$', true],
    ['^\\Qa\\E.$', 'ab', true],
    ['^\\pL+$', 'Éa', true],
    ['^\\p{Greek}$', 'λ', true],
    ['^\\P{Greek}$', 'λ', false],
    ['^\\p{^Greek}$', 'a', true],
    ['^[\\p{Lu}\\d]$', '7', true],
    ['^\\Aa\\z$', 'a', true],
    ['^a\\b$', 'a', true],
    // Literals that are syntax in JavaScript.
    ['^a/b}]$', 'a/b}]', true],
  ])('%j on %j → %s', (expression, input, expected) => {
    expect(translateGoRegexp(expression).test(input)).toBe(expected);
  });

  it.each(['^[z-a]$', '^[a$', '^\\q$', '^\\C$', '^\\9$', '^\\1$', '^\\x{}$', '^\\xZ1$', '^[[:bogus:]]$', '^\\p{Bogus}$', '^a)$', '^(a$', '^(?i)a$', '^a\\'])(
    'refuses %j as Go does',
    (expression) => {
      expect(() => translateGoRegexp(expression)).toThrow(GoRegexpSyntaxError);
    },
  );
});
