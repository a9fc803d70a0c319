// A BuildKit build session: the client asks the engine to switch a connection to HTTP/2
// (`POST /session`), then serves gRPC on it while the engine calls in for registry credentials,
// secrets, SSH agents, local directories and the build's output. The engine knows the session by
// its id, which a build names (`POST /build?session=…`).
import { randomUUID } from 'node:crypto';
import http2 from 'node:http2';
import {
  InvalidArgumentError,
  sessionEndpoint,
  type CallOptions,
  type EngineClient,
  type UpgradedConnection,
} from '@berth/engine-protocol';
import type { DirectorySource } from '../filesync/directory-source.js';
import { GrpcServer, type GrpcHandler } from '../grpc/grpc-server.js';
import { GrpcStatus, GrpcStatusError } from '../grpc/grpc-status.js';
import { authMethods, type CredentialsLookup } from '../services/auth-service.js';
import { fileSendMethods, type OutputStatistics, type SessionOutput } from '../services/file-send-service.js';
import { fileSyncMethods, type DirectoryTransferStatistics, type FileSyncEvent } from '../services/file-sync-service.js';
import { healthMethods } from '../services/health-service.js';
import { resolveSecrets, secretsMethods, type SecretSource } from '../services/secrets-service.js';
import { resolveSshAgents, sshMethods, type SshAgents } from '../services/ssh-agent-service.js';
import { socketForHttp2 } from './http2-socket.js';
import { sharedKeyFor } from './shared-key.js';

/**
 * Options of {@link openBuildSession}. Every service is optional; the session serves (and tells
 * the engine about) only those given, plus the health check.
 *
 * @example
 * ```ts
 * const options: BuildSessionOptions = {
 *   directories: { context: await localDirectory('./app'), dockerfile: await localDirectory('./app') },
 *   credentials: async (host) => (host === 'registry.example.com' ? { username: 'ci', secret: token } : undefined),
 *   secrets: { npmrc: { file: `${homedir()}/.npmrc` } },
 *   ssh: { default: true },
 *   output: { type: 'local', dest: './out' },
 * };
 * ```
 */
export interface BuildSessionOptions extends CallOptions {
  /** A name for the session, shown by the engine (`docker buildx history`). Default: `berth`. */
  readonly name?: string;
  /** The session's id; unique on the engine while open. Default: a random UUID. */
  readonly id?: string;
  /**
   * The key under which the engine keeps the synced directories between builds, so the next
   * build with the same key transfers only what changed. Default: derived from this machine and
   * the served directories' paths (see `sharedKeyFor`).
   */
  readonly sharedKey?: string;
  /** Local directories the engine may pull, by name: `context` and `dockerfile` for a Dockerfile build. */
  readonly directories?: Readonly<Record<string, DirectorySource>>;
  /** Registry credentials, asked per registry host when the engine pulls or pushes. */
  readonly credentials?: CredentialsLookup;
  /** Secrets for `RUN --mount=type=secret`, by id; read now. */
  readonly secrets?: Readonly<Record<string, SecretSource>>;
  /** SSH agents for `RUN --mount=type=ssh`, by id; checked now. */
  readonly ssh?: SshAgents;
  /** Where an output of type `local` or `tar` lands. */
  readonly output?: SessionOutput;
  /** Environment for `SSH_AUTH_SOCK` and `{ env }` secrets. Default: `process.env`. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** Called for every entry listed and file sent through FileSync (diagnostics, tests). */
  readonly onFileSync?: (event: FileSyncEvent) => void;
}

/**
 * What a session has served so far.
 *
 * @example
 * ```ts
 * const { filesSent, bytesSent } = session.statistics.directories['context'] ?? { filesSent: 0, bytesSent: 0 };
 * ```
 */
export interface BuildSessionStatistics {
  /** Per served directory: DiffCopy requests, entries listed, files and bytes sent. */
  readonly directories: Record<string, DirectoryTransferStatistics>;
  /** Registry hosts the engine asked credentials for, in order (hosts only, never secrets). */
  readonly credentialHosts: string[];
  /** Secret ids the engine asked for, in order. */
  readonly secretRequests: string[];
  /** SSH agent connections forwarded. */
  sshConnections: number;
  /** What the output received, once it has. */
  output: OutputStatistics | undefined;
}

