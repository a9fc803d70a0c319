// The syntax check that moby/patternmatcher runs on every pattern: `filepath.Match(p, ".")`
// and keep only its error. Go's Match parses every chunk of the pattern (even after the match
// has failed), so a pattern is rejected exactly when one of its chunks is malformed.

/**
 * Reports whether Go's `filepath.Match` accepts `pattern` (Unix rules: `\` escapes).
 * Malformed: a trailing `\`, an unclosed `[`, an empty class `[]`, a class item starting with
 * `-` or `]`, a range missing its end.
 *
 * @example
 * ```ts
 * isValidGoGlob('[a-c]*.txt'); // true
 * isValidGoGlob('[a-');        // false
 * ```
 */
export function isValidGoGlob(pattern: string): boolean {
  let rest = pattern;
  while (rest.length > 0) {
    const { chunk, remainder } = scanChunk(rest);
    if (!isValidChunk(Array.from(chunk))) return false;
    rest = remainder;
  }
  return true;
}

// filepath.scanChunk: skips leading stars, then takes text up to the next star that is
// outside a character class.
function scanChunk(pattern: string): { chunk: string; remainder: string } {
  let start = 0;
  while (start < pattern.length && pattern[start] === '*') start++;
  let inRange = false;
  let index = start;
  scan: for (; index < pattern.length; index++) {
    switch (pattern[index]) {
      case '\\':
        if (index + 1 < pattern.length) index++;
        break;
      case '[':
        inRange = true;
        break;
      case ']':
        inRange = false;
        break;
      case '*':
        if (!inRange) break scan;
        break;
    }
  }
  return { chunk: pattern.slice(start, index), remainder: pattern.slice(index) };
}

// The parsing half of filepath.matchChunk.
function isValidChunk(chunk: readonly string[]): boolean {
  let index = 0;
  // filepath.getEsc: one class character, possibly escaped, that must be followed by more.
  const readClassCharacter = (): boolean => {
    const character = chunk[index];
    if (character === undefined || character === '-' || character === ']') return false;
    if (character === '\\') {
      index++;
      if (index >= chunk.length) return false;
    }
    index++;
    return index < chunk.length;
  };
  while (index < chunk.length) {
    const character = chunk[index];
    if (character === '[') {
      index++;
      if (chunk[index] === '^') index++;
      let ranges = 0;
      for (;;) {
        if (chunk[index] === ']' && ranges > 0) {
          index++;
          break;
        }
        if (!readClassCharacter()) return false;
        if (chunk[index] === '-') {
          index++;
          if (!readClassCharacter()) return false;
        }
        ranges++;
      }
    } else if (character === '\\') {
      index++;
      if (index >= chunk.length) return false;
      index++;
    } else {
      index++;
    }
  }
  return true;
}
