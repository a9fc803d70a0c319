import { createEngineClient, type CloseOptions, type EngineClient, type Transport } from '@berth/engine-protocol';
import { ImageCollection, type RegistryCredentialProvider } from '@berth/images';
import { dockerConfigCredentials } from './credentials/docker-config-credentials.js';
import { resolveEndpoint, type ResolveEndpointOptions } from './resolution/resolve-endpoint.js';
import type { ResolvedEndpoint } from './resolution/resolved-endpoint.js';
import { createEndpointTransport, type EndpointTransportOptions } from './transport/create-endpoint-transport.js';
import { definedEntries } from '@berth/engine-protocol/internal';

/**
 * Options of {@link createDocker}.
 *
 * @example
 * ```ts
 * const options: CreateDockerOptions = { context: 'remote', apiVersion: '1.45', credentials: false };
 * ```
 */
export interface CreateDockerOptions extends ResolveEndpointOptions {
  /**
   * A transport of your own. It wins over everything else: no endpoint is resolved and no
   * transport package is loaded.
   */
  readonly transport?: Transport | undefined;
  /** Pins the Engine API version. Default: `DOCKER_API_VERSION`, else negotiated once. */
  readonly apiVersion?: string | undefined;
  /**
   * Registry credentials for pull, push, search and registry data. Default: the docker CLI's
   * configuration (`config.json`, credential helpers, `DOCKER_AUTH_CONFIG`), read on first use.
   * `false`: never attach credentials unless a call passes them.
   */
  readonly credentials?: false | RegistryCredentialProvider | undefined;
  /** Sent as `User-Agent`. Default: `berth`. */
  readonly userAgent?: string | undefined;
}

/**
 * The endpoint of a {@link Docker} built on a transport given by the caller.
 *
 * @example
 * ```ts
 * if (docker.endpoint.kind === 'custom') console.log(docker.endpoint.description);
 * ```
 */
export interface CustomTransportEndpoint {
  readonly kind: 'custom';
  readonly source: 'option';
  /** The transport's own description. */
  readonly description: string;
}

/**
 * A connection to one engine: the raw client, the image collection (credentials wired in),
 * and where it goes.
 *
 * @example
 * ```ts
 * const docker = await createDocker();
 * try {
 *   for (const image of await docker.images.list()) console.log(image.tags);
 * } finally {
 *   await docker.close();
 * }
 * ```
 */
export interface Docker {
  /** The engine client, for the raw endpoints of `@berth/engine-protocol`. */
  readonly client: EngineClient;
  /** Images of this engine. */
  readonly images: ImageCollection;
  /** The endpoint in use and the rule that chose it; `kind: 'custom'` for a given transport. */
  readonly endpoint: ResolvedEndpoint | CustomTransportEndpoint;
  /**
   * Closes the client and its transport (also a transport given as an option). By default every
   * call in flight (a pull, a build, a save being read) ends at once with `ClientClosedError`,
   * and every later call is refused with it; `{ graceful: true, timeout }` lets calls in flight
   * finish first (see `CloseOptions`). Calling it again returns the same promise.
   */
  close(options?: CloseOptions): Promise<void>;
  /**
   * `close()` with its defaults, for `await using`: when the scope ends, calls still in flight
   * end with `ClientClosedError` and the connections are released.
   *
   * @example
   * ```ts
   * await using docker = await createDocker();
   * console.log(await docker.images.list());
   * // closed here, also when list() threw
   * ```
   */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Internal knobs of {@link createDockerWith}, for tests.
 *
 * @example
 * ```ts
 * const internals: CreateDockerInternals = { platform: 'win32' };
 * ```
 */
export type CreateDockerInternals = Pick<EndpointTransportOptions, 'loadTransportModule' | 'platform'>;

/**
 * Connects to the engine the docker CLI would use: `host` / `context` options, else
 * `DOCKER_HOST`, `DOCKER_CONTEXT`, `currentContext` in `config.json`, else the default socket
 * (see {@link resolveEndpoint}), with the TLS variables and `DOCKER_API_VERSION` honoured. The
 * TCP and SSH transports are optional packages, imported only when the endpoint needs them.
 * Nothing is sent until the first call.
 *
 * @example
 * ```ts
 * import { createDocker } from '@berth/docker';
 *
 * const docker = await createDocker({ host: 'ssh://me@build-box' });
 * const image = await docker.images.pull('localhost:5000/app:v1');
 * await docker.close();
 * ```
 */
export function createDocker(options: CreateDockerOptions = {}): Promise<Docker> {
  return createDockerWith(options, {});
}

/**
 * {@link createDocker} with internal knobs (how transport packages are imported, the platform).
 * Not part of the public API.
 *
 * @example
 * ```ts
 * const docker = await createDockerWith({ host: 'tcp://h:2375' }, { loadTransportModule: (name) => import(name) });
 * ```
 */
export async function createDockerWith(options: CreateDockerOptions, internals: CreateDockerInternals): Promise<Docker> {
  const environment = options.environment ?? process.env;
  let endpoint: ResolvedEndpoint | CustomTransportEndpoint;
  let transport: Transport;
  let apiVersion = options.apiVersion;
  if (options.transport !== undefined) {
    transport = options.transport;
    endpoint = { kind: 'custom', source: 'option', description: transport.description };
  } else {
    const resolved = await resolveEndpoint(options);
    transport = await createEndpointTransport(resolved, { ...internals, environment });
    endpoint = resolved;
    apiVersion ??= resolved.apiVersion;
  }

  try {
    const client = createEngineClient({
      transport,
      environment,
      ...definedEntries({ apiVersion, userAgent: options.userAgent }),
    });
    const credentials =
      options.credentials === false
        ? undefined
        : (options.credentials ?? dockerConfigCredentials({ environment, configDirectory: options.configDirectory }));
    const images = new ImageCollection({ client, environment, ...definedEntries({ credentials }) });
    return {
      client,
      images,
      endpoint,
      // The client is idempotent itself, and a plain close() during a graceful one cuts it short.
      close: (closeOptions) => client.close(closeOptions),
      [Symbol.asyncDispose]: () => client.close(),
    };
  } catch (error) {
    // Do not leak the connection pool of a transport we opened.
    if (options.transport === undefined) await transport.close().catch(() => undefined);
    throw error;
  }
}