/** What openBuildSession hands to the session it made. */
interface BuildSessionParts {
  readonly id: string;
  readonly name: string;
  readonly sharedKey: string;
  readonly statistics: BuildSessionStatistics;
  readonly connection: UpgradedConnection;
  readonly http2: http2.ServerHttp2Session;
  readonly server: GrpcServer;
}

/** The private constructor, for openBuildSession (set by the class's static block). */
let createBuildSession: (parameters: BuildSessionParts) => BuildSession;

/** How long `close()` lets calls in progress end before it cuts the connection. */
const closeGracePeriod = 2_000;
/** How long `close()` waits for the engine to acknowledge the end when no call is in progress. */
const idleCloseGracePeriod = 100;

/**
 * An open build session. Name it in a build (`session` of `buildImage`); close it when the build
 * ends, however it ends, so the engine drops it.
 *
 * @example
 * ```ts
 * const session = await openBuildSession(client, { directories: { context, dockerfile } });
 * try {
 *   const progress = await buildImage(client, { version: '2', session: session.id, remote: 'client-session' });
 *   for await (const message of progress) console.log(message);
 * } finally {
 *   await session.close();
 * }
 * ```
 */
export class BuildSession {
  /** The id builds name it by. */
  readonly id: string;
  /** The session's name, as the engine shows it. */
  readonly name: string;
  /** The key under which the engine keeps synced directories between builds. */
  readonly sharedKey: string;
  /** The gRPC methods served (and announced to the engine). */
  readonly methods: readonly string[];
  /** What the session served so far. */
  readonly statistics: BuildSessionStatistics;
  /** Resolves once the session's connection is gone (closed by either side). Never rejects. */
  readonly closed: Promise<void>;
  readonly #connection: UpgradedConnection;
  readonly #http2: http2.ServerHttp2Session;
  readonly #server: GrpcServer;
  #failure: Error | undefined;
  #closing: Promise<void> | undefined;

  static {
    createBuildSession = (parameters) => new BuildSession(parameters);
  }

  // Private: sessions come from openBuildSession, and the parts are not public types.
  private constructor(parameters: BuildSessionParts) {
    this.id = parameters.id;
    this.name = parameters.name;
    this.sharedKey = parameters.sharedKey;
    this.statistics = parameters.statistics;
    this.#connection = parameters.connection;
    this.#http2 = parameters.http2;
    this.#server = parameters.server;
    this.methods = parameters.server.methods;
    this.closed = parameters.connection.closed;
    this.#server.onHandlerError = (method, error) => {
      // Local failures (an output that cannot be written) explain a failed build better than the
      // engine's echo of them; cancellations are not failures.
      if (error instanceof GrpcStatusError && error.status === GrpcStatus.cancelled) return;
      if (method.startsWith('/moby.filesync.v1.FileSend/')) this.#failure ??= error instanceof Error ? error : new Error(String(error));
    };
  }

  /** True once the connection is gone. */
  get isClosed(): boolean {
    return this.#connection.socket.destroyed;
  }

  /**
   * The first failure of the session's own side that the build cannot report well by itself
   * (writing an output), if any.
   */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /**
   * Ends the session: cancels calls in progress, tells the engine (HTTP/2 GOAWAY) and closes the
   * connection; the engine then forgets the session. Idempotent; resolves once the connection is
   * closed.
   *
   * @example
   * ```ts
   * await session.close();
   * ```
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const busy = this.#server.activeCalls > 0;
      this.#server.abortAll(new GrpcStatusError(GrpcStatus.cancelled, 'the build session closed'));
      if (!this.#http2.destroyed) {
        // GOAWAY first, so the engine drops the session at once rather than on a broken pipe.
        const ended = new Promise<void>((resolve) => this.#http2.close(() => resolve()));
        const timer = setTimeout(() => this.#connection.close(), busy ? closeGracePeriod : idleCloseGracePeriod);
        await Promise.race([ended, this.closed]);
        clearTimeout(timer);
      }
      this.#http2.destroy();
      this.#connection.close();
      await this.closed;
    })();
    return this.#closing;
  }
}

/**
 * Opens a build session on the engine: checks and reads the inputs (secrets, SSH agents) first,
 * so bad input is an `InvalidArgumentError` before any request; then `POST /session` through the
 * client's transport (Unix socket, TCP+TLS, SSH), and serves gRPC on the switched connection
 * until closed. The client's `close()` closes it too.
 *
 * @example
 * ```ts
 * import { localDirectory, openBuildSession } from '@berth/buildkit';
 *
 * const session = await openBuildSession(client, {
 *   directories: { context: await localDirectory('./app'), dockerfile: await localDirectory('./app') },
 *   secrets: { token: { env: 'NPM_TOKEN' } },
 * });
 * ```
 */
