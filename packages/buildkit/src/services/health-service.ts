// grpc.health.v1.Health: the engine calls Check every five seconds and drops the session after
// two failures in a row.
import { unaryHandler, type GrpcHandler } from '../grpc/grpc-server.js';
import { encodeServingHealthResponse } from '../messages/health-messages.js';

/**
 * The health methods a session serves: `Check` answers SERVING.
 *
 * @example
 * ```ts
 * const server = new GrpcServer({ ...healthMethods() });
 * ```
 */
export function healthMethods(): Record<string, GrpcHandler> {
  return {
    '/grpc.health.v1.Health/Check': unaryHandler(
      () => undefined,
      async () => encodeServingHealthResponse(),
    ),
  };
}
