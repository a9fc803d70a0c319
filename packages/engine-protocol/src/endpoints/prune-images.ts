import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { ImagePruneResponse } from '../generated/index.js';
import type { FiltersInput } from '../request/filters.js';
import { imagePruneEndpoint } from './definitions.js';

/** Parameters of {@link pruneImages}. */
export interface PruneImagesParameters {
  /** Filters: `dangling` (`false` prunes every unused image), `until`, `label`, `label!`. */
  readonly filters?: FiltersInput;
}

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
  return response.json<ImagePruneResponse>();
}
