import { defineEndpoint } from '../request/endpoint.js';

// Endpoints that switch the connection to HTTP/2 without TLS (`Upgrade: h2c`) for BuildKit;
// send them with `EngineClient.upgrade`. Neither is in the spec; both are served by every
// engine Berth supports (20.10 and later).

/**
 * `POST /session`: a BuildKit session. After `101 Switching Protocols` the client is the HTTP/2
 * server and the engine calls the gRPC methods named in the `X-Docker-Expose-Session-*`
 * headers (credentials, secrets, SSH agents, local directories, outputs).
 *
 * @example
 * ```ts
 * const connection = await client.upgrade(sessionEndpoint, {}, {
 *   protocol: 'h2c',
 *   headers: { 'X-Docker-Expose-Session-Uuid': crypto.randomUUID(), 'X-Docker-Expose-Session-Grpc-Method': ['/grpc.health.v1.Health/Check'] },
 * });
 * ```
 */
export const sessionEndpoint = defineEndpoint({
  id: 'Session',
  method: 'POST',
  path: '/session',
  parameters: {},
  response: 'upgrade',
});

/**
 * `POST /grpc`: the engine's BuildKit controller (`moby.buildkit.v1.Control`) over gRPC. After
 * `101 Switching Protocols` the client is the HTTP/2 client.
 *
 * @example
 * ```ts
 * import http2 from 'node:http2';
 *
 * const connection = await client.upgrade(grpcEndpoint, {}, { protocol: 'h2c' });
 * const http2Session = http2.connect('http://localhost', { createConnection: () => connection.socket });
 * ```
 */
export const grpcEndpoint = defineEndpoint({
  id: 'Grpc',
  method: 'POST',
  path: '/grpc',
  parameters: {},
  response: 'upgrade',
});
