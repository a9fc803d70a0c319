// Small ports of Go standard-library string helpers whose exact behaviour the Docker CLI's
// .dockerignore handling depends on (JavaScript's built-ins differ at the edges).

// unicode.IsSpace: the Latin-1 spaces plus the Unicode White_Space property. Unlike
// String.prototype.trim, U+FEFF is not a space and U+0085 is.
const goSpace = '\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
const leadingSpace = new RegExp(`^[${goSpace}]+`, 'u');
const trailingSpace = new RegExp(`[${goSpace}]+$`, 'u');

/**
 * `strings.TrimSpace`: removes leading and trailing Unicode white space as Go defines it.
 *
 * @example
 * ```ts
 * trimGoSpace('\u0085 *.md \t'); // '*.md'
 * ```
 */
export function trimGoSpace(text: string): string {
  return text.replace(leadingSpace, '').replace(trailingSpace, '');
}

/**
 * `path/filepath.Clean` with `/` as separator: collapses repeated slashes, drops `.`
 * elements, resolves `..` lexically (never above the root of a rooted path), and removes any
 * trailing slash. The empty string becomes `.`.
 *
 * @example
 * ```ts
 * cleanGoPath('./a//b/../c/'); // 'a/c'
 * cleanGoPath('/../x'); // '/x'
 * ```
 */
export function cleanGoPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const kept: string[] = [];
  for (const element of path.split('/')) {
    if (element === '' || element === '.') continue;
    if (element === '..') {
      if (kept.length > 0 && kept[kept.length - 1] !== '..') kept.pop();
      else if (!rooted) kept.push('..');
      continue;
    }
    kept.push(element);
  }
  const joined = kept.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}
