// moby/patternmatcher turns a glob into a Go (RE2) regular expression, and passes `[...]`
// classes and `\x` escapes of the glob straight through. To match exactly what the Docker CLI
// matches, this module translates that Go expression into an equivalent JavaScript RegExp
// (Unicode mode) instead of reinterpreting the glob. Only RE2 syntax that can appear in such
// an expression is translated; anything RE2 itself rejects is rejected here too.

/**
 * Thrown when RE2 would refuse the expression.
 *
 * @example
 * ```ts
 * try { translateGoRegexp('^[z-a]$'); } catch (error) { error instanceof GoRegexpSyntaxError; } // true
 * ```
 */
export class GoRegexpSyntaxError extends Error {
  override name = 'GoRegexpSyntaxError';
}

const maximumCodePoint = 0x10ffff;

type Range = readonly [number, number];

// RE2's ASCII Perl classes and POSIX classes (regexp/syntax perl_groups.go).
const digitRanges: Range[] = [[0x30, 0x39]];
const spaceRanges: Range[] = [[0x09, 0x0a], [0x0c, 0x0d], [0x20, 0x20]];
const wordRanges: Range[] = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
const perlClasses: Readonly<Record<string, readonly Range[]>> = { d: digitRanges, s: spaceRanges, w: wordRanges };
const posixClasses: Readonly<Record<string, readonly Range[]>> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x00, 0x7f]],
  blank: [[0x09, 0x09], [0x20, 0x20]],
  cntrl: [[0x00, 0x1f], [0x7f, 0x7f]],
  digit: digitRanges,
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x09, 0x0d], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: wordRanges,
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

/**
 * Translates a Go `regexp` expression (as built by moby/patternmatcher) into a JavaScript
 * RegExp with the same matches. Throws {@link GoRegexpSyntaxError} where Go's
 * `regexp.Compile` fails.
 *
 * @example
 * ```ts
 * translateGoRegexp('^[^/]*\\.md$').test('README.md'); // true
 * translateGoRegexp('^[[:digit:]]$').test('7');        // true
 * ```
 */
export function translateGoRegexp(expression: string): RegExp {
  const source = new Translator(Array.from(expression)).translate();
  try {
    return new RegExp(source, 'u');
  } catch (error) {
    throw new GoRegexpSyntaxError(`invalid expression ${JSON.stringify(expression)}`, { cause: error });
  }
}

class Translator {
  private index = 0;
  private depth = 0;

  constructor(private readonly characters: readonly string[]) {}

  translate(): string {
    let output = '';
    while (this.index < this.characters.length) {
      const character = this.next();
      switch (character) {
        case '^':
        case '$':
        case '*':
        case '+':
        case '?':
        case '|':
          output += character;
          break;
        case '.':
          // Go's `.` excludes only \n; JavaScript's also excludes \r, U+2028 and U+2029.
          output += '[^\\n]';
          break;
        case '(':
          if (this.peek() === '?') throw new GoRegexpSyntaxError('group flags are not supported');
          this.depth++;
          output += '(?:';
          break;
        case ')':
          if (this.depth === 0) throw new GoRegexpSyntaxError('unexpected )');
          this.depth--;
          output += ')';
          break;
        case '[':
          output += this.translateClass();
          break;
        case '\\':
          output += this.translateEscape();
          break;
        default:
          output += literal(character.codePointAt(0) ?? 0);
      }
    }
    if (this.depth !== 0) throw new GoRegexpSyntaxError('missing )');
    return output;
  }

  private next(): string {
    const character = this.characters[this.index];
    if (character === undefined) throw new GoRegexpSyntaxError('unexpected end of expression');
    this.index++;
    return character;
  }

  private peek(offset = 0): string | undefined {
    return this.characters[this.index + offset];
  }

