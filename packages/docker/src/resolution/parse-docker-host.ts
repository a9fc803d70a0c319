import { isIP } from 'node:net';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { redactUrl } from '@berth/engine-protocol/internal';
import type { DockerHostAddress, NamedPipeAddress, SshAddress, TcpAddress, UnixSocketAddress } from './resolved-endpoint.js';

/**
 * The socket the docker CLI uses when nothing else is configured.
 *
 * @example
 * ```ts
 * if (endpoint.kind === 'unix' && endpoint.socketPath === DEFAULT_UNIX_SOCKET) console.log('system engine');
 * ```
 */
export const DEFAULT_UNIX_SOCKET = '/var/run/docker.sock';
/**
 * The pipe the docker CLI uses on Windows when `npipe://` names none.
 *
 * @example
 * ```ts
 * parseDockerHost('npipe://'); // { kind: 'npipe', pipePath: DEFAULT_NAMED_PIPE }
 * ```
 */
export const DEFAULT_NAMED_PIPE = '//./pipe/docker_engine';
/**
 * Port of `tcp://host` without TLS (IANA "docker").
 *
 * @example
 * ```ts
 * const address = parseDockerHost('tcp://10.0.0.5');
 * if (address.kind === 'tcp') console.log(address.port === DEFAULT_TCP_PORT); // true
 * ```
 */
export const DEFAULT_TCP_PORT = 2375;
/**
 * Port of `tcp://host` with TLS (IANA "docker-s").
 *
 * @example
 * ```ts
 * const address = parseDockerHost('tcp://10.0.0.5', { tls: true });
 * if (address.kind === 'tcp') console.log(address.port === DEFAULT_TLS_PORT); // true
 * ```
 */
export const DEFAULT_TLS_PORT = 2376;
/** The CLI's host when only a port (`tcp://:2375`) or nothing (`tcp://`) is given. */
const defaultTcpHost = 'localhost';

/**
 * Options of {@link parseDockerHost}.
 *
 * @example
 * ```ts
 * const options: ParseDockerHostOptions = { tls: true, argument: 'DOCKER_HOST' };
 * ```
 */
export interface ParseDockerHostOptions {
  /** Whether TLS is on: a `tcp://` address without a port then gets 2376 instead of 2375. */
  readonly tls?: boolean;
  /** Name of the setting the value came from, for error messages. Default: `host`. */
  readonly argument?: string;
}

const schemePattern = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s;
// Letters, digits, dots, dashes and underscores, as the TCP transport accepts them.
const hostnamePattern = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;

/**
 * Parses one `DOCKER_HOST` / `-H` value with the docker CLI's rules (`opts.ParseHost`):
 * `unix://[path]` (empty: `/var/run/docker.sock`), `tcp://[host][:port][/base-path]` (empty host:
 * `localhost`; no port: 2375, or 2376 with TLS), `host:port` without a scheme as TCP, `/path` or
 * `./path` without a scheme as a Unix socket, `http://` as TCP, `ssh://[user@]host[:port][/path]`,
 * `npipe://[path]`. Refused with an `InvalidArgumentError`: an unknown scheme, `fd://` (a
 * daemon-side address), `https://`, credentials in TCP URLs, SSH passwords, query strings,
 * fragments, an empty SSH host, a bad port, and user info in `unix://` and `npipe://` addresses
 * (`unix://user:pw@/path`). Messages never echo credentials, whatever the form.
 *
 * @example
 * ```ts
 * parseDockerHost('tcp://10.0.0.5'); // { kind: 'tcp', host: '10.0.0.5', port: 2375, … }
 * parseDockerHost('ssh://me@box:2222/run/docker.sock'); // { kind: 'ssh', user: 'me', host: 'box', port: 2222, … }
 * const address = parseDockerHost('tcp://10.0.0.5', { tls: true });
 * if (address.kind === 'tcp') console.log(address.port); // 2376
 * ```
 */
export function parseDockerHost(value: string, options: ParseDockerHostOptions = {}): DockerHostAddress {
  const argument = options.argument ?? 'host';
  const trimmed = value.trim();
  const shown = displayable(trimmed);
  const fail = (problem: string, details?: string): InvalidArgumentError =>
    new InvalidArgumentError(`${argument} "${shown}" ${problem}`, { argument, details });
  if (trimmed === '') throw new InvalidArgumentError(`${argument} is empty.`, { argument });

  let scheme: string;
  let rest: string;
  const match = schemePattern.exec(trimmed);
  if (match) {
    scheme = match[1]!.toLowerCase();
    rest = match[2]!;
  } else if (trimmed.includes('://')) {
    throw fail('has no scheme before "://".', supportedForms);
  } else {
    // Like the CLI: a bare path means a socket, anything else `host[:port]`.
    scheme = trimmed.startsWith('/') || trimmed.startsWith('./') ? 'unix' : 'tcp';
    rest = trimmed;
  }

  switch (scheme) {
    case 'tcp':
    case 'http':
      return parseTcp(rest, options.tls === true, fail);
    case 'unix':
      return parseUnix(rest, fail);
    case 'npipe':
      return parseNamedPipe(rest, fail);
    case 'ssh':
      return parseSsh(trimmed, fail);
    case 'fd':
      throw fail(
        'is a socket-activation address of the daemon (dockerd -H fd://); a client cannot connect through it.',
        supportedForms,
      );
    case 'https':
      throw fail(
        'uses https://, which the docker CLI does not accept.',
        'Write tcp://HOST:PORT and turn TLS on with DOCKER_TLS_VERIFY=1 (and DOCKER_CERT_PATH), or use a context with TLS.',
      );
    default:
      throw fail(`has an unsupported scheme "${scheme}://".`, supportedForms);
  }
}

