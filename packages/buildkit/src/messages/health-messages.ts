// grpc.health.v1.Health (the standard gRPC health protocol): the engine calls Check every five
// seconds and drops the session after two failures.
import { ProtobufWriter } from '../protobuf/protobuf-writer.js';

/** `HealthCheckResponse.ServingStatus.SERVING`. */
const serving = 1;

/**
 * Encodes `HealthCheckResponse { status: SERVING }`.
 *
 * @example
 * ```ts
 * await call.send(encodeServingHealthResponse());
 * ```
 */
export function encodeServingHealthResponse(): Uint8Array {
  return new ProtobufWriter().uint32(1, serving).finish();
}