export async function openBuildSession(client: EngineClient, options: BuildSessionOptions = {}): Promise<BuildSession> {
  const environment = options.environment ?? process.env;
  const name = options.name ?? 'berth';
  if (typeof name !== 'string' || name === '' || /[\r\n]/.test(name)) throw new InvalidArgumentError('The session name must be a non-empty single line.', { argument: 'name' });
  const directoryNames = Object.entries(options.directories ?? {}).map(([key, source]) => `${key}=${source.description}`);
  const sharedKey = options.sharedKey ?? sharedKeyFor(directoryNames.length > 0 ? directoryNames.join('\n') : name);
  if (typeof sharedKey !== 'string' || sharedKey === '' || /[\r\n]/.test(sharedKey)) {
    throw new InvalidArgumentError('The session shared key must be a non-empty single line.', { argument: 'sharedKey' });
  }
  const secrets = options.secrets === undefined ? undefined : await resolveSecrets(options.secrets, environment);
  const sshAgents = options.ssh === undefined ? undefined : await resolveSshAgents(options.ssh, environment);

  const statistics: BuildSessionStatistics = { directories: {}, credentialHosts: [], secretRequests: [], sshConnections: 0, output: undefined };
  const handlers: Record<string, GrpcHandler> = { ...healthMethods() };
  if (options.credentials !== undefined) Object.assign(handlers, authMethods(options.credentials, (host) => statistics.credentialHosts.push(host)));
  // The Secrets service is always there: a missing id is then "not found" rather than "not supported".
  Object.assign(handlers, secretsMethods(secrets ?? new Map(), (id) => statistics.secretRequests.push(id)));
  if (sshAgents !== undefined) Object.assign(handlers, sshMethods(sshAgents, () => statistics.sshConnections++));
  if (options.directories !== undefined) {
    Object.assign(handlers, fileSyncMethods(new Map(Object.entries(options.directories)), statistics.directories, options.onFileSync));
  }
  if (options.output !== undefined) {
    if (options.output.type !== 'local' && options.output.type !== 'tar') {
      throw new InvalidArgumentError(`Unknown session output type "${String((options.output as { type?: unknown }).type)}"; expected local or tar.`, { argument: 'output' });
    }
    Object.assign(handlers, fileSendMethods(options.output, (received) => (statistics.output = received)));
  }
  const server = new GrpcServer(handlers);

  const id = options.id ?? randomUUID();
  if (typeof id !== 'string' || !/^[A-Za-z0-9._:-]{1,128}$/.test(id)) {
    throw new InvalidArgumentError('The session id must be 1 to 128 letters, digits, ".", "_", ":" or "-".', { argument: 'id' });
  }
  const connection = await client.upgrade(sessionEndpoint, {}, {
    protocol: 'h2c',
    headers: {
      'X-Docker-Expose-Session-Uuid': id,
      'X-Docker-Expose-Session-Name': name,
      'X-Docker-Expose-Session-Sharedkey': sharedKey,
      'X-Docker-Expose-Session-Grpc-Method': server.methods,
    },
    signal: options.signal,
    timeout: options.timeout,
  });
  const session = http2.performServerHandshake(socketForHttp2(connection.socket), {
    // Room for the engine's bursts (outputs, agent traffic) without a window update per 64 KiB.
    settings: { initialWindowSize: 4 * 1024 * 1024 },
  });
  session.on('error', () => connection.close());
  session.on('goaway', () => connection.close());
  session.on('close', () => connection.close());
  void connection.closed.then(() => {
    server.abortAll(new GrpcStatusError(GrpcStatus.cancelled, 'the build session closed'));
    if (!session.destroyed) session.destroy();
  });
  server.serve(session);
  return createBuildSession({ id, name, sharedKey, statistics, connection, http2: session, server });
}
