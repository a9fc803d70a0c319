import { InvalidArgumentError } from '@berth/engine-protocol';
import { matchHostPatternList } from './host-pattern.js';

/** One keyword line of an ssh_config file. */
export interface SshConfigOption {
  /** The keyword, lower-cased (`hostname`, `identityfile`, …). */
  readonly keyword: string;
  /** Its arguments, unquoted. */
  readonly values: readonly string[];
  /** `file:line`, for error messages. */
  readonly source: string;
}

/** A `Host` block of an ssh_config file, or the lines before the first block. */
export interface SshConfigBlock {
  /**
   * The block's host patterns; `undefined` for the lines before the first `Host`/`Match`,
   * which apply to every host.
   */
  readonly patterns: readonly string[] | undefined;
  /** `true` for a `Match` block: not supported, so never applied. */
  readonly unsupported: boolean;
  /** The keyword lines of the block. */
  readonly options: readonly SshConfigOption[];
}

/** What ssh_config says about one host, before `~` and `%` tokens are expanded. */
export interface SshHostConfig {
  /** `HostName`: the real host to connect to (may hold `%h`). */
  readonly hostName: string | undefined;
  /** `User`. */
  readonly user: string | undefined;
  /** `Port`. */
  readonly port: number | undefined;
  /** Every `IdentityFile`, in order. */
  readonly identityFiles: readonly string[];
  /** `UserKnownHostsFile`, when set. */
  readonly userKnownHostsFiles: readonly string[] | undefined;
}

/**
 * Parses ssh_config(5) text into blocks: `Host` blocks with their patterns, keyword lines as
 * `Keyword value` or `Keyword=value`, double-quoted arguments, `#` comments. `Match` blocks
 * and `Include` are not supported (they are skipped).
 *
 * @example
 * ```ts
 * const blocks = parseSshConfig('Host build-*\n  User deploy\n  Port 2222\n');
 * resolveSshHostConfig(blocks, 'build-1').port; // 2222
 * ```
 */
export function parseSshConfig(text: string, source = 'ssh config'): SshConfigBlock[] {
  const blocks: Array<{ patterns: string[] | undefined; unsupported: boolean; options: SshConfigOption[] }> = [
    { patterns: undefined, unsupported: false, options: [] },
  ];
  const lines = text.split(/\r?\n/);
  for (const [index, rawLine] of lines.entries()) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([^\s=]+)(?:\s*=\s*|\s+)?(.*)$/.exec(line);
    if (!match) continue;
    const keyword = (match[1] ?? '').toLowerCase();
    const values = splitArguments(match[2] ?? '', source, index + 1);
    if (keyword === 'host') {
      if (values.length === 0) throw new InvalidArgumentError(`${source}:${index + 1}: Host needs at least one pattern.`);
      blocks.push({ patterns: values, unsupported: false, options: [] });
    } else if (keyword === 'match') {
      blocks.push({ patterns: [], unsupported: true, options: [] });
    } else {
      blocks.at(-1)?.options.push({ keyword, values, source: `${source}:${index + 1}` });
    }
  }
  return blocks;
}

/**
 * Collects what the blocks that apply to `host` say, with OpenSSH's precedence: the first
 * value obtained for a keyword wins, except `IdentityFile`, which accumulates.
 *
 * @example
 * ```ts
 * const blocks = parseSshConfig('Host *.lan\n  HostName %h.example.com\n  IdentityFile ~/.ssh/lan\n');
 * resolveSshHostConfig(blocks, 'nas.lan'); // { hostName: '%h.example.com', identityFiles: ['~/.ssh/lan'], … }
 * ```
 */
export function resolveSshHostConfig(blocks: readonly SshConfigBlock[], host: string): SshHostConfig {
  let hostName: string | undefined;
  let user: string | undefined;
  let port: number | undefined;
  let userKnownHostsFiles: string[] | undefined;
  const identityFiles: string[] = [];
  for (const block of blocks) {
    if (block.unsupported) continue;
    if (block.patterns !== undefined && !matchHostPatternList(block.patterns, host)) continue;
    for (const option of block.options) {
      const first = option.values[0];
      if (first === undefined) continue;
      switch (option.keyword) {
        case 'hostname':
          hostName ??= first;
          break;
        case 'user':
          user ??= first;
          break;
        case 'port':
          if (port === undefined) {
            const value = /^\d{1,5}$/.test(first) ? Number(first) : Number.NaN;
            if (!(value >= 1 && value <= 65_535)) {
              throw new InvalidArgumentError(`${option.source}: bad Port "${first}"; expected 1-65535.`);
            }
            port = value;
          }
          break;
        case 'identityfile':
          identityFiles.push(first);
          break;
        case 'userknownhostsfile':
          userKnownHostsFiles ??= [...option.values];
          break;
        default:
          break;
      }
    }
  }
  return { hostName, user, port, identityFiles, userKnownHostsFiles };
}

/** Values for the `%` tokens of ssh_config paths. */
export interface SshTokenValues {
  /** The local home directory (`~`, `%d`). */
  readonly home: string;
  /** The local user name (`%u`). */
  readonly localUser: string;
  /** The remote host name, after `HostName` (`%h`). */
  readonly host?: string;
  /** The remote user (`%r`). */
  readonly user?: string;
  /** The remote port (`%p`). */
  readonly port?: number;
}

/**
 * Expands a leading `~` and the `%%`, `%d`, `%u`, `%h`, `%r`, `%p` tokens of an ssh_config
 * value. Unknown tokens are left as they are.
 *
 * @example
 * ```ts
 * expandSshTokens('~/.ssh/id_%r', { home: '/home/ada', localUser: 'ada', user: 'deploy' });
 * // '/home/ada/.ssh/id_deploy'
 * ```
 */
export function expandSshTokens(value: string, tokens: SshTokenValues): string {
  const tilde = value === '~' ? tokens.home : value.startsWith('~/') ? `${tokens.home}${value.slice(1)}` : value;
  return tilde.replace(/%([%duhrp])/g, (whole, token: string) => {
    switch (token) {
      case '%':
        return '%';
      case 'd':
        return tokens.home;
      case 'u':
        return tokens.localUser;
      case 'h':
        return tokens.host ?? whole;
      case 'r':
        return tokens.user ?? whole;
      case 'p':
        return tokens.port === undefined ? whole : String(tokens.port);
      default:
        return whole;
    }
  });
}

/** Splits arguments on white space, honouring double and single quotes. */
function splitArguments(text: string, source: string, line: number): string[] {
  const values: string[] = [];
  let current = '';
  let quote: string | undefined;
  let inValue = false;
  for (const character of text) {
    if (quote !== undefined) {
      if (character === quote) quote = undefined;
      else current += character;
    } else if (character === '"' || character === "'") {
      quote = character;
      inValue = true;
    } else if (/\s/.test(character)) {
      if (inValue) values.push(current);
      current = '';
      inValue = false;
    } else {
      current += character;
      inValue = true;
    }
  }
  if (quote !== undefined) throw new InvalidArgumentError(`${source}:${line}: unterminated quote.`);
  if (inValue) values.push(current);
  return values;
}
