import type { Dispatcher } from 'undici';
import { describeValue } from '../errors/describe-value.js';
import { AbortedError, ApiVersionError, EngineError, InvalidArgumentError } from '../errors/index.js';
import { createEngineError } from '../errors/engine-error.js';
import { redactRequest, redactUrl } from '../errors/redact.js';
import { buildRequest, type PreparedRequest } from '../request/build-request.js';
import type { EndpointParameters, EndpointReply } from '../endpoints/endpoint-types.js';
import type { EndpointDefinition } from '../request/endpoint.js';
import type { Transport } from '../transport.js';
import {
  CLIENT_MAX_API_VERSION,
  CLIENT_MIN_API_VERSION,
  compareApiVersions,
  parseApiVersion,
} from '../version/api-version.js';
import { createCallSignal, waitForShared, type CallOptions, type CallSignal } from './call-signal.js';
import { ClientLifecycle, type CloseOptions } from './client-lifecycle.js';
import { dispatchByteStream } from './dispatch-byte-stream.js';
import { knownBodyLength } from './known-body-length.js';
import { DEFAULT_MAX_REPLY_BYTES, EngineResponse, type ReplyData } from './engine-response.js';
import { mapTransportError, type TransportErrorContext } from './map-transport-error.js';
import { readErrorMessage } from './read-error-body.js';
import { upgradeConnection, type UpgradedConnection, type UpgradeOptions } from './upgrade-connection.js';

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
  /**
   * The largest JSON or text reply read into memory, in bytes; a larger one is an
   * `UnexpectedReplyError` (`BERTH_REPLY_TOO_LARGE`). Streams (pull, save, …) are not limited.
   * Default: 64 MiB.
   */
  readonly maxReplyBytes?: number | undefined;
}

