import { ConnectionError, InvalidArgumentError, type Transport } from '@berth/engine-protocol';
import { deferredDispatcher, errorCode, resolveMilliseconds } from '@berth/engine-protocol/internal';

/**
 * The socket the docker CLI uses when nothing else is configured.
 *
 * @example
 * ```ts
 * // Honour DOCKER_HOST when it names a Unix socket, like the docker CLI.
 * const host = process.env['DOCKER_HOST'];
 * const socketPath = host?.startsWith('unix://') ? host.slice('unix://'.length) : DEFAULT_DOCKER_SOCKET;
 * const transport = unixTransport({ socketPath });
 * ```
 */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/**
 * Options of {@link unixTransport}.
 *
 * @example
 * ```ts
 * // A rootless engine, with a smaller pool and a quicker give-up when it is not running.
 * const options: UnixTransportOptions = {
 *   socketPath: `/run/user/${process.getuid?.() ?? 1000}/docker.sock`,
 *   connections: 4,
 *   connectTimeout: 2_000,
 * };
 * const transport = unixTransport(options);
 * ```
 */
export interface UnixTransportOptions {
  /** Path of the engine's socket. Default: `/var/run/docker.sock`. */
  readonly socketPath?: string | undefined;
  /** Keep-alive connections kept open at most. Default: 16. */
  readonly connections?: number;
  /** Milliseconds an idle connection stays open. Default: 30 000. */
  readonly keepAliveTimeout?: number;
  /** Milliseconds to wait for the socket to accept. Default: 10 000. */
  readonly connectTimeout?: number;
}

/**
 * A transport over the engine's Unix socket: a pooled keep-alive undici `Agent`, built (and
 * undici loaded) on the first request, so importing this package stays cheap. A missing
 * socket or a permission problem is reported as a `ConnectionError` naming the path. The
 * options are checked first: a socket path that is not a non-empty string, a `connections`
 * that is not a positive integer, or a timeout that is not 1 to 2^31 − 1 ms is an
 * `InvalidArgumentError` naming the option.
 *
 * @example
 * ```ts
 * import { createEngineClient, ping } from '@berth/engine-protocol';
 * import { unixTransport } from '@berth/transport-unix';
 *
 * const client = createEngineClient({ transport: unixTransport({ socketPath: '/run/user/1000/docker.sock' }) });
 * console.log(await ping(client));
 * await client.close();
 * ```
 */
export function unixTransport(options: UnixTransportOptions = {}): Transport {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('unixTransport takes an options object such as { socketPath }.', { argument: 'options' });
  }
  const socketPath = options.socketPath ?? DEFAULT_DOCKER_SOCKET;
  if (typeof socketPath !== 'string' || socketPath === '' || socketPath.includes('\0')) {
    throw new InvalidArgumentError('socketPath must be a non-empty path without NUL characters.', { argument: 'socketPath' });
  }
  const connections = options.connections ?? 16;
  if (typeof connections !== 'number' || !Number.isSafeInteger(connections) || connections < 1) {
    throw new InvalidArgumentError(`connections must be a positive integer, got ${String(connections)}.`, { argument: 'connections' });
  }
  const connectTimeout = resolveMilliseconds(options.connectTimeout, 'connectTimeout', 10_000);
  const keepAliveTimeout = resolveMilliseconds(options.keepAliveTimeout, 'keepAliveTimeout', 30_000);
  const description = `unix://${socketPath}`;
  // undici is loaded on the first request, not when this package is imported.
  const agent = deferredDispatcher(
    ({ Agent, buildConnector }) =>
      new Agent({
        connect: buildConnector({ socketPath, timeout: connectTimeout }),
        connections,
        keepAliveTimeout,
        // Pipelining would let one slow stream hold up the requests queued behind it.
        pipelining: 1,
      }),
    { description },
  );
  return {
    type: 'unix',
    description,
    origin: 'http://localhost',
    dispatcher: agent,
    describeError(error) {
      const code = errorCode(error);
      if (code === 'ENOENT') {
        return new ConnectionError(`Docker socket not found at ${socketPath}.`, {
          cause: error,
          causeCode: code,
          details: 'Is the engine running? Set DOCKER_HOST or pass socketPath to use another socket.',
        });
      }
      if (code === 'EACCES' || code === 'EPERM') {
        return new ConnectionError(`Permission denied on the Docker socket ${socketPath}.`, {
          cause: error,
          causeCode: code,
          details: 'Add your user to the socket\'s group (often "docker") or use a rootless engine.',
        });
      }
      if (code === 'ECONNREFUSED') {
        return new ConnectionError(`Nothing accepts connections on the Docker socket ${socketPath}.`, {
          cause: error,
          causeCode: code,
          details: 'The socket file exists but no engine listens on it: the engine may have stopped.',
        });
      }
      if (code === 'ENOTSOCK') {
        return new ConnectionError(`${socketPath} is not a socket.`, { cause: error, causeCode: code });
      }
      return undefined;
    },
    close: () => agent.close(),
  };
}
