import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { EndpointParameters } from './endpoint-types.js';
import type { ImageDeleteResponse } from '../generated/index.js';
import { imageDeleteEndpoint } from './definitions.js';

/**
 * Parameters of {@link deleteImage}: those of `imageDeleteEndpoint`, typed from the Engine API spec (see
 * `EndpointParameters`).
 *
 * @example
 * ```ts
 * const parameters: DeleteImageParameters = { name: 'old:tag', force: true };
 * ```
 */
export type DeleteImageParameters = EndpointParameters<typeof imageDeleteEndpoint>;

/**
 * `DELETE /images/{name}`: removes an image (or one of its tags). Rejects with
 * `ConflictError` when a container uses it and `force` is not set.
 *
 * @example
 * ```ts
 * const removed = await deleteImage(client, { name: 'old:tag', force: true });
 * ```
 */
export async function deleteImage(
  client: EngineClient,
  parameters: DeleteImageParameters,
  options?: CallOptions,
): Promise<ImageDeleteResponse> {
  const response = await client.send(imageDeleteEndpoint, parameters, options);
  return response.json();
}