/**
 * A client bound to one engine: the transport, the API version, and request sending. Made by
 * {@link createEngineClient}; every endpoint function takes it as its first argument.
 *
 * @example
 * ```ts
 * const engine: EngineClient = createEngineClient({ transport });
 * const response = await engine.send(imageListEndpoint, { all: true }, { timeout: 5_000 });
 * const images = await response.json();
 * await engine.close();
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
   * Builds and sends a request. Resolves once the reply headers arrived with a status the
   * endpoint documents as success; rejects with an `EngineError` (with the engine's message)
   * for any other status, redirects included (they are never followed).
   *
   * Typed from the endpoint: `parameters` as {@link EndpointParameters} (a wrong name or value
   * type is a compile error; the same checks run again before sending), the reply's `json()` as
   * {@link EndpointReply}.
   */
  send<const Endpoint extends EndpointDefinition>(
    endpoint: Endpoint,
    parameters: EndpointParameters<Endpoint>,
    options?: CallOptions,
  ): Promise<EngineResponse<EndpointReply<Endpoint>>>;
  /**
   * Sends a request that switches the connection to another protocol (`POST /session`,
   * `POST /grpc`) and resolves to the switched socket; see {@link UpgradedConnection}. The
   * handshake is a call like any other (`signal`, `timeout`, ended by `close()`); the switched
   * connection stays tracked until it closes, and `close()` ends it too.
   */
  upgrade<const Endpoint extends EndpointDefinition>(
    endpoint: Endpoint,
    parameters: EndpointParameters<Endpoint>,
    options: UpgradeOptions,
  ): Promise<UpgradedConnection>;
  /**
   * Closes the client. By default every call in flight (a request, a reply being read, the
   * shared version negotiation) ends at once with `ClientClosedError`, the transport's
   * connections are released, and every later call is refused with `ClientClosedError`.
   * `{ graceful: true, timeout }` lets calls in flight finish first (see {@link CloseOptions}).
   * Calling it again returns the same promise.
   */
  close(options?: CloseOptions): Promise<void>;
  /**
   * `close()` with its defaults, for `await using`: when the scope ends, every call still in
   * flight ends with `ClientClosedError` and the transport's connections are released.
   *
   * @example
   * ```ts
   * await using scoped = createEngineClient({ transport: client.transport });
   * console.log(await listImages(scoped));
   * // closed here, also when listImages threw
   * ```
   */
  [Symbol.asyncDispose](): Promise<void>;
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
 * import { createEngineClient, listImages, type Transport } from '@berth/engine-protocol';
 *
 * // `transport` comes from a transport package: unixTransport() of @berth/transport-unix,
 * // tcpTransport() of @berth/transport-tcp, sshTransport() of @berth/transport-ssh.
 * declare const transport: Transport;
 * const client = createEngineClient({ transport, apiVersion: '1.45' });
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
  const maxReplyBytes = checkMaxReplyBytes(options.maxReplyBytes);
  const lifecycle = new ClientLifecycle(transport.description);
  /** The shared negotiation in progress, its call, and how many calls wait for it. */
  let negotiation: Promise<string> | undefined;
  let negotiationCall: CallSignal | undefined;
  let negotiationWaiters = 0;

  /**
   * Starts a call of `endpoint` and builds its request for the negotiated version. Parameters are
   * checked before anything is sent, the negotiation's ping included; the version-dependent
   * checks run again once the version is known. The call names the redacted request line.
   */
  async function startRequest(
    endpoint: EndpointDefinition,
    parameters: object,
    callOptions: CallOptions | undefined,
  ): Promise<{ call: CallSignal; request: PreparedRequest; requestLine: string }> {
    if (endpoint.versioned !== false) buildRequest(endpoint, parameters, { apiVersion: CLIENT_MAX_API_VERSION });
    let requestLine = `${endpoint.method} ${endpoint.path}`;
    const call = startCall(callOptions, () => requestLine);
    let request: PreparedRequest;
    try {
      const apiVersion = endpoint.versioned === false ? CLIENT_MAX_API_VERSION : await apiVersionFor(call);
      request = buildRequest(endpoint, parameters, { apiVersion });
    } catch (error) {
      call.dispose();
      throw error;
    }
    const redacted = redactRequest(request);
    requestLine = `${redacted.method} ${redacted.path}`;
    return { call, request, requestLine };
  }

  /** Starts a call: checks its options and registers it, so that close() can end it. */
  function startCall(callOptions: CallOptions | undefined, requestLine: () => string): CallSignal {
    if (lifecycle.closed) throw lifecycle.closedError(requestLine());
    let untrack = (): void => {};
    const call = createCallSignal(callOptions, requestLine, () => untrack());
    try {
      untrack = lifecycle.track({ abort: (reason) => call.abort(reason) }, requestLine());
    } catch (error) {
      call.dispose();
      throw error;
    }
    return call;
  }

  async function dispatch(request: PreparedRequest, call: CallSignal, context: TransportErrorContext): Promise<EngineResponse> {
    const redacted = redactRequest(request);
    const streaming = request.endpoint.response === 'json-stream' || request.endpoint.response === 'byte-stream';
    let data: ReplyData;
    try {
      if (call.signal.aborted) throw call.reason();
      const headers: Record<string, string> = { 'User-Agent': userAgent, ...request.headers };
      if (request.body !== undefined && typeof request.body !== 'string') {
        const length = await knownBodyLength(request.body);
        if (length !== undefined) headers['Content-Length'] = String(length);
      }
      // A byte stream (a save) goes through dispatch(): its chunks reach the consumer's stream
      // without undici's body stream in between (see dispatch-byte-stream.ts).
      data = request.endpoint.response === 'byte-stream'
        ? await dispatchByteStream(
            transport.dispatcher,
            {
              origin: transport.origin,
              path: request.path,
              method: request.method,
              headers,
              body: (request.body ?? null) as NonNullable<Dispatcher.DispatchOptions['body']>,
              headersTimeout: 0,
              bodyTimeout: 0,
            },
            call.signal,
          )
        : await transport.dispatcher.request({
        origin: transport.origin,
        path: request.path,
        method: request.method,
        headers,
        body: (request.body ?? null) as NonNullable<Dispatcher.RequestOptions['body']>,
        signal: call.signal,
        // Streams (a save on the graphdriver store, a long RUN step) may stay silent for
        // minutes: the caller's signal and timeout govern them, not undici's idle timers.
        ...(streaming ? { headersTimeout: 0, bodyTimeout: 0 } : {}),
      });
    } catch (error) {
      call.dispose();
      throw call.reason() ?? mapTransportError(error, context);
    }
    if (!isSuccess(request.endpoint, data.statusCode)) {
      const engineMessage = await readErrorMessage(data.body).finally(() => call.dispose());
      // An abort, timeout or close while reading the error body wins over the half-read message.
      const reason = call.reason();
      if (reason) throw reason;
      if (data.statusCode >= 400) throw createEngineError({ status: data.statusCode, engineMessage, request: redacted });
      throw new EngineError({
        status: data.statusCode,
        engineMessage: describeUnexpectedStatus(request.endpoint, data, engineMessage),
        request: redacted,
      });
    }
    return new EngineResponse(data, request, call, context, { maxReplyBytes });
  }

  async function negotiate(call: CallSignal): Promise<string> {
    const ping = buildRequest(pingEndpoint, {}, { apiVersion: CLIENT_MAX_API_VERSION });
    const requestLine = `${ping.method} ${ping.path}`;
    const response = await dispatch(ping, call, { transport, requestLine });
    await response.dispose();
    // Engines too old to send the header speak less than we support anyway (the CLI agrees).
    const announced = response.header('api-version')?.trim() || undefined;
    if (announced !== undefined && !/^\d+\.\d+$/.test(announced)) {
      throw new ApiVersionError(`The engine announced an invalid API version in its Api-Version header: ${JSON.stringify(announced.slice(0, 40))}.`, {
        details: 'Expected a version such as "1.45". Set DOCKER_API_VERSION (or the apiVersion option) to pin one.',
      });
    }
    const negotiated = announced
      ? compareApiVersions(announced, CLIENT_MAX_API_VERSION) < 0 ? announced : CLIENT_MAX_API_VERSION
      : CLIENT_MIN_API_VERSION;
    if (compareApiVersions(negotiated, CLIENT_MIN_API_VERSION) < 0) {
      throw new ApiVersionError(
        `The engine speaks Engine API ${negotiated} at most; Berth needs ${CLIENT_MIN_API_VERSION} (Engine 20.10) or newer.`,
      );
    }
    return negotiated;
  }

  /**
   * The API version, waited for under `call` (so its abort, timeout or the close ends the wait).
   * One negotiation serves every concurrent call, so it runs under its own deadline rather than
   * the first caller's signal; each caller still waits under its own signal/timeout. When every
   * caller has given up, the negotiation is abandoned too: nothing keeps running for nobody.
   */
  async function apiVersionFor(call: CallSignal): Promise<string> {
    if (pinnedVersion !== undefined) return pinnedVersion;
    if (negotiation === undefined) {
      const requestLine = 'GET /_ping (API version negotiation)';
      const shared = startCall({ timeout: negotiationTimeout }, () => requestLine);
      negotiationCall = shared;
      negotiation = negotiate(shared).then(
        (version) => {
          negotiationCall = undefined;
          return version;
        },
        (error: unknown) => {
          // A failed negotiation is retried by the next call rather than cached.
          if (negotiationCall === shared) {
            negotiation = undefined;
            negotiationCall = undefined;
          }
          throw error;
        },
      );
      // Waiters see the failure through waitForShared; this one only keeps it from being unhandled.
      negotiation.catch(() => undefined);
    }
    const current = negotiationCall;
    negotiationWaiters += 1;
    try {
      return await waitForShared(negotiation, call);
    } finally {
      negotiationWaiters -= 1;
      if (negotiationWaiters === 0 && current !== undefined && negotiationCall === current && call.signal.aborted) {
        negotiation = undefined;
        negotiationCall = undefined;
        current.abort(new AbortedError('The API version negotiation was abandoned: every call waiting for it gave up.'));
      }
    }
  }

  const client: EngineClient = {
    transport,
    async apiVersion(callOptions) {
      const call = startCall(callOptions, () => 'GET /_ping (API version negotiation)');
      try {
        return await apiVersionFor(call);
      } finally {
        call.dispose();
      }
    },
    async send<Endpoint extends EndpointDefinition>(
      endpoint: Endpoint,
      parameters: EndpointParameters<Endpoint>,
      callOptions?: CallOptions,
    ): Promise<EngineResponse<EndpointReply<Endpoint>>> {
      const { call, request, requestLine } = await startRequest(endpoint, parameters, callOptions);
      // The reply's type is the endpoint's (EndpointReply); json() checks its top-level shape.
      return dispatch(request, call, { transport, requestLine }) as Promise<EngineResponse<EndpointReply<Endpoint>>>;
    },
    async upgrade(endpoint, parameters, upgradeOptions) {
      const { call, request, requestLine } = await startRequest(endpoint, parameters, upgradeOptions);
      const connection = await upgradeConnection(transport, request, call, upgradeOptions, userAgent);
      // The switched connection outlives the handshake's call: tracked until it closes.
      let untrack: () => void;
      try {
        untrack = lifecycle.track({ abort: () => connection.close() }, requestLine);
      } catch (error) {
        connection.close();
        throw error;
      }
      void connection.closed.then(untrack);
      return connection;
    },
    close: (closeOptions) => lifecycle.close(closeOptions, () => transport.close()),
    [Symbol.asyncDispose]: () => lifecycle.close(undefined, () => transport.close()),
  };
  return client;
}

