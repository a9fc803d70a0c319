// The engine's BuildKit controller (`moby.buildkit.v1.Control` over `POST /grpc`): what the
// Engine API's `POST /build` cannot express goes here, such as several platforms at once.
import http2 from 'node:http2';
import { grpcEndpoint, type CallOptions, type EngineClient, type UpgradedConnection } from '@berth/engine-protocol';
import { callGrpc, callGrpcUnary } from '../grpc/grpc-client.js';
import { socketForHttp2 } from '../session/http2-socket.js';
import { decodeSolveResponse, encodeSolveRequest, encodeStatusRequest, type SolveRequestFields } from '../messages/control-messages.js';

/**
 * A connection to the engine's BuildKit controller.
 *
 * @example
 * ```ts
 * const controller = await connectBuildkitController(client);
 * try {
 *   const response = await controller.solve(request, signal);
 * } finally {
 *   controller.close();
 * }
 * ```
 */
export interface BuildkitController {
  /**
   * Runs a build to its end and resolves to the exporter response (`containerimage.digest`, …).
   * A failure rejects with `GrpcStatusError` carrying BuildKit's message; `signal` cancels the
   * build.
   */
  solve(request: SolveRequestFields, signal?: AbortSignal): Promise<Record<string, string>>;
  /**
   * The progress of build `ref`: raw `StatusResponse` messages (decode them with
   * `decodeBuildkitStatus` of `@berth/images`, or base64 them into a `moby.buildkit.trace`),
   * until the build ends.
   */
  status(ref: string, signal?: AbortSignal): AsyncIterable<Uint8Array>;
  /** Closes the connection. */
  close(): void;
}

/**
 * Connects to the engine's BuildKit controller through the client's transport (`POST /grpc`,
 * switched to HTTP/2).
 *
 * @example
 * ```ts
 * const controller = await connectBuildkitController(client, { timeout: 10_000 });
 * ```
 */
export async function connectBuildkitController(client: EngineClient, options: CallOptions = {}): Promise<BuildkitController> {
  const connection: UpgradedConnection = await client.upgrade(grpcEndpoint, {}, { protocol: 'h2c', signal: options.signal, timeout: options.timeout });
  const session = http2.connect('http://localhost', { createConnection: () => socketForHttp2(connection.socket) });
  session.on('error', () => connection.close());
  session.on('close', () => connection.close());
  void connection.closed.then(() => {
    if (!session.destroyed) session.destroy();
  });
  return {
    async solve(request, signal) {
      return decodeSolveResponse(await callGrpcUnary(session, '/moby.buildkit.v1.Control/Solve', encodeSolveRequest(request), signal));
    },
    status: (ref, signal) => callGrpc(session, '/moby.buildkit.v1.Control/Status', encodeStatusRequest(ref), signal),
    close() {
      session.destroy();
      connection.close();
    },
  };
}