  // Escapes outside a class (regexp/syntax parse loop, then parseEscape).
  private translateEscape(): string {
    const letter = this.peek();
    if (letter === undefined) throw new GoRegexpSyntaxError('trailing backslash');
    switch (letter) {
      case 'A':
        this.index++;
        return '^';
      case 'z':
        this.index++;
        return '$';
      case 'b':
      case 'B':
        // ASCII word boundary in both engines (no `i` flag).
        this.index++;
        return `\\${letter}`;
      case 'C':
        throw new GoRegexpSyntaxError('invalid escape \\C');
      case 'Q': {
        this.index++;
        let quoted = '';
        while (this.index < this.characters.length) {
          if (this.peek() === '\\' && this.peek(1) === 'E') {
            this.index += 2;
            break;
          }
          quoted += literal(this.next().codePointAt(0) ?? 0);
        }
        return quoted;
      }
      case 'p':
      case 'P':
        return `[${this.translateUnicodeClass()}]`;
      case 'd':
      case 'D':
      case 's':
      case 'S':
      case 'w':
      case 'W':
        this.index++;
        return `[${rangesSource(perlRanges(letter))}]`;
      default:
        return literal(this.parseEscapedCharacter());
    }
  }

  // regexp/syntax parseEscape, called with the index on the character after `\`.
  private parseEscapedCharacter(): number {
    const character = this.next();
    const code = character.codePointAt(0) ?? 0;
    if (code < 0x80 && !isAlphanumeric(character)) return code;
    if (character >= '1' && character <= '7' && !isOctal(this.peek())) {
      throw new GoRegexpSyntaxError(`invalid escape \\${character}`);
    }
    if (character >= '0' && character <= '7') {
      let value = code - 0x30;
      for (let digits = 1; digits < 3 && isOctal(this.peek()); digits++) {
        value = value * 8 + ((this.next().codePointAt(0) ?? 0) - 0x30);
      }
      return value;
    }
    switch (character) {
      case 'x':
        return this.parseHexEscape();
      case 'a':
        return 0x07;
      case 'f':
        return 0x0c;
      case 'n':
        return 0x0a;
      case 'r':
        return 0x0d;
      case 't':
        return 0x09;
      case 'v':
        return 0x0b;
      default:
        throw new GoRegexpSyntaxError(`invalid escape \\${character}`);
    }
  }

  private parseHexEscape(): number {
    const first = this.peek();
    if (first === undefined) throw new GoRegexpSyntaxError('invalid escape \\x');
    this.index++;
    if (first === '{') {
      let value = 0;
      let digits = 0;
      for (;;) {
        const character = this.peek();
        if (character === undefined) throw new GoRegexpSyntaxError('invalid escape \\x{');
        this.index++;
        if (character === '}') break;
        const digit = hexValue(character);
        if (digit < 0) throw new GoRegexpSyntaxError('invalid escape \\x{');
        value = value * 16 + digit;
        if (value > maximumCodePoint) throw new GoRegexpSyntaxError('invalid escape \\x{');
        digits++;
      }
      if (digits === 0) throw new GoRegexpSyntaxError('invalid escape \\x{}');
      return value;
    }
    const second = this.peek();
    const high = hexValue(first);
    const low = second === undefined ? -1 : hexValue(second);
    if (high < 0 || low < 0) throw new GoRegexpSyntaxError('invalid escape \\x');
    this.index++;
    return high * 16 + low;
  }

  // `\pL`, `\p{Greek}`, `\p{^Greek}`, `\PL`; the index is on `p`/`P`. Returns class content.
  private translateUnicodeClass(): string {
    let negated = this.next() === 'P';
    let name: string;
    const first = this.peek();
    if (first === undefined) throw new GoRegexpSyntaxError('invalid character class range \\p');
    this.index++;
    if (first === '{') {
      name = '';
      for (;;) {
        const character = this.peek();
        if (character === undefined) throw new GoRegexpSyntaxError('invalid character class range \\p{');
        this.index++;
        if (character === '}') break;
        name += character;
      }
    } else {
      name = first;
    }
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    if (name === 'Any') return negated ? '' : rangesSource([[0, maximumCodePoint]]);
    const property = /^[A-Z][a-z]?$/u.test(name) ? name : `Script=${name}`;
    const escape = `\\${negated ? 'P' : 'p'}{${property}}`;
    try {
      new RegExp(escape, 'u');
    } catch {
      throw new GoRegexpSyntaxError(`invalid character class range \\p{${name}}`);
    }
    return escape;
  }

