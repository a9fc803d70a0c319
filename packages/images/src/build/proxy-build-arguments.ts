import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { jsonSyntaxLocationSuffix } from '@berth/engine-protocol/internal';

/**
 * Where {@link readProxyBuildArguments} looks.
 *
 * @example
 * ```ts
 * await readProxyBuildArguments({ environment: { DOCKER_CONFIG: '/etc/ci/docker' } });
 * ```
 */
export interface ProxyConfigurationSource {
  /** Environment holding `DOCKER_CONFIG` (a directory) and `HOME`. Default: `process.env`. */
  readonly environment?: Readonly<Record<string, string | undefined>> | undefined;
}

// config.json key → build arguments the docker CLI (and docker-py) set from it.
const proxyKeys: readonly (readonly [string, string])[] = [
  ['httpProxy', 'HTTP_PROXY'],
  ['httpsProxy', 'HTTPS_PROXY'],
  ['ftpProxy', 'FTP_PROXY'],
  ['noProxy', 'NO_PROXY'],
  ['allProxy', 'ALL_PROXY'],
];

/**
 * Reads the default proxy settings of the docker client configuration
 * (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`, key `proxies.default`) and turns
 * them into build arguments, each in upper and lower case as the docker CLI sets them:
 * `httpProxy` → `HTTP_PROXY` and `http_proxy`, likewise `httpsProxy`, `ftpProxy`, `noProxy`,
 * `allProxy`. No file, an empty file or no `proxies.default` gives `{}`. A file that cannot be
 * read, or is not JSON, is an `InvalidArgumentError` naming the file (and the line and column of
 * the syntax error) without quoting its content, which may hold credentials.
 *
 * @example
 * ```ts
 * // config.json: { "proxies": { "default": { "httpProxy": "http://proxy:3128" } } }
 * await readProxyBuildArguments(); // { HTTP_PROXY: 'http://proxy:3128', http_proxy: 'http://proxy:3128' }
 * ```
 */
export async function readProxyBuildArguments(source: ProxyConfigurationSource = {}): Promise<Record<string, string>> {
  const environment = source.environment ?? process.env;
  const directory = environment['DOCKER_CONFIG'] || join(environment['HOME'] || homedir(), '.docker');
  const path = join(directory, 'config.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') return {};
    // The file system error names only the path, never the content: it may stay the cause.
    throw new InvalidArgumentError(`Cannot read the docker configuration ${path} for its proxy settings${typeof code === 'string' ? ` (${code})` : ''}.`, {
      argument: 'useConfigProxy',
      cause: error,
      details: 'Fix the file or its permissions, point DOCKER_CONFIG elsewhere, or pass useConfigProxy: false.',
    });
  }
  // An empty file is an empty configuration, as for the docker CLI.
  if (text.trim() === '') return {};
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    // No cause and no quote: V8's SyntaxError message holds a slice of the file, and
    // config.json holds base64 passwords. Only the position is reported.
    throw new InvalidArgumentError(`The docker configuration ${path} is not valid JSON${jsonSyntaxLocationSuffix(text)}.`, {
      argument: 'useConfigProxy',
      details: 'Fix the file, or pass useConfigProxy: false. The content is not shown because it may hold passwords.',
    });
  }
  const proxies = (config as { proxies?: { default?: unknown } } | null)?.proxies?.default;
  if (typeof proxies !== 'object' || proxies === null) return {};
  const result: Record<string, string> = {};
  for (const [key, name] of proxyKeys) {
    const value = (proxies as Record<string, unknown>)[key];
    if (typeof value !== 'string' || value.length === 0) continue;
    result[name] = value;
    result[name.toLowerCase()] = value;
  }
  return result;
}
