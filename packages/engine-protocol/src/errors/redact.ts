/**
 * A copy of a request that is safe to log: no credentials in headers, query or URL.
 *
 * @example
 * ```ts
 * if (error instanceof EngineError) logger.warn(error.request satisfies RedactedRequest);
 * ```
 */
export interface RedactedRequest {
  /** HTTP method. */
  readonly method: string;
  /** Path with query, credentials replaced by `[redacted]`. */
  readonly path: string;
  /** Headers, credential-carrying ones replaced by `[redacted]`. */
  readonly headers: Readonly<Record<string, string>>;
}

const REDACTED = '[redacted]';
const secretHeaders = new Set([
  'authorization',
  'proxy-authorization',
  'x-registry-auth',
  'x-registry-config',
  'cookie',
]);
const secretQueryKey = /pass|secret|token|auth|key|credential/i;

/**
 * Returns a copy of the headers with every credential-carrying header redacted.
 *
 * @example
 * ```ts
 * redactHeaders({ 'X-Registry-Auth': 'eyJ…' }); // { 'X-Registry-Auth': '[redacted]' }
 * ```
 */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    copy[name] = secretHeaders.has(name.toLowerCase()) ? REDACTED : value;
  }
  return copy;
}

const userInfoInUrl = /\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s?#"']+@/gi;

/**
 * Replaces the user info of every URL inside a text (`https://user:token@host` →
 * `https://[redacted]@host`). Engine messages quote URLs they failed on, such as a build's
 * `remote` Git URL, credentials included.
 *
 * @example
 * ```ts
 * redactText('fetching https://bob:ghp_x@github.com/a/b failed'); // 'fetching https://[redacted]@github.com/a/b failed'
 * ```
 */
export function redactText(text: string): string {
  return text.replace(userInfoInUrl, `$1${REDACTED}@`);
}

/**
 * Removes user info from a URL, a bare `user:pw@host[:port]` or a path (also inside query
 * values, such as a build's `remote`) and redacts query values whose key looks secret. The user
 * info is everything between the scheme and the LAST `@`: a password may itself hold `/`, `?`,
 * `#` or `@`, so no URL grammar is trusted to find where it ends (a later `@` in a path or query
 * redacts more than needed, never less). Text starting with `/` (a path, `unix:///path`) has no
 * user info.
 *
 * @example
 * ```ts
 * redactUrl('ssh://me:pw@host/x?token=1'); // 'ssh://[redacted]@host/x?token=%5Bredacted%5D'
 * redactUrl('tcp://me:p/a?s#s@w@host:2376'); // 'tcp://[redacted]@host:2376'
 * ```
 */
export function redactUrl(url: string): string {
  let result = redactUserInfo(url);
  const queryStart = result.indexOf('?');
  if (queryStart === -1) return result;
  const query = new URLSearchParams(result.slice(queryStart + 1));
  let changed = false;
  for (const key of new Set(query.keys())) {
    if (secretQueryKey.test(key)) {
      query.set(key, REDACTED);
      changed = true;
      continue;
    }
    const values = query.getAll(key);
    const redacted = values.map(redactText);
    if (redacted.some((value, index) => value !== values[index])) {
      query.delete(key);
      for (const value of redacted) query.append(key, value);
      changed = true;
    }
  }
  if (changed) result = `${result.slice(0, queryStart)}?${query.toString()}`;
  return result;
}

const schemePrefix = /^[a-z][a-z0-9+.-]*:\/\//i;

function redactUserInfo(url: string): string {
  const scheme = schemePrefix.exec(url)?.[0] ?? '';
  if (url.startsWith('/', scheme.length)) return url;
  const at = url.lastIndexOf('@');
  return at === -1 ? url : `${scheme}${REDACTED}${url.slice(at)}`;
}

/**
 * Builds the redacted copy of a request attached to errors.
 *
 * @example
 * ```ts
 * redactRequest({ method: 'POST', path: '/v1.45/images/create', headers: {} });
 * ```
 */
export function redactRequest(request: {
  method: string;
  path: string;
  headers?: Readonly<Record<string, string>> | undefined;
}): RedactedRequest {
  return {
    method: request.method,
    path: redactUrl(request.path),
    headers: redactHeaders(request.headers ?? {}),
  };
}
