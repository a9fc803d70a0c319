/**
 * Where a JSON text stops being valid, 1-based.
 *
 * @example
 * ```ts
 * const location: JsonSyntaxLocation = { line: 3, column: 27 };
 * ```
 */
export interface JsonSyntaxLocation {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, in UTF-16 code units. */
  readonly column: number;
}

class Invalid {
  constructor(readonly offset: number) {}
}

/**
 * Finds the first syntax error of a text that `JSON.parse` rejected, by scanning it again.
 * Needed because V8's `SyntaxError` message quotes a slice of the input (and Docker
 * configuration files hold base64 passwords), while its position is not always given: the error
 * is dropped and only this location is reported. `undefined` when the scan finds no error (or the
 * text nests too deeply to scan).
 *
 * @example
 * ```ts
 * locateJsonSyntaxError('{\n  "auth": x\n}'); // { line: 2, column: 11 }
 * ```
 */
export function locateJsonSyntaxError(text: string): JsonSyntaxLocation | undefined {
  let offset: number;
  try {
    new JsonScanner(text).document();
    return undefined;
  } catch (error) {
    if (!(error instanceof Invalid)) return undefined; // a RangeError from very deep nesting
    offset = error.offset;
  }
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/**
 * Formats {@link locateJsonSyntaxError} for a message: ` (line 3, column 27)`, or nothing.
 *
 * @example
 * ```ts
 * `${path} is not valid JSON${jsonSyntaxLocationSuffix(text)}.`;
 * ```
 */
export function jsonSyntaxLocationSuffix(text: string): string {
  const location = locateJsonSyntaxError(text);
  return location === undefined ? '' : ` (line ${location.line}, column ${location.column})`;
}

// A validating scanner of RFC 8259 JSON (what JSON.parse accepts); it builds nothing.
class JsonScanner {
  #index = 0;

  constructor(readonly text: string) {}

  document(): void {
    this.#value();
    this.#whitespace();
    if (this.#index < this.text.length) throw new Invalid(this.#index);
  }

  #whitespace(): void {
    while (this.#index < this.text.length && ' \t\n\r'.includes(this.text[this.#index] as string)) this.#index++;
  }

  #value(): void {
    this.#whitespace();
    const character = this.text[this.#index];
    if (character === '{') this.#object();
    else if (character === '[') this.#array();
    else if (character === '"') this.#string();
    else if (character === '-' || isDigit(character)) this.#number();
    else if (character === 't') this.#literal('true');
    else if (character === 'f') this.#literal('false');
    else if (character === 'n') this.#literal('null');
    else throw new Invalid(this.#index);
  }

  #object(): void {
    this.#index++;
    this.#whitespace();
    if (this.text[this.#index] === '}') {
      this.#index++;
      return;
    }
    for (;;) {
      this.#whitespace();
      if (this.text[this.#index] !== '"') throw new Invalid(this.#index);
      this.#string();
      this.#whitespace();
      if (this.text[this.#index] !== ':') throw new Invalid(this.#index);
      this.#index++;
      this.#value();
      this.#whitespace();
      const next = this.text[this.#index];
      this.#index++;
      if (next === '}') return;
      if (next !== ',') throw new Invalid(this.#index - 1);
    }
  }

  #array(): void {
    this.#index++;
    this.#whitespace();
    if (this.text[this.#index] === ']') {
      this.#index++;
      return;
    }
    for (;;) {
      this.#value();
      this.#whitespace();
      const next = this.text[this.#index];
      this.#index++;
      if (next === ']') return;
      if (next !== ',') throw new Invalid(this.#index - 1);
    }
  }

  #string(): void {
    this.#index++;
    for (;;) {
      const code = this.text.charCodeAt(this.#index);
      if (Number.isNaN(code) || code < 0x20) throw new Invalid(this.#index);
      if (code === 0x22) {
        this.#index++;
        return;
      }
      if (code !== 0x5c) {
        this.#index++;
        continue;
      }
      const escaped = this.text[this.#index + 1];
      if (escaped !== undefined && '"\\/bfnrt'.includes(escaped)) {
        this.#index += 2;
      } else if (escaped === 'u') {
        this.#index += 2;
        for (let digit = 0; digit < 4; digit++, this.#index++) {
          if (!/^[0-9a-fA-F]$/.test(this.text[this.#index] ?? '')) throw new Invalid(this.#index);
        }
      } else {
        throw new Invalid(this.#index + 1);
      }
    }
  }

  #number(): void {
    if (this.text[this.#index] === '-') this.#index++;
    if (this.text[this.#index] === '0') this.#index++;
    else this.#digits();
    if (this.text[this.#index] === '.') {
      this.#index++;
      this.#digits();
    }
    if (this.text[this.#index] === 'e' || this.text[this.#index] === 'E') {
      this.#index++;
      if (this.text[this.#index] === '+' || this.text[this.#index] === '-') this.#index++;
      this.#digits();
    }
  }

  #digits(): void {
    if (!isDigit(this.text[this.#index])) throw new Invalid(this.#index);
    while (isDigit(this.text[this.#index])) this.#index++;
  }

  #literal(word: string): void {
    for (const expected of word) {
      if (this.text[this.#index] !== expected) throw new Invalid(this.#index);
      this.#index++;
    }
  }
}

function isDigit(character: string | undefined): boolean {
  return character !== undefined && character >= '0' && character <= '9';
}
