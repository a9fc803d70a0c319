import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { EndpointParameters } from './endpoint-types.js';
import { buildCancelEndpoint } from './definitions.js';

/**
 * `POST /build/cancel?id=`: cancels a running build started with that `buildid`
 * (undocumented, but served by every supported engine).
 *
 * @example
 * ```ts
 * const progress = await buildImage(client, { body, buildid: 'my-build' });
 * await cancelBuild(client, { id: 'my-build' });
 * ```
 */
export async function cancelBuild(client: EngineClient, parameters: EndpointParameters<typeof buildCancelEndpoint>, options?: CallOptions): Promise<void> {
  const response = await client.send(buildCancelEndpoint, parameters, options);
  await response.dispose();
}
