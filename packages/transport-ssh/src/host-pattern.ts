/**
 * OpenSSH host patterns, as used by `Host` lines of ssh_config and host fields of known_hosts:
 * `*` matches any run of characters, `?` exactly one; case-insensitive, because ssh lowercases
 * host names before it compares them.
 *
 * @example
 * ```ts
 * matchHostPattern('*.example.com', 'build.example.com'); // true
 * matchHostPattern('web-?', 'web-10'); // false
 * ```
 */
export function matchHostPattern(pattern: string, name: string): boolean {
  const expression = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${expression}$`, 's').test(name.toLowerCase());
}

/**
 * Matches a name against a pattern list the way OpenSSH does: the list matches when at least
 * one plain pattern matches and no negated (`!pattern`) one does.
 *
 * @example
 * ```ts
 * matchHostPatternList(['*.example.com', '!bastion.example.com'], 'bastion.example.com'); // false
 * ```
 */
export function matchHostPatternList(patterns: readonly string[], name: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (matchHostPattern(pattern.slice(1), name)) return false;
    } else if (matchHostPattern(pattern, name)) {
      matched = true;
    }
  }
  return matched;
}
