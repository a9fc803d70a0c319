import type { Socket } from 'node:net';
import { homedir } from 'node:os';
import { InvalidArgumentError, type Transport } from '@berth/engine-protocol';
import { deferredDispatcher, resolveMilliseconds } from '@berth/engine-protocol/internal';
import { dialStdioChannel, dialStdioCommand } from './dial-stdio-channel.js';
import { forwardChannel } from './forward-channel.js';
import { resolveConnectSettings } from './resolve-settings.js';
import { SshSession } from './ssh-session.js';
import type { SshSessionStatistics } from './ssh-session-statistics.js';
import { parseSshUrl } from './ssh-url.js';

/**
 * How requests reach the engine on the remote host:
 * - `dial-stdio`: runs `docker system dial-stdio` there for every HTTP connection, like the
 *   docker CLI (needs the docker CLI on the remote host);
 * - `forward`: forwards to the engine's Unix socket through sshd (`direct-streamlocal`), for
 *   hosts without the docker CLI.
 *
 * @example
 * ```ts
 * // A host without the docker CLI: reach the engine socket through sshd instead.
 * const mode: SshTransportMode = 'forward';
 * const transport = sshTransport({ url: 'ssh://deploy@build-1.example.com', mode });
 * ```
 */
export type SshTransportMode = 'dial-stdio' | 'forward';

/**
 * The engine socket forward mode uses when the URL has no path.
 *
 * @example
 * ```ts
 * // These two transports reach the same socket on build-1.
 * sshTransport({ url: 'ssh://build-1', mode: 'forward' });
 * sshTransport({ url: `ssh://build-1${DEFAULT_REMOTE_DOCKER_SOCKET}`, mode: 'forward' });
 * ```
 */
export const DEFAULT_REMOTE_DOCKER_SOCKET = '/var/run/docker.sock';

/**
 * Options of {@link sshTransport}.
 *
 * @example
 * ```ts
 * const options: SshTransportOptions = {
 *   url: 'ssh://deploy@build-1.example.com:2222',
 *   identityFiles: ['/home/deploy/.ssh/id_ed25519'],
 *   knownHostsFile: '/etc/berth/known_hosts',
 *   connections: 4,
 * };
 * const transport = sshTransport(options);
 * ```
 */