const supportedForms =
  'Supported: unix:///path/to/docker.sock, tcp://HOST[:PORT], HOST:PORT, ssh://[USER@]HOST[:PORT][/PATH], npipe:////./pipe/NAME.';

type Fail = (problem: string, details?: string) => InvalidArgumentError;

function parseTcp(rest: string, tls: boolean, fail: Fail): TcpAddress {
  if (rest.includes('://')) throw fail('names two schemes.', supportedForms);
  if (rest.includes('?')) throw fail('has a query string; an engine address takes none.');
  if (rest.includes('#')) throw fail('has a fragment; an engine address takes none.');
  if (/\s/.test(rest)) throw fail('contains white space.');
  // Anywhere, not only before the first "/": a password may itself hold "/".
  if (rest.includes('@')) {
    throw fail('contains credentials; the engine authenticates TCP clients with TLS certificates instead.');
  }
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash);

  let host: string;
  let portText: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close === -1) throw fail('has an unterminated IPv6 address.');
    host = authority.slice(1, close);
    const after = authority.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) throw fail('has text after the IPv6 address.');
    portText = after === '' ? undefined : after.slice(1);
    if (isIP(host) !== 6) throw fail('has an invalid IPv6 address.');
  } else if (authority.indexOf(':') !== authority.lastIndexOf(':')) {
    // The CLI takes a bare IPv6 address (`tcp://::1`) as a host without a port.
    if (isIP(authority) !== 6) throw fail('has more than one ":"; write IPv6 addresses in brackets: tcp://[::1]:2375.');
    host = authority;
  } else {
    const colon = authority.indexOf(':');
    host = colon === -1 ? authority : authority.slice(0, colon);
    portText = colon === -1 ? undefined : authority.slice(colon + 1);
    if (host !== '' && isIP(host) === 0 && !hostnamePattern.test(host)) {
      throw fail(`has an invalid host name "${host}".`);
    }
  }
  if (host === '') host = defaultTcpHost;

  let port = tls ? DEFAULT_TLS_PORT : DEFAULT_TCP_PORT;
  if (portText !== undefined && portText !== '') {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65_535) {
      throw fail(`has an invalid port "${portText}": expected 1 to 65535.`);
    }
    port = Number(portText);
  }
  // The engine client keeps a path as a prefix of every API path; "/" alone adds nothing.
  const basePath = path.replace(/\/+$/, '');
  return basePath === '' ? { kind: 'tcp', host, port } : { kind: 'tcp', host, port, basePath };
}

/**
 * `unix://user:pw@/path`: the CLI would take `user:pw@/path` as a relative socket path. An "@"
 * in a path that does not start with "/" is far more likely user info than a file name: refuse.
 */
function refuseUserInfo(rest: string, fail: Fail, what: string): void {
  if (rest.includes('@') && !rest.startsWith('/')) {
    throw fail(`contains what looks like credentials ("…@"); a ${what} takes none.`, 'Write the path only, e.g. unix:///var/run/docker.sock.');
  }
}

function parseUnix(rest: string, fail: Fail): UnixSocketAddress {
  if (rest.includes('://')) throw fail('names two schemes.', supportedForms);
  refuseUserInfo(rest, fail, 'socket path');
  if (rest.includes('?')) throw fail('has a query string; a socket path takes none.');
  if (rest.includes('#')) throw fail('has a fragment; a socket path takes none.');
  return { kind: 'unix', socketPath: rest === '' ? DEFAULT_UNIX_SOCKET : rest };
}

function parseNamedPipe(rest: string, fail: Fail): NamedPipeAddress {
  if (rest.includes('://')) throw fail('names two schemes.', supportedForms);
  refuseUserInfo(rest, fail, 'pipe path');
  if (rest.includes('?')) throw fail('has a query string; a pipe path takes none.');
  return { kind: 'npipe', pipePath: rest === '' ? DEFAULT_NAMED_PIPE : rest };
}

function parseSsh(url: string, fail: Fail): SshAddress {
  if (/\s/.test(url)) throw fail('contains white space.');
  if (url.includes('?')) throw fail('has a query string; ssh:// URLs take none.');
  if (url.includes('#')) throw fail('has a fragment; ssh:// URLs take none.');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw fail('is not a valid URL.', 'Expected ssh://[USER@]HOST[:PORT][/PATH].');
  }
  if (parsed.password !== '') {
    throw fail('contains a password; plain-text SSH passwords are not supported.', 'Use an SSH key or an SSH agent.');
  }
  const bracketed = parsed.hostname;
  const host = bracketed.startsWith('[') && bracketed.endsWith(']') ? bracketed.slice(1, -1) : bracketed;
  if (host === '') throw fail('has no host name.', 'Expected ssh://[USER@]HOST[:PORT][/PATH].');
  const user = parsed.username === '' ? undefined : safeDecode(parsed.username);
  const port = parsed.port === '' ? undefined : Number(parsed.port);
  const path = parsed.pathname === '' || parsed.pathname === '/' ? undefined : safeDecode(parsed.pathname);
  return {
    kind: 'ssh',
    url,
    host,
    ...(user === undefined ? {} : { user }),
    ...(port === undefined ? {} : { port }),
    ...(path === undefined ? {} : { socketPath: path }),
  };
}

/**
 * The value for messages: user info redacted (everything between the scheme and the last "@",
 * since a password may hold "/", "?" or "@"; an absolute path keeps its "@"), then the query
 * and fragment cut off (they may hold tokens).
 */
function displayable(value: string): string {
  // redactUrl drops the user info, whatever it holds; a query or fragment, which no engine
  // address takes, is not shown at all.
  const shown = redactUrl(value);
  const cut = shown.search(/[?#]/);
  return cut === -1 ? shown : `${shown.slice(0, cut)}${shown[cut]}…`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
