import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { parseDockerignore } from '../../src/index.js';

describe('parseDockerignore (ignorefile.ReadAll)', () => {
  it.each([
    ['comments and blank lines', '# comment\n\n   \nfoo\n', ['foo']],
    ['a # only at column 0 starts a comment', ' # not a comment\n#comment', ['# not a comment']],
    ['leading and trailing white space', '  *.md  \n\tbar\t', ['*.md', 'bar']],
    ['CRLF line ends', 'a\r\nb\r\n', ['a', 'b']],
    ['a lone CR is kept inside the line', 'a\rb\n', ['a\rb']],
    ['no newline at the end', 'a\nb', ['a', 'b']],
    ['a byte order mark', '\ufeff# c\nx', ['x']],
    ['a byte order mark only at the very start', 'x\n\ufeffy', ['x', '\ufeffy']],
    ['a leading slash', '/abs\n/\n//a', ['abs', '/', 'a']],
    ['path cleaning', './x\ndir/\na//b/../c\n../up\n.', ['x', 'dir', 'a/c', '../up', '.']],
    ['exceptions', '!README.md\n! spaced \n!/abs/\n!./x', ['!README.md', '!spaced', '!abs', '!x']],
    ['a lone exception mark', '!\n!  ', ['!', '!']],
    ['escapes are kept', '\\*\n\\#not-comment', ['\\*', '\\#not-comment']],
    ['empty input', '', []],
  ])('%s', (_, content, expected) => {
    expect(parseDockerignore(content)).toEqual(expected);
  });

  it('reads bytes as well as text', () => {
    expect(parseDockerignore(new TextEncoder().encode('a\n!b\n'))).toEqual(['a', '!b']);
  });

  it('accepts a 65535-byte line and refuses a longer one, as bufio.Scanner does', () => {
    expect(parseDockerignore('x'.repeat(65535))).toEqual(['x'.repeat(65535)]);
    expect(() => parseDockerignore(`a\n${'x'.repeat(65536)}\n`)).toThrow(InvalidArgumentError);
    expect(() => parseDockerignore(`a\n${'x'.repeat(65536)}\n`)).toThrow(/Line 2/);
  });
});
