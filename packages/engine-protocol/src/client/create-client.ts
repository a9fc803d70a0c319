import type { Dispatcher } from 'undici';
import { ApiVersionError, createEngineError, redactRequest } from '../errors/index.js';
import { buildRequest, type PreparedRequest } from '../request/build-request.js';
import type { EndpointDefinition } from '../request/endpoint.js';
import type { Transport } from '../transport.js';
import {
  CLIENT_MAX_API_VERSION,
  CLIENT_MIN_API_VERSION,
  compareApiVersions,
  parseApiVersion,
} from '../version/api-version.js';
import { createCallSignal, waitForShared, type CallOptions } from './call-signal.js';
import { EngineResponse } from './engine-response.js';
import { mapTransportError, type TransportErrorContext } from './map-transport-error.js';
import { readErrorMessage } from './read-error-body.js';
import { UpgradedConnections, type UpgradedConnection, type UpgradeOptions } from './upgrade-connection.js';

/** Options of {@link createEngineClient}. */
export interface EngineClientOptions {
  /** How to reach the engine (see `@berth/transport-unix`, `-tcp`, `-ssh`). */
  readonly transport: Transport;
  /**
   * Pins the API version instead of negotiating it. Defaults to `DOCKER_API_VERSION` from
   * `environment` when set.
   */
  readonly apiVersion?: string | undefined;
  /** Where `DOCKER_API_VERSION` is read from. Default: `process.env`. */
  readonly environment?: Readonly<Record<string, string | undefined>> | undefined;
  /** Sent as `User-Agent`. Default: `berth`. */
  readonly userAgent?: string | undefined;
}

/**
 * A client bound to one engine: the transport, the API version, and request sending. Made by
 * {@link createEngineClient}; every endpoint function takes it as its first argument.
 *
 * @example
 * ```ts
 * const client: EngineClient = createEngineClient({ transport: unixTransport() });
 * const response = await client.send(imageListEndpoint, { all: true }, { timeout: 5_000 });
 * const images = await response.json();
 * ```
 */
export interface EngineClient {
  /** The transport in use. */
  readonly transport: Transport;
  /**
   * The API version in use: the pinned one, or negotiated once through `/_ping` as the lower
   * of the engine's maximum and this package's maximum.
   */
  apiVersion(options?: CallOptions): Promise<string>;
  /**
   * Builds and sends a request. Resolves once the reply headers arrived with a status below
   * 400; rejects with an `EngineError` (with the engine's message) otherwise.
   */
  send(endpoint: EndpointDefinition, parameters: object, options?: CallOptions): Promise<EngineResponse>;
  /**
   * Sends a request that switches the connection to another protocol (`POST /session`,
   * `POST /grpc`) and resolves to the switched socket; see {@link UpgradedConnection}.
   */
  upgrade(endpoint: EndpointDefinition, parameters: object, options: UpgradeOptions): Promise<UpgradedConnection>;
  /** Closes the transport, and every connection `upgrade` switched. */
  close(): Promise<void>;
}

const defaultUserAgent = 'berth';
/** Deadline of the shared `/_ping` negotiation; an engine silent for this long is not answering. */
const negotiationTimeout = 30_000;

/**
 * Creates a client for one engine over the given transport. No request is sent until the
 * first call; the API version is negotiated then, once.
 *
 * @example
 * ```ts
 * import { createEngineClient, listImages } from '@berth/engine-protocol';
 * import { unixTransport } from '@berth/transport-unix';
 *
 * const client = createEngineClient({ transport: unixTransport() });
 * console.log(await listImages(client));
 * await client.close();
 * ```
 */
