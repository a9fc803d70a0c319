import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { EndpointParameters } from './endpoint-types.js';
import type { ImagePruneResponse } from '../generated/index.js';
import { imagePruneEndpoint } from './definitions.js';

/**
 * Parameters of {@link pruneImages}: those of `imagePruneEndpoint`, typed from the Engine API spec (see
 * `EndpointParameters`).
 *
 * @example
 * ```ts
 * const parameters: PruneImagesParameters = { filters: { dangling: false, until: '24h' } };
 * ```
 */
export type PruneImagesParameters = EndpointParameters<typeof imagePruneEndpoint>;

/**
 * `POST /images/prune`: deletes unused images.
 *
 * @example
 * ```ts
 * const { SpaceReclaimed } = await pruneImages(client, { filters: { dangling: true } });
 * ```
 */
export async function pruneImages(
  client: EngineClient,
  parameters: PruneImagesParameters = {},
  options?: CallOptions,
): Promise<ImagePruneResponse> {
  const response = await client.send(imagePruneEndpoint, parameters, options);
  return response.json();
}
