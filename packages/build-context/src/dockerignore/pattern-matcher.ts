// The matching rules of moby/patternmatcher: patterns apply in order, a later match wins, and
// a pattern also matches every path below a directory it matches.
import { cleanGoPath } from './go-text.js';
import { Pattern } from './pattern.js';

/**
 * What a directory's match left for its children (`MatchInfo` in patternmatcher): which
 * patterns matched the directory or one of its parents. Opaque; pass it back unchanged.
 *
 * @example
 * ```ts
 * const matcher = new PatternMatcher(['logs', '!logs/keep']);
 * const state: ParentMatchState = matcher.matchWithParent('logs').state;
 * matcher.matchWithParent('logs/keep', state).excluded; // false
 * ```
 */
export interface ParentMatchState {
  /** One flag per pattern. */
  readonly matchedPatterns: readonly boolean[];
}

/**
 * Result of {@link PatternMatcher.matchWithParent}.
 *
 * @example
 * ```ts
 * const matcher = new PatternMatcher(['*.log']);
 * const result: ParentMatchResult = matcher.matchWithParent('debug.log');
 * if (result.excluded) console.log('left out of the context');
 * ```
 */
export interface ParentMatchResult {
  /** True when the path is excluded from the context. */
  readonly excluded: boolean;
  /** State to pass when matching this path's children (when the path is a directory). */
  readonly state: ParentMatchState;
}

/**
 * `.dockerignore` patterns compiled with the Docker CLI's rules (moby/patternmatcher):
 * `*`, `?`, `[...]` classes and `\` escapes as in Go's `filepath.Match`, `**` for any number
 * of directories, `!` exceptions where the last matching pattern wins, and a pattern that
 * matches a directory also matching everything below it.
 *
 * @example
 * ```ts
 * const matcher = new PatternMatcher(['docs', '!docs/keep.md', 'cache/**']);
 * matcher.matches('docs/a.md');    // true (excluded through its parent)
 * matcher.matches('docs/keep.md'); // false (re-included)
 * matcher.matches('cache/a/b');    // true
 * ```
 */
export class PatternMatcher {
  /** The compiled patterns, in order (blank ones dropped). */
  readonly patterns: readonly Pattern[];
  /** True when at least one pattern is a `!` exception. */
  readonly hasExclusions: boolean;

  /**
   * Compiles the patterns (as returned by {@link parseDockerignore}). Throws
   * `InvalidArgumentError` (argument `dockerignore`) for a pattern the Docker CLI refuses.
   *
   * @example
   * ```ts
   * new PatternMatcher(['*.tmp', '!keep.tmp']);
   * new PatternMatcher(['[']); // throws InvalidArgumentError
   * ```
   */
  constructor(patterns: readonly string[]) {
    const compiled: Pattern[] = [];
    for (const source of patterns) {
      const pattern = Pattern.compile(source);
      if (pattern !== undefined) compiled.push(pattern);
    }
    this.patterns = compiled;
    this.hasExclusions = compiled.some((pattern) => pattern.exclusion);
  }

  /**
   * Whether `path` (relative to the context, `/`-separated) is excluded, checking the path
   * and each of its parent directories (`MatchesOrParentMatches`). The context root itself
   * (`.`) is never excluded.
   *
   * @example
   * ```ts
   * new PatternMatcher(['build']).matches('build/out/app.js'); // true
   * ```
   */
  matches(path: string): boolean {
    const file = cleanGoPath(path);
    if (file === '.') return false;
    const parents = parentPrefixes(file);
    let matched = false;
    for (const pattern of this.patterns) {
      // An inclusion cannot change an already excluded path, nor an exception an included one.
      if (pattern.exclusion !== matched) continue;
      const match = pattern.matches(file) || parents.some((parent) => pattern.matches(parent));
      if (match) matched = !pattern.exclusion;
    }
    return matched;
  }

  /**
   * Matches one path of a walk given its parent directory's state
   * (`MatchesUsingParentResults`): a pattern that matched the parent matches the path
   * without being tested again. Without `parent`, parent directories are tested directly.
   *
   * @example
   * ```ts
   * const matcher = new PatternMatcher(['logs', '!logs/keep']);
   * const logs = matcher.matchWithParent('logs');
   * matcher.matchWithParent('logs/keep', logs.state).excluded; // false
   * matcher.matchWithParent('logs/old', logs.state).excluded;  // true
   * ```
   */
  matchWithParent(path: string, parent?: ParentMatchState): ParentMatchResult {
    const parentMatched = parent?.matchedPatterns;
    const matchedPatterns: boolean[] = [];
    let excluded = false;
    let parents: string[] | undefined;
    this.patterns.forEach((pattern, index) => {
      let match = parentMatched?.[index] ?? false;
      if (!match) {
        if (pattern.exclusion !== excluded) {
          matchedPatterns.push(false);
          return;
        }
        match = pattern.matches(path);
        if (!match && parentMatched === undefined) {
          parents ??= parentPrefixes(path);
          match = parents.some((prefix) => pattern.matches(prefix));
        }
      }
      matchedPatterns.push(match);
      if (match) excluded = !pattern.exclusion;
    });
    return { excluded, state: { matchedPatterns } };
  }

  /**
   * Whether an exception could re-include something below the excluded `directory`, so that
   * a walk must still enter it. Uses the Docker CLI's test: an exception's text, with a `/`
   * appended, starts with `directory/`. So an exception that begins with a wildcard (say `!**`
   * followed by `/keep`) never makes the walk enter an excluded directory.
   *
   * @example
   * ```ts
   * const matcher = new PatternMatcher(['vendor', '!vendor/keep/**']);
   * matcher.mayReincludeUnder('vendor'); // true
   * matcher.mayReincludeUnder('other');  // false
   * ```
   */
  mayReincludeUnder(directory: string): boolean {
    if (!this.hasExclusions) return false;
    const prefix = `${directory}/`;
    return this.patterns.some((pattern) => pattern.exclusion && `${pattern.text}/`.startsWith(prefix));
  }
}

// `a/b/c` → ['a', 'a/b']: the parent directories, shortest first.
function parentPrefixes(path: string): string[] {
  const parts = path.split('/');
  const prefixes: string[] = [];
  for (let length = 1; length < parts.length; length++) prefixes.push(parts.slice(0, length).join('/'));
  return prefixes;
}
