import { isIP } from 'node:net';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { redactUrl } from '@berth/engine-protocol/internal';

/**
 * Port of a plain-HTTP engine by convention (`dockerd -H tcp://0.0.0.0:2375`), used when a
 * host without TLS names no port.
 *
 * @example
 * ```ts
 * tcpTransport({ host: 'tcp://10.0.0.5' }).origin === `http://10.0.0.5:${DEFAULT_TCP_PORT}`; // true
 * ```
 */
export const DEFAULT_TCP_PORT = 2375;
/**
 * Port of a TLS engine by convention (`dockerd --tlsverify -H tcp://0.0.0.0:2376`), used when a
 * TLS host names no port.
 *
 * @example
 * ```ts
 * tcpTransport({ host: 'tcp://10.0.0.5', tls: {} }).origin === `https://10.0.0.5:${DEFAULT_TLS_PORT}`; // true
 * ```
 */
export const DEFAULT_TLS_PORT = 2376;

/**
 * Where a `tcp://`, `http://` or `https://` host points.
 *
 * @example
 * ```ts
 * const endpoint: TcpEndpoint = { hostname: '::1', port: 2376, authority: '[::1]:2376', tls: true };
 * ```
 */
export interface TcpEndpoint {
  /** Host name or IP address to connect to; IPv6 without brackets. */
  readonly hostname: string;
  /** TCP port. */
  readonly port: number;
  /** `host:port`, IPv6 in brackets: for messages and request origins. */
  readonly authority: string;
  /** Whether to speak TLS. */
  readonly tls: boolean;
}

// Letters, digits, dots, dashes and underscores (Docker host names may carry them).
const hostnamePattern = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;

/**
 * Parses a `tcp://host[:port]` (or `http://` / `https://`) engine address. `https://` means
 * TLS, `http://` plain HTTP, `tcp://` TLS exactly when `tlsRequested`. The port defaults to
 * 2376 with TLS and 2375 without, as in the Docker CLI. Credentials, a path, a query string
 * or a fragment are refused with an `InvalidArgumentError`; messages never echo credentials.
 *
 * @example
 * ```ts
 * parseTcpHost('tcp://10.0.0.5', true); // { hostname: '10.0.0.5', port: 2376, authority: '10.0.0.5:2376', tls: true }
 * ```
 */
export function parseTcpHost(host: unknown, tlsRequested: boolean): TcpEndpoint {
  if (typeof host !== 'string' || host.trim() === '') {
    throw invalid('host must be a non-empty string such as tcp://127.0.0.1:2376.');
  }
  const shown = redactUrl(host);
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s.exec(host);
  if (!schemeMatch) {
    throw invalid(`host "${shown}" is not a URL: expected tcp://HOST[:PORT].`);
  }
  const scheme = schemeMatch[1]!.toLowerCase();
  const rest = schemeMatch[2]!;
  if (scheme !== 'tcp' && scheme !== 'http' && scheme !== 'https') {
    throw invalid(`host "${shown}" has the scheme ${scheme}://; this transport takes tcp://, http:// or https://.`);
  }
  if (scheme === 'http' && tlsRequested) {
    throw invalid(`host "${shown}" says http:// (plain HTTP) but TLS options were given: use tcp:// or https://.`);
  }

  // The authority ends at the first '/', '?' or '#'.
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const remainder = authorityEnd === -1 ? '' : rest.slice(authorityEnd);
  // Anywhere, not only in the authority: a password may contain "/" or "?".
  if (rest.includes('@')) {
    throw invalid(`host "${shown}" contains credentials; the engine API authenticates with TLS client certificates instead.`);
  }
  // A lone trailing slash is harmless; anything else would be silently ignored by the engine.
  if (remainder !== '' && remainder !== '/') {
    const what = remainder.includes('?') ? 'a query string' : remainder.startsWith('#') ? 'a fragment' : 'a path';
    throw invalid(`host "${shown}" has ${what}; only tcp://HOST[:PORT] is accepted.`);
  }
  if (/\s/.test(authority)) throw invalid(`host "${shown}" contains white space.`);

  let hostname: string;
  let portText: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close === -1) throw invalid(`host "${shown}" has an unterminated IPv6 address.`);
    hostname = authority.slice(1, close).toLowerCase();
    const after = authority.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) throw invalid(`host "${shown}" has text after the IPv6 address.`);
    portText = after === '' ? undefined : after.slice(1);
    if (isIP(hostname) !== 6) throw invalid(`host "${shown}" has an invalid IPv6 address.`);
  } else {
    const colon = authority.indexOf(':');
    if (colon !== authority.lastIndexOf(':')) {
      throw invalid(`host "${shown}" has more than one ":"; write IPv6 addresses in brackets: tcp://[::1]:2376.`);
    }
    hostname = (colon === -1 ? authority : authority.slice(0, colon)).toLowerCase();
    portText = colon === -1 ? undefined : authority.slice(colon + 1);
    if (hostname === '') throw invalid(`host "${shown}" has no host name.`);
    if (!hostnamePattern.test(hostname)) throw invalid(`host "${shown}" has an invalid host name "${hostname}".`);
  }

  const tls = scheme === 'https' || (scheme === 'tcp' && tlsRequested);
  let port = tls ? DEFAULT_TLS_PORT : DEFAULT_TCP_PORT;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65_535) {
      throw invalid(`host "${shown}" has an invalid port "${portText}": expected 1 to 65535.`);
    }
    port = Number(portText);
  }
  const bracketed = isIP(hostname) === 6 ? `[${hostname}]` : hostname;
  return { hostname, port, authority: `${bracketed}:${port}`, tls };
}


function invalid(message: string): InvalidArgumentError {
  return new InvalidArgumentError(message, { argument: 'host' });
}
