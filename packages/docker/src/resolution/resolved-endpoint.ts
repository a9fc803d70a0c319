/**
 * Which rule of the docker CLI's order picked the endpoint: an explicit option, `DOCKER_HOST`,
 * `DOCKER_CONTEXT`, `currentContext` in `config.json`, or the built-in default.
 *
 * @example
 * ```ts
 * const endpoint = await resolveEndpoint();
 * if (endpoint.source === 'default') console.log('no DOCKER_HOST or context configured');
 * ```
 */
export type EndpointSource = 'option' | 'DOCKER_HOST' | 'DOCKER_CONTEXT' | 'config currentContext' | 'default';

/**
 * TLS settings of a TCP endpoint, as file paths (nothing is read until a transport is built).
 *
 * @example
 * ```ts
 * const tls: EndpointTls = { verify: true, caFile: '/home/me/.docker/ca.pem' };
 * ```
 */
export interface EndpointTls {
  /**
   * Whether the engine's certificate is checked: `true` under `DOCKER_TLS_VERIFY` (any
   * non-empty value) or a context without `SkipTLSVerify`; `false` under `DOCKER_TLS` alone.
   */
  readonly verify: boolean;
  /** CA certificate (`ca.pem`); absent: the system CAs. */
  readonly caFile?: string;
  /** Client certificate (`cert.pem`); present only together with `keyFile`. */
  readonly certificateFile?: string;
  /** Client key (`key.pem`); present only together with `certificateFile`. */
  readonly keyFile?: string;
}

/**
 * A Unix socket address (`unix:///var/run/docker.sock`).
 *
 * @example
 * ```ts
 * const address: UnixSocketAddress = { kind: 'unix', socketPath: '/var/run/docker.sock' };
 * ```
 */
export interface UnixSocketAddress {
  readonly kind: 'unix';
  /** Path of the socket; relative paths are relative to the working directory, as in the CLI. */
  readonly socketPath: string;
}

/**
 * A TCP address (`tcp://host:port`), optionally with TLS.
 *
 * @example
 * ```ts
 * const address: TcpAddress = { kind: 'tcp', host: '10.0.0.5', port: 2376, tls: { verify: true } };
 * ```
 */
export interface TcpAddress {
  readonly kind: 'tcp';
  /** Host name or IP address; IPv6 without brackets. */
  readonly host: string;
  /** Port: 2375 by default, 2376 when TLS is on. */
  readonly port: number;
  /** Path prefix put before every API path (`tcp://proxy:80/docker`), without a trailing slash. */
  readonly basePath?: string;
  /** TLS settings; absent means plain HTTP. */
  readonly tls?: EndpointTls;
}

/**
 * An SSH address (`ssh://[user@]host[:port][/socket-path]`).
 *
 * @example
 * ```ts
 * const address: SshAddress = { kind: 'ssh', url: 'ssh://me@build-box', user: 'me', host: 'build-box' };
 * ```
 */
export interface SshAddress {
  readonly kind: 'ssh';
  /** The URL as given (trimmed); it never holds a password (those are refused). */
  readonly url: string;
  /** SSH user; absent: the SSH client's default. */
  readonly user?: string;
  /** SSH host name or IP address; IPv6 without brackets. */
  readonly host: string;
  /** SSH port; absent: the SSH client's default (22). */
  readonly port?: number;
  /** Engine socket on the remote machine, from the URL's path; absent: the remote default. */
  readonly socketPath?: string;
}

/**
 * A Windows named pipe (`npipe:////./pipe/docker_engine`).
 *
 * @example
 * ```ts
 * const address: NamedPipeAddress = { kind: 'npipe', pipePath: '//./pipe/docker_engine' };
 * ```
 */
export interface NamedPipeAddress {
  readonly kind: 'npipe';
  /** The pipe path as written after `npipe://`. */
  readonly pipePath: string;
}

/**
 * Any address a `DOCKER_HOST` value can name.
 *
 * @example
 * ```ts
 * const address: DockerHostAddress = parseDockerHost('ssh://me@build-box');
 * ```
 */
export type DockerHostAddress = UnixSocketAddress | TcpAddress | SshAddress | NamedPipeAddress;

/**
 * Where an endpoint came from and what it applies on top of its address.
 *
 * @example
 * ```ts
 * const { source, context, dockerHost } = await resolveEndpoint();
 * ```
 */
export interface EndpointOrigin {
  /** Which rule picked the endpoint. */
  readonly source: EndpointSource;
  /** Name of the context in use; `default` for the built-in one (`DOCKER_HOST`, TLS variables). */
  readonly context: string;
  /** The address in the CLI's normalized form (`tcp://10.0.0.5:2376`, `unix:///var/run/docker.sock`). */
  readonly dockerHost: string;
  /** API version pinned by `DOCKER_API_VERSION`; absent: negotiate. */
  readonly apiVersion?: string;
}

/**
 * A resolved Unix socket endpoint.
 *
 * @example
 * ```ts
 * if (endpoint.kind === 'unix') console.log(endpoint.socketPath);
 * ```
 */
export interface UnixEndpoint extends UnixSocketAddress, EndpointOrigin {}

/**
 * A resolved TCP endpoint.
 *
 * @example
 * ```ts
 * if (endpoint.kind === 'tcp') console.log(endpoint.host, endpoint.port, endpoint.tls?.verify);
 * ```
 */
export interface TcpEndpoint extends TcpAddress, EndpointOrigin {}

/**
 * A resolved SSH endpoint.
 *
 * @example
 * ```ts
 * if (endpoint.kind === 'ssh') console.log(endpoint.user, endpoint.host);
 * ```
 */
export interface SshEndpoint extends SshAddress, EndpointOrigin {}

/**
 * A resolved named-pipe endpoint (usable on Windows only).
 *
 * @example
 * ```ts
 * if (endpoint.kind === 'npipe') console.log(endpoint.pipePath);
 * ```
 */
export interface NamedPipeEndpoint extends NamedPipeAddress, EndpointOrigin {}

/**
 * The engine endpoint chosen the way the docker CLI chooses it, discriminated by `kind`.
 *
 * @example
 * ```ts
 * const endpoint = await resolveEndpoint();
 * switch (endpoint.kind) {
 *   case 'unix': console.log(endpoint.socketPath); break;
 *   case 'tcp': console.log(`${endpoint.host}:${endpoint.port}`); break;
 *   case 'ssh': console.log(endpoint.url); break;
 *   case 'npipe': console.log(endpoint.pipePath); break;
 * }
 * ```
 */
export type ResolvedEndpoint = UnixEndpoint | TcpEndpoint | SshEndpoint | NamedPipeEndpoint;