export interface SshTransportOptions {
  /** `ssh://[user@]host[:port][/socket-path]`; the path is the engine socket on the remote host. */
  readonly url: string;
  /** Default: `dial-stdio`. */
  readonly mode?: SshTransportMode;
  /** Private keys to offer (after the agent's), before ssh_config's `IdentityFile`s and `~/.ssh/id_{ed25519,ecdsa,rsa}`. */
  readonly identityFiles?: readonly string[];
  /** Passphrase of encrypted identity files. Never logged nor put in errors. */
  readonly passphrase?: string;
  /** ssh-agent socket, or `false` for none. Default: `SSH_AUTH_SOCK` from `environment`. */
  readonly agent?: string | false;
  /**
   * known_hosts files to check the host key against. Default: ssh_config's
   * `UserKnownHostsFile` or `~/.ssh/known_hosts`, plus `/etc/ssh/ssh_known_hosts`.
   * Plain and hashed (`|1|…`) entries, `[host]:port` names and `@revoked` lines are understood.
   */
  readonly knownHostsFile?: string | readonly string[];
  /**
   * DANGER: accepts any host key, so anyone between you and the host can read and change
   * everything, registry credentials included. For throwaway test machines only; a warning
   * is emitted when it is on.
   */
  readonly dangerouslyAcceptAnyHostKey?: boolean;
  /** ssh_config file, or `false` to read none. Default: `~/.ssh/config` (when it exists). */
  readonly sshConfigFile?: string | false;
  /** Home directory for `~`, the default config, known_hosts and identity files. Default: `os.homedir()`. */
  readonly homeDirectory?: string;
  /** The docker CLI on the remote host (dial-stdio mode), as the remote shell runs it. Default: `docker`. */
  readonly dockerCommand?: string;
  /**
   * HTTP connections (SSH channels) open at most. Default: 8 in dial-stdio mode (sshd's
   * MaxSessions defaults to 10 per connection), 16 in forward mode.
   */
  readonly connections?: number;
  /** Milliseconds an idle channel, and then the channel-less SSH connection, stays open. Default: 30 000. */
  readonly keepAliveTimeout?: number;
  /** Milliseconds for connecting, the SSH handshake and authentication, and opening a channel. Default: 30 000. */
  readonly connectTimeout?: number;
  /**
   * Milliseconds between SSH keepalive probes (like ssh's ServerAliveInterval); 0 turns them off.
   * While on, an open SSH connection keeps the process alive until `close()`. Default: 0.
   */
  readonly keepAliveInterval?: number;
  /** Where `SSH_AUTH_SOCK` is read from. Default: `process.env`. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

/**
 * A transport over SSH, with counters about its one SSH connection.
 *
 * @example
 * ```ts
 * const transport: SshTransport = sshTransport({ url: 'ssh://deploy@build-1.example.com' });
 * const client = createEngineClient({ transport });
 * await ping(client);
 * console.log(transport.mode, transport.statistics.connectionsOpened); // 'dial-stdio' 1
 * await client.close();
 * ```
 */
export interface SshTransport extends Transport {
  /** Always `ssh`, so code holding a plain `Transport` can tell an SSH one apart. */
  readonly type: 'ssh';
  /** The mode in use. */
  readonly mode: SshTransportMode;
  /** Connections and channels opened so far, for diagnostics and tests. */
  readonly statistics: SshSessionStatistics;
}

/**
 * A transport to an engine on another host over SSH. One SSH connection carries every
 * request: each HTTP connection of the pool is a channel of it (an exec of
 * `docker system dial-stdio`, or a forward to the engine socket). The connection opens on
 * the first request, reopens on the next request after it dropped, and closes after
 * `keepAliveTimeout` without channels.
 *
 * The host key must be in known_hosts: an unknown or changed key is refused with a
 * `ConnectionError` showing its SHA256 fingerprint. Authentication uses ssh-agent, then
 * identity files. A failing remote command surfaces its stderr in the error.
 *
 * @example
 * ```ts
 * import { createEngineClient, listImages } from '@berth/engine-protocol';
 * import { sshTransport } from '@berth/transport-ssh';
 *
 * const client = createEngineClient({ transport: sshTransport({ url: 'ssh://deploy@build-1.example.com' }) });
 * console.log(await listImages(client));
 * await client.close();
 * ```
 */
export function sshTransport(options: SshTransportOptions): SshTransport {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('sshTransport needs an options object with a url.', { argument: 'options' });
  }
  const endpoint = parseSshUrl(options.url);
  const mode = options.mode ?? 'dial-stdio';
  if (mode !== 'dial-stdio' && mode !== 'forward') {
    throw new InvalidArgumentError(`Unknown SSH transport mode "${String(mode)}"; expected "dial-stdio" or "forward".`, { argument: 'mode' });
  }
  const dockerCommand = options.dockerCommand ?? 'docker';
  if (typeof dockerCommand !== 'string' || dockerCommand.trim() === '' || /[\r\n\0]/.test(dockerCommand)) {
    throw new InvalidArgumentError('dockerCommand must be a non-empty single-line command.', { argument: 'dockerCommand' });
  }
  const connections = positiveInteger(options.connections, mode === 'dial-stdio' ? 8 : 16, 'connections');
  const keepAliveTimeout = resolveMilliseconds(options.keepAliveTimeout, 'keepAliveTimeout', 30_000);
  const connectTimeout = resolveMilliseconds(options.connectTimeout, 'connectTimeout', 30_000);
  const keepAliveInterval = options.keepAliveInterval === 0 ? 0 : resolveMilliseconds(options.keepAliveInterval, 'keepAliveInterval', 0);
  const identityFiles = stringList(options.identityFiles, 'identityFiles') ?? [];
  const knownHostsFiles = stringList(options.knownHostsFile, 'knownHostsFile');
  if (options.passphrase !== undefined && typeof options.passphrase !== 'string') {
    throw new InvalidArgumentError('passphrase must be a string.', { argument: 'passphrase' });
  }
  const environment = options.environment ?? process.env;
  const agent = options.agent === false ? undefined : options.agent ?? (environment['SSH_AUTH_SOCK'] || undefined);
  const acceptAnyHostKey = options.dangerouslyAcceptAnyHostKey === true;

