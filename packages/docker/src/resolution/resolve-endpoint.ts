import { InvalidArgumentError, parseApiVersion } from '@berth/engine-protocol';
import { dockerConfigDirectory } from './config-directory.js';
import { readContextEndpoint } from './context-store.js';
import { readCurrentContext } from './current-context.js';
import { loadTlsFiles, tlsRequestFromEnvironment } from './environment-tls.js';
import { formatDockerHost } from './format-docker-host.js';
import { DEFAULT_TLS_PORT, DEFAULT_UNIX_SOCKET, parseDockerHost } from './parse-docker-host.js';
import type { DockerHostAddress, EndpointSource, ResolvedEndpoint } from './resolved-endpoint.js';
import { definedEntries } from '@berth/engine-protocol/internal';

/**
 * Options of {@link resolveEndpoint}.
 *
 * @example
 * ```ts
 * const options: ResolveEndpointOptions = { context: 'remote', configDirectory: '/ci/docker' };
 * ```
 */
export interface ResolveEndpointOptions {
  /** An engine address, like `docker -H`: beats every variable. Conflicts with `context`. */
  readonly host?: string | undefined;
  /** A context name, like `docker --context`: beats every variable. Conflicts with `host`. */
  readonly context?: string | undefined;
  /** Where `DOCKER_*` and `HOME` are read. Default: `process.env`. */
  readonly environment?: Readonly<Record<string, string | undefined>> | undefined;
  /** The docker configuration directory. Default: `DOCKER_CONFIG`, else `~/.docker`. */
  readonly configDirectory?: string | undefined;
}

/**
 * The name of the built-in context (`DOCKER_HOST`, the TLS variables, the default socket).
 *
 * @example
 * ```ts
 * const usesContext = (await resolveEndpoint()).context !== DEFAULT_CONTEXT_NAME;
 * ```
 */
export const DEFAULT_CONTEXT_NAME = 'default';

/**
 * Chooses the engine the way the docker CLI does, in this order:
 *
 * 1. the `host` or `context` option (both at once is an error, as `-H` with `--context`);
 * 2. `DOCKER_HOST` (it beats `DOCKER_CONTEXT`, as in the CLI's code);
 * 3. `DOCKER_CONTEXT`;
 * 4. `currentContext` in `config.json`;
 * 5. `unix:///var/run/docker.sock`.
 *
 * The `default` context means `DOCKER_HOST` or the default socket. An address of the default
 * context gets TLS from `DOCKER_TLS_VERIFY` / `DOCKER_TLS` / `DOCKER_CERT_PATH`; with TLS on and
 * no address at all it is `tcp://localhost:2376`, as in the CLI. A stored context brings its own
 * TLS files and `SkipTLSVerify`. `DOCKER_API_VERSION` is passed on as `apiVersion`. Nothing is
 * connected to; files are only looked at. Bad input is an `InvalidArgumentError`.
 *
 * @example
 * ```ts
 * import { resolveEndpoint } from '@berth/docker';
 *
 * const endpoint = await resolveEndpoint({ environment: { DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_TLS_VERIFY: '1' } });
 * // { kind: 'tcp', host: '10.0.0.5', port: 2376, tls: { verify: true, caFile: '~/.docker/ca.pem', … }, source: 'DOCKER_HOST', … }
 * ```
 */
export async function resolveEndpoint(options: ResolveEndpointOptions = {}): Promise<ResolvedEndpoint> {
  const environment = options.environment ?? process.env;
  const hostOption = nonBlank(options.host);
  const contextOption = nonBlank(options.context);
  if (hostOption !== undefined && contextOption !== undefined) {
    throw new InvalidArgumentError('Conflicting options: give either host or context, not both.', { argument: 'context' });
  }
  const configDirectory = dockerConfigDirectory(environment, options.configDirectory);
  const apiVersionText = environment['DOCKER_API_VERSION'] ?? '';
  const apiVersion = apiVersionText === '' ? undefined : parseApiVersion(apiVersionText, 'DOCKER_API_VERSION');
  // The CLI tests these for non-empty, not for non-blank.
  const environmentHost = environment['DOCKER_HOST'] ?? '';
  const environmentContext = nonBlank(environment['DOCKER_CONTEXT']);

  let source: EndpointSource;
  let contextName: string;
  if (hostOption !== undefined) {
    source = 'option';
    contextName = DEFAULT_CONTEXT_NAME;
  } else if (contextOption !== undefined) {
    source = 'option';
    contextName = contextOption;
  } else if (environmentHost !== '') {
    source = 'DOCKER_HOST';
    contextName = DEFAULT_CONTEXT_NAME;
  } else if (environmentContext !== undefined) {
    source = 'DOCKER_CONTEXT';
    contextName = environmentContext;
  } else {
    const current = await readCurrentContext(configDirectory);
    source = current === undefined ? 'default' : 'config currentContext';
    contextName = current ?? DEFAULT_CONTEXT_NAME;
  }

  let address: DockerHostAddress;
  if (contextName === DEFAULT_CONTEXT_NAME) {
    // The default context takes -H, else DOCKER_HOST (even when chosen by name), else the default.
    let hostValue: string | undefined;
    let hostArgument: string;
    if (hostOption !== undefined) {
      hostValue = hostOption;
      hostArgument = 'host';
    } else {
      hostValue = environmentHost;
      hostArgument = 'DOCKER_HOST';
      if (environmentHost !== '' && source === 'option') source = 'DOCKER_HOST';
    }
    address = await defaultContextAddress(hostValue, hostArgument, environment, configDirectory);
  } else {
    const selectedBy = source === 'option' ? 'context' : source === 'DOCKER_CONTEXT' ? 'DOCKER_CONTEXT' : 'currentContext';
    const stored = await readContextEndpoint(configDirectory, contextName, selectedBy);
    const argument = `Host of Docker context "${contextName}"`;
    address = stored.host.trim() === ''
      ? { kind: 'unix', socketPath: DEFAULT_UNIX_SOCKET }
      : parseDockerHost(stored.host, { tls: stored.tls !== undefined, argument });
    if (address.kind === 'tcp' && stored.tls !== undefined) address = { ...address, tls: stored.tls };
  }

  return {
    ...address,
    source,
    context: contextName,
    dockerHost: formatDockerHost(address),
    ...definedEntries({ apiVersion }),
  };
}

async function defaultContextAddress(
  hostValue: string,
  argument: string,
  environment: Readonly<Record<string, string | undefined>>,
  configDirectory: string,
): Promise<DockerHostAddress> {
  const tlsRequest = tlsRequestFromEnvironment(environment, configDirectory);
  let address: DockerHostAddress;
  if (hostValue.trim() === '') {
    // The CLI's ParseHost: with TLS on and no address, the default is the TLS port on localhost.
    address = tlsRequest === undefined
      ? { kind: 'unix', socketPath: DEFAULT_UNIX_SOCKET }
      : { kind: 'tcp', host: 'localhost', port: DEFAULT_TLS_PORT };
  } else {
    address = parseDockerHost(hostValue, { tls: tlsRequest !== undefined, argument });
  }
  // TLS applies to TCP only: the CLI configures none for sockets, and SSH brings its own.
  if (address.kind === 'tcp' && tlsRequest !== undefined) {
    address = { ...address, tls: await loadTlsFiles(tlsRequest) };
  }
  return address;
}

function nonBlank(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