  // regexp/syntax parseClass with Perl flags; the index is just after `[`.
  private translateClass(): string {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.index++;
    }
    let content = '';
    let first = true;
    while (first || this.peek() !== ']') {
      if (this.peek() === undefined) throw new GoRegexpSyntaxError('missing closing ]');
      first = false;
      const named = this.tryNamedClass();
      if (named !== undefined) {
        content += named;
        continue;
      }
      if (this.peek() === '\\' && (this.peek(1) === 'p' || this.peek(1) === 'P')) {
        this.index++;
        content += this.translateUnicodeClass();
        continue;
      }
      const perl = this.peek(1);
      if (this.peek() === '\\' && perl !== undefined && 'dDsSwW'.includes(perl)) {
        this.index += 2;
        content += rangesSource(perlRanges(perl));
        continue;
      }
      const low = this.parseClassCharacter();
      let high = low;
      const after = this.peek(1);
      if (this.peek() === '-' && after !== undefined && after !== ']') {
        this.index++;
        high = this.parseClassCharacter();
        if (high < low) throw new GoRegexpSyntaxError('invalid character class range');
      }
      content += rangesSource([[low, high]]);
    }
    this.index++;
    // Only `\P{Any}` contributes nothing: the class then matches nothing (or, negated, anything).
    if (content === '') return negated ? '[^]' : '[]';
    return `[${negated ? '^' : ''}${content}]`;
  }

  private tryNamedClass(): string | undefined {
    if (this.peek() !== '[' || this.peek(1) !== ':') return undefined;
    const rest = this.characters.slice(this.index + 2).join('');
    const end = rest.indexOf(':]');
    if (end < 0) return undefined;
    let name = rest.slice(0, end);
    let negated = false;
    if (name.startsWith('^')) {
      negated = true;
      name = name.slice(1);
    }
    const ranges = Object.hasOwn(posixClasses, name) ? posixClasses[name] : undefined;
    if (ranges === undefined) throw new GoRegexpSyntaxError(`invalid character class range [:${rest.slice(0, end)}:]`);
    this.index += 2 + Array.from(rest.slice(0, end)).length + 2;
    return rangesSource(negated ? complement(ranges) : ranges);
  }

  private parseClassCharacter(): number {
    const character = this.peek();
    if (character === undefined) throw new GoRegexpSyntaxError('missing closing ]');
    this.index++;
    if (character === '\\') return this.parseEscapedCharacter();
    return character.codePointAt(0) ?? 0;
  }
}

function perlRanges(letter: string): readonly Range[] {
  const ranges = perlClasses[letter.toLowerCase()] ?? [];
  return letter === letter.toUpperCase() ? complement(ranges) : ranges;
}

function complement(ranges: readonly Range[]): Range[] {
  const result: Range[] = [];
  let next = 0;
  for (const [low, high] of ranges) {
    if (low > next) result.push([next, low - 1]);
    next = high + 1;
  }
  if (next <= maximumCodePoint) result.push([next, maximumCodePoint]);
  return result;
}

function rangesSource(ranges: readonly Range[]): string {
  return ranges.map(([low, high]) => (low === high ? codePoint(low) : `${codePoint(low)}-${codePoint(high)}`)).join('');
}

function codePoint(value: number): string {
  return `\\u{${value.toString(16)}}`;
}

function literal(value: number): string {
  const character = String.fromCodePoint(value);
  return /^[0-9A-Za-z]$/u.test(character) ? character : codePoint(value);
}

function isAlphanumeric(character: string): boolean {
  return /^[0-9A-Za-z]$/u.test(character);
}

function isOctal(character: string | undefined): boolean {
  return character !== undefined && character >= '0' && character <= '7';
}

function hexValue(character: string): number {
  return /^[0-9A-Fa-f]$/u.test(character) ? Number.parseInt(character, 16) : -1;
}