  const description = describeEndpoint(endpoint, mode);
  if (acceptAnyHostKey) {
    process.emitWarning(
      `SSH host key checking is OFF for ${description} (dangerouslyAcceptAnyHostKey): anyone on the network path can impersonate the engine.`,
      { code: 'BERTH_SSH_HOST_KEY_CHECKING_DISABLED' },
    );
  }

  const hostLabel = `${endpoint.user ? `${endpoint.user}@` : ''}${endpoint.host}${endpoint.port ? `:${endpoint.port}` : ''}`;
  const socketPath = endpoint.socketPath;
  const channel =
    mode === 'dial-stdio'
      ? dialStdioChannel(dialStdioCommand(dockerCommand, socketPath), hostLabel, socketPath)
      : forwardChannel(socketPath ?? DEFAULT_REMOTE_DOCKER_SOCKET, hostLabel);
  const session = new SshSession({
    channel,
    idleTimeout: keepAliveTimeout,
    openTimeout: connectTimeout,
    resolveSettings: () =>
      resolveConnectSettings({
        endpoint,
        homeDirectory: options.homeDirectory ?? homedir(),
        sshConfigFile: options.sshConfigFile,
        identityFiles,
        passphrase: options.passphrase,
        agent,
        knownHostsFiles,
        acceptAnyHostKey,
        connectTimeout,
        keepAliveInterval,
      }),
  });

  // undici is loaded on the first request, not when this package is imported.
  const agentDispatcher = deferredDispatcher(
    ({ Agent }) =>
      new Agent({
        connect: (_connectOptions, callback) => {
          session.openChannel().then(
            // undici drives any Duplex with ref/unref like a net.Socket.
            (socket) => callback(null, socket as unknown as Socket),
            (error: Error) => callback(error, null),
          );
        },
        connections,
        keepAliveTimeout,
        // Pipelining would let one slow stream hold up the requests queued behind it.
        pipelining: 1,
      }),
    { description },
  );

  let closing: Promise<void> | undefined;
  return {
    type: 'ssh',
    mode,
    description,
    origin: 'http://localhost',
    dispatcher: agentDispatcher,
    get statistics() {
      return session.statistics;
    },
    close() {
      // Both at once: the session gives up a handshake or channel open in progress, which
      // undici's close would otherwise wait for (up to connectTimeout).
      closing ??= Promise.all([
        agentDispatcher.closed || agentDispatcher.destroyed ? undefined : agentDispatcher.close(),
        session.close(),
      ]).then(() => undefined);
      return closing;
    },
  };
}

function describeEndpoint(endpoint: ReturnType<typeof parseSshUrl>, mode: SshTransportMode): string {
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  const user = endpoint.user === undefined ? '' : `${encodeURIComponent(endpoint.user)}@`;
  const port = endpoint.port === undefined ? '' : `:${endpoint.port}`;
  return `ssh://${user}${host}${port}${endpoint.socketPath ?? ''} (${mode})`;
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(`${name} must be a positive integer, got ${String(value)}.`, { argument: name });
  }
  return value;
}

function stringList(value: string | readonly string[] | undefined, name: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string' || item === '')) {
    throw new InvalidArgumentError(`${name} must be a path or a list of paths.`, { argument: name });
  }
  return list;
}
