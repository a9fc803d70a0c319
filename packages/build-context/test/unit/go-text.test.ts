import { describe, expect, it } from 'vitest';
import { cleanGoPath, trimGoSpace } from '../../src/dockerignore/go-text.js';

describe('cleanGoPath (filepath.Clean)', () => {
  it.each([
    ['', '.'],
    ['.', '.'],
    ['./', '.'],
    ['a', 'a'],
    ['a/', 'a'],
    ['a//b', 'a/b'],
    ['./a/./b/.', 'a/b'],
    ['a/b/../c', 'a/c'],
    ['a/../..', '..'],
    ['../x', '../x'],
    ['../../x/../y', '../../y'],
    ['/', '/'],
    ['//', '/'],
    ['/..', '/'],
    ['/../x', '/x'],
    ['/a/b/', '/a/b'],
    ['!./a', '!./a'],
    ['a/\\*/..', 'a'],
  ])('%j → %j', (input, expected) => {
    expect(cleanGoPath(input)).toBe(expected);
  });
});

describe('trimGoSpace (strings.TrimSpace)', () => {
  it.each([
    ['  a  ', 'a'],
    ['\t\r\n\v\fa b\f\v\n\r\t', 'a b'],
    ['\u0085a\u00a0', 'a'],
    ['\u3000a\u2028', 'a'],
    // U+FEFF is not white space in Go (JavaScript's trim removes it).
    ['\ufeffa', '\ufeffa'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(trimGoSpace(input)).toBe(expected);
  });
});