/** Whether `status` is a success the endpoint documents (any 2xx when it declares none). */
function isSuccess(endpoint: EndpointDefinition, status: number): boolean {
  return endpoint.successStatuses === undefined ? status >= 200 && status < 300 : endpoint.successStatuses.includes(status);
}

/** The message of an `EngineError` for a status below 400 that is not the endpoint's success. */
function describeUnexpectedStatus(endpoint: EndpointDefinition, data: ReplyData, body: string): string {
  const expected = endpoint.successStatuses?.join(' or ') ?? '2xx';
  const location = data.headers['location'];
  const target = typeof location === 'string' ? ` to ${redactUrl(location)}` : '';
  const what =
    data.statusCode >= 300 && data.statusCode < 400
      ? `a redirect${target}, which Berth never follows (credentials must not travel elsewhere)`
      : 'a status this endpoint does not document as success';
  return `Unexpected status ${data.statusCode} for ${endpoint.id} (expected ${expected}): ${what}.${body ? ` Body: ${body}` : ''}`;
}

function checkMaxReplyBytes(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_REPLY_BYTES;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(`maxReplyBytes must be a positive whole number of bytes, got ${describeValue(value)}.`, {
      argument: 'maxReplyBytes',
    });
  }
  return value;
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
  successStatuses: [200],
} as const satisfies EndpointDefinition;
