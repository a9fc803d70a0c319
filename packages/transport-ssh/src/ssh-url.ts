import { isIPv6 } from 'node:net';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { redactUrl } from '@berth/engine-protocol/internal';

/**
 * The parts of an `ssh://[user@]host[:port][/socket-path]` URL, as {@link parseSshUrl} returns them.
 *
 * @example
 * ```ts
 * const endpoint: SshEndpoint = parseSshUrl('ssh://[fd00::1]:2222');
 * // { user: undefined, host: 'fd00::1', port: 2222, socketPath: undefined }
 * ```
 */
export interface SshEndpoint {
  /** The remote user, when the URL names one. */
  readonly user: string | undefined;
  /** Host name or IP address (an IPv6 address without its brackets). */
  readonly host: string;
  /** The port, when the URL names one. */
  readonly port: number | undefined;
  /** The engine's socket on the remote host, when the URL has a path. */
  readonly socketPath: string | undefined;
}

const hostNamePattern = /^[A-Za-z0-9_](?:[A-Za-z0-9._-]*)$/;

/**
 * Parses an SSH engine URL the way the docker CLI accepts it: `ssh://[user@]host[:port][/path]`.
 * A password, a query string, a fragment or a bad port is refused with an
 * `InvalidArgumentError` (a password is never repeated in the message).
 *
 * @example
 * ```ts
 * parseSshUrl('ssh://deploy@build-1:2222/run/user/1000/docker.sock');
 * // { user: 'deploy', host: 'build-1', port: 2222, socketPath: '/run/user/1000/docker.sock' }
 * ```
 */
export function parseSshUrl(url: string): SshEndpoint {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new InvalidArgumentError('The SSH URL is empty; expected ssh://[user@]host[:port][/socket-path].', { argument: 'url' });
  }
  const match = /^ssh:\/\/([^/?#]*)([^?#]*)([?#].*)?$/i.exec(url);
  if (!match) {
    throw new InvalidArgumentError(`Not an SSH URL: ${redactUrl(url)}; expected ssh://[user@]host[:port][/socket-path].`, {
      argument: 'url',
    });
  }
  const authority = match[1] ?? '';
  const rawPath = match[2] ?? '';
  const extra = match[3];
  const at = authority.lastIndexOf('@');
  const userInfo = at === -1 ? undefined : authority.slice(0, at);
  const hostPort = at === -1 ? authority : authority.slice(at + 1);
  if (userInfo?.includes(':')) {
    throw new InvalidArgumentError(`The SSH URL ${redactUrl(url)} contains a password: plain-text passwords are not supported.`, {
      argument: 'url',
      details: 'Authenticate with an SSH agent or an identity file (identityFiles option, IdentityFile in ~/.ssh/config).',
    });
  }
  if (extra !== undefined) {
    const what = extra.startsWith('?') ? 'a query string' : 'a fragment';
    throw new InvalidArgumentError(`The SSH URL ${redactUrl(url)} has ${what}; ssh:// URLs take none.`, { argument: 'url' });
  }

  let user: string | undefined;
  if (userInfo !== undefined) {
    user = decode(userInfo, url, 'user name');
    if (user === '') throw new InvalidArgumentError(`The SSH URL ${redactUrl(url)} has an empty user name.`, { argument: 'url' });
  }

  const { host, portText } = splitHostPort(hostPort, url);
  let port: number | undefined;
  if (portText !== undefined) {
    const value = /^\d{1,5}$/.test(portText) ? Number(portText) : Number.NaN;
    if (!(value >= 1 && value <= 65_535)) {
      throw new InvalidArgumentError(`The SSH URL ${redactUrl(url)} has an invalid port "${portText}"; expected 1-65535.`, {
        argument: 'url',
      });
    }
    port = value;
  }

  const path = decode(rawPath, url, 'path');
  const socketPath = path === '' || path === '/' ? undefined : path;
  return { user, host, port, socketPath };
}

function splitHostPort(hostPort: string, url: string): { host: string; portText: string | undefined } {
  let host: string;
  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    host = close === -1 ? '' : hostPort.slice(1, close);
    const rest = close === -1 ? '' : hostPort.slice(close + 1);
    if (close === -1 || !isIPv6(host) || (rest !== '' && !rest.startsWith(':'))) {
      throw new InvalidArgumentError(`The SSH URL ${redactUrl(url)} has an invalid IPv6 host.`, { argument: 'url' });
    }
    portText = rest === '' ? undefined : rest.slice(1);
  } else {
    const colon = hostPort.lastIndexOf(':');
    host = colon === -1 ? hostPort : hostPort.slice(0, colon);
    portText = colon === -1 ? undefined : hostPort.slice(colon + 1);
    if (host === '') throw new InvalidArgumentError(`The SSH URL ${redactUrl(url)} names no host.`, { argument: 'url' });
    if (!hostNamePattern.test(host)) {
      throw new InvalidArgumentError(`The SSH URL ${redactUrl(url)} has an invalid host name "${host}".`, { argument: 'url' });
    }
  }
  return { host, portText };
}

function decode(text: string, url: string, part: string): string {
  try {
    return decodeURIComponent(text);
  } catch (cause) {
    throw new InvalidArgumentError(`The SSH URL ${redactUrl(url)} has a badly encoded ${part}.`, { argument: 'url', cause });
  }
}
