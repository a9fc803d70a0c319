// The Docker CLI's reading of a .dockerignore file (moby/patternmatcher/ignorefile.ReadAll).
import { InvalidArgumentError } from '@berth/engine-protocol';
import { cleanGoPath, trimGoSpace } from './go-text.js';

// bufio.Scanner's default token limit: a line (without its \n) may hold at most 64 KiB - 1 bytes.
const maximumLineBytes = 64 * 1024 - 1;
const byteOrderMark = [0xef, 0xbb, 0xbf] as const;

/**
 * Reads `.dockerignore` content into patterns exactly as the Docker CLI does: a UTF-8 byte
 * order mark is dropped; lines are split on `\n` (one trailing `\r` removed); a line whose
 * first character is `#` is a comment (only at column 0: ` #x` is a pattern); white space is
 * trimmed; blank lines are skipped; each pattern is cleaned like a path (`./a/` → `a`,
 * `a//b/../c` → `a/c`) and a leading `/` removed, keeping a leading `!`. Throws
 * `InvalidArgumentError` (argument `dockerignore`) for a line longer than 65535 bytes, which
 * the CLI cannot read either.
 *
 * @example
 * ```ts
 * parseDockerignore('# build output\n/dist/\n!dist/keep.txt\n  *.log  \n');
 * // ['dist', '!dist/keep.txt', '*.log']
 * ```
 */
export function parseDockerignore(content: string | Uint8Array): string[] {
  let bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  if (byteOrderMark.every((value, index) => bytes[index] === value)) bytes = bytes.subarray(byteOrderMark.length);
  const patterns: string[] = [];
  let start = 0;
  let lineNumber = 0;
  while (start < bytes.length) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    lineNumber++;
    if (end - start > maximumLineBytes) {
      throw new InvalidArgumentError(`Line ${lineNumber} of the .dockerignore rules is longer than ${maximumLineBytes} bytes.`, {
        argument: 'dockerignore',
      });
    }
    let lineEnd = end;
    if (lineEnd > start && bytes[lineEnd - 1] === 0x0d) lineEnd--;
    const pattern = parseLine(bytes.toString('utf8', start, lineEnd));
    if (pattern !== undefined) patterns.push(pattern);
    start = end + 1;
  }
  return patterns;
}

function parseLine(line: string): string | undefined {
  if (line.startsWith('#')) return undefined;
  let pattern = trimGoSpace(line);
  if (pattern === '') return undefined;
  const invert = pattern.startsWith('!');
  if (invert) pattern = trimGoSpace(pattern.slice(1));
  if (pattern.length > 0) {
    pattern = cleanGoPath(pattern);
    if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
  }
  return invert ? `!${pattern}` : pattern;
}
