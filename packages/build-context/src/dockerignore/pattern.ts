// One .dockerignore pattern, compiled the way moby/patternmatcher (v0.6, vendored by Docker
// CLI 23 and later) compiles it: literal patterns compare as strings, `**`-prefixed and `**`-suffixed ones
// as suffix/prefix tests (with the same quirks: `**foo` is a plain suffix test), everything
// else through the Go regular expression that patternmatcher builds.
import { InvalidArgumentError } from '@berth/engine-protocol';
import { isValidGoGlob } from './glob-syntax.js';
import { cleanGoPath, trimGoSpace } from './go-text.js';
import { GoRegexpSyntaxError, translateGoRegexp } from './go-regexp.js';
import { linearPathExpression, type PathExpression } from './linear-regexp.js';
import { definedEntries } from '@berth/engine-protocol/internal';

// Characters that patternmatcher escapes in the regular expression (regexp.QuoteMeta minus
// the glob characters and `\`).
const regexpSpecials = new Set(['.', '+', '(', ')', '|', '{', '}', '$']);

type Matcher =
  | { readonly kind: 'exact'; readonly text: string }
  | { readonly kind: 'prefix'; readonly prefix: string }
  | { readonly kind: 'suffix'; readonly suffix: string }
  | { readonly kind: 'regexp'; readonly expression: PathExpression };

/**
 * A compiled pattern: its cleaned text (without `!`), whether it is an exception, and a
 * matcher for slash-separated relative paths.
 *
 * @example
 * ```ts
 * const pattern = Pattern.compile('!docs/**');
 * pattern?.exclusion;                // true
 * pattern?.matches('docs/a/b.md');   // true
 * ```
 */
export class Pattern {
  private constructor(
    /** The pattern after cleaning, without the leading `!`. */
    readonly text: string,
    /** True for `!` exceptions, which re-include what earlier patterns excluded. */
    readonly exclusion: boolean,
    private readonly matcher: Matcher,
  ) {}

  /**
   * Compiles one pattern as `patternmatcher.New` does: trims white space, cleans the path,
   * splits off `!`, and checks the glob syntax. Returns `undefined` for a blank pattern.
   * Throws `InvalidArgumentError` (argument `dockerignore`) for `!` alone, a malformed glob,
   * or an expression that Go's regexp package would refuse.
   *
   * @example
   * ```ts
   * Pattern.compile('  /logs/  ')?.text; // '/logs' (ReadAll strips the leading slash, not New)
   * Pattern.compile('[z-');              // throws InvalidArgumentError
   * ```
   */
  static compile(source: string): Pattern | undefined {
    // New() trims and cleans again what ReadAll already trimmed and cleaned, and cleans
    // before splitting off `!`: `!./a` stays `./a`, which matches nothing.
    let text = trimGoSpace(source);
    if (text === '') return undefined;
    text = cleanGoPath(text);
    let exclusion = false;
    if (text.startsWith('!')) {
      if (text.length === 1) throw invalidPattern(source, 'illegal exclusion pattern: "!"');
      exclusion = true;
      text = text.slice(1);
    }
    if (!isValidGoGlob(text)) throw invalidPattern(source, 'syntax error in pattern');
    let matcher: Matcher;
    try {
      matcher = buildMatcher(text);
    } catch (error) {
      if (error instanceof GoRegexpSyntaxError) throw invalidPattern(source, `syntax error in pattern: ${error.message}`, error);
      throw error;
    }
    return new Pattern(text, exclusion, matcher);
  }

  /**
   * Tests one slash-separated path relative to the context root (no parent directories).
   *
   * @example
   * ```ts
   * Pattern.compile('*.md')?.matches('README.md'); // true
   * Pattern.compile('*.md')?.matches('docs/a.md'); // false: `*` stops at `/`
   * ```
   */
  matches(path: string): boolean {
    const matcher = this.matcher;
    switch (matcher.kind) {
      case 'exact':
        return path === matcher.text;
      case 'prefix':
        return path.startsWith(matcher.prefix);
      case 'suffix':
        if (path.endsWith(matcher.suffix)) return true;
        // `**/foo` also matches `foo` itself.
        return matcher.suffix.startsWith('/') && path === matcher.suffix.slice(1);
      case 'regexp':
        return matcher.expression.test(path);
    }
  }
}

// Pattern.compile (patternmatcher's compile): builds the Go expression and classifies it.
function buildMatcher(text: string): Matcher {
  const characters = Array.from(text);
  let position = 0;
  let expression = '^';
  let kind: Matcher['kind'] = 'exact';
  for (let iteration = 0; position < characters.length; iteration++) {
    const character = characters[position++] as string;
    if (character === '*') {
      if (characters[position] === '*') {
        position++;
        // `**/` is read as `**`.
        if (characters[position] === '/') position++;
        if (position >= characters.length) {
          // A trailing `**` accepts everything below, as in .gitignore.
          if (kind === 'exact') {
            kind = 'prefix';
          } else {
            expression += '.*';
            kind = 'regexp';
          }
        } else {
          // Any number of directories, including none.
          expression += '(.*/)?';
          kind = 'regexp';
        }
        if (iteration === 0) kind = 'suffix';
      } else {
        expression += '[^/]*';
        kind = 'regexp';
      }
    } else if (character === '?') {
      expression += '[^/]';
      kind = 'regexp';
    } else if (regexpSpecials.has(character)) {
      expression += `\\${character}`;
    } else if (character === '\\') {
      const escaped = characters[position];
      if (escaped !== undefined) {
        position++;
        expression += `\\${escaped}`;
        kind = 'regexp';
      } else {
        expression += '\\';
      }
    } else if (character === '[' || character === ']') {
      expression += character;
      kind = 'regexp';
    } else {
      expression += character;
    }
  }
  switch (kind) {
    case 'exact':
      return { kind, text };
    case 'prefix':
      return { kind, prefix: text.slice(0, -2) };
    case 'suffix':
      return { kind, suffix: text.slice(2) };
    case 'regexp':
      // Linear time whatever the pattern, as in Go (see linear-regexp.ts).
      return { kind, expression: linearPathExpression(translateGoRegexp(`${expression}$`)) };
  }
}

function invalidPattern(source: string, reason: string, cause?: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`Invalid .dockerignore pattern ${JSON.stringify(source)}: ${reason}.`, {
    argument: 'dockerignore',
    ...definedEntries({ cause }),
  });
}