export function createEngineClient(options: EngineClientOptions): EngineClient {
  const { transport } = options;
  const environment = options.environment ?? process.env;
  const pinned = options.apiVersion ?? (environment['DOCKER_API_VERSION'] || undefined);
  const pinnedVersion = pinned === undefined ? undefined : parseApiVersion(pinned, options.apiVersion === undefined ? 'DOCKER_API_VERSION' : 'apiVersion');
  const userAgent = options.userAgent ?? defaultUserAgent;
  let negotiation: Promise<string> | undefined;
  const upgrades = new UpgradedConnections(transport, userAgent);

  async function dispatch(request: PreparedRequest, callOptions: CallOptions): Promise<EngineResponse> {
    const redacted = redactRequest(request);
    const requestLine = `${redacted.method} ${redacted.path}`;
    const context: TransportErrorContext = { transport, requestLine };
    const call = createCallSignal(callOptions, requestLine);
    const streaming = request.endpoint.response === 'json-stream' || request.endpoint.response === 'byte-stream';
    let data: Dispatcher.ResponseData;
    try {
      data = await transport.dispatcher.request({
        origin: transport.origin,
        path: request.path,
        method: request.method,
        headers: { 'User-Agent': userAgent, ...request.headers },
        body: (request.body ?? null) as NonNullable<Dispatcher.RequestOptions['body']>,
        ...(call.signal ? { signal: call.signal } : {}),
        // Streams (a save on the graphdriver store, a long RUN step) may stay silent for
        // minutes: the caller's signal and timeout govern them, not undici's idle timers.
        ...(streaming ? { headersTimeout: 0, bodyTimeout: 0 } : {}),
      });
    } catch (error) {
      call.dispose();
      throw call.reason() ?? mapTransportError(error, context);
    }
    if (data.statusCode >= 400) {
      const engineMessage = await readErrorMessage(data.body).finally(() => call.dispose());
      // An abort or timeout while reading the error body wins over the half-read message.
      const reason = call.reason();
      if (reason) throw reason;
      throw createEngineError({ status: data.statusCode, engineMessage, request: redacted });
    }
    return new EngineResponse(data, request, call, context);
  }

  async function negotiate(callOptions: CallOptions): Promise<string> {
    const ping = buildRequest(pingEndpoint, {}, { apiVersion: CLIENT_MAX_API_VERSION });
    const response = await dispatch(ping, callOptions);
    await response.dispose();
    const serverMax = response.header('api-version');
    // Engines too old to send the header speak less than we support anyway.
    const negotiated = serverMax && /^\d+\.\d+$/.test(serverMax)
      ? compareApiVersions(serverMax, CLIENT_MAX_API_VERSION) < 0 ? serverMax : CLIENT_MAX_API_VERSION
      : CLIENT_MIN_API_VERSION;
    if (compareApiVersions(negotiated, CLIENT_MIN_API_VERSION) < 0) {
      throw new ApiVersionError(
        `The engine speaks Engine API ${negotiated} at most; Berth needs ${CLIENT_MIN_API_VERSION} (Engine 20.10) or newer.`,
      );
    }
    return negotiated;
  }

  const client: EngineClient = {
    transport,
    apiVersion(callOptions = {}) {
      if (pinnedVersion !== undefined) return Promise.resolve(pinnedVersion);
      // One negotiation serves every concurrent call, so it runs under its own deadline rather
      // than the first caller's signal; each caller still waits under its own signal/timeout.
      negotiation ??= negotiate({ timeout: negotiationTimeout }).catch((error: unknown) => {
        // A failed negotiation is retried by the next call rather than cached.
        negotiation = undefined;
        throw error;
      });
      return waitForShared(negotiation, callOptions, 'GET /_ping (API version negotiation)');
    },
    async send(endpoint, parameters, callOptions = {}) {
      const apiVersion = endpoint.versioned === false ? CLIENT_MAX_API_VERSION : await client.apiVersion(callOptions);
      return dispatch(buildRequest(endpoint, parameters, { apiVersion }), callOptions);
    },
    upgrade: (endpoint, parameters, upgradeOptions) => upgrades.open(endpoint, parameters, upgradeOptions, (callOptions) => client.apiVersion(callOptions)),
    close: () => {
      upgrades.closeAll();
      return transport.close();
    },
  };
  return client;
}

/**
 * `GET /_ping`, unversioned; declared here because negotiation needs it.
 *
 * @example
 * ```ts
 * const response = await client.send(pingEndpoint, {});
 * console.log(response.header('api-version'));
 * ```
 */
export const pingEndpoint = {
  id: 'SystemPing',
  method: 'GET',
  path: '/_ping',
  versioned: false,
  parameters: {},
  response: 'text',
} as const satisfies EndpointDefinition;
