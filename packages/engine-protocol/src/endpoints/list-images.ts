import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { EndpointParameters } from './endpoint-types.js';
import type { ImageListResponse } from '../generated/index.js';
import { imageListEndpoint } from './definitions.js';

/**
 * Parameters of {@link listImages}: those of `imageListEndpoint`, typed from the Engine API spec (see
 * `EndpointParameters`).
 *
 * @example
 * ```ts
 * const parameters: ListImagesParameters = { all: true, filters: { dangling: true } };
 * ```
 */
export type ListImagesParameters = EndpointParameters<typeof imageListEndpoint>;

/**
 * `GET /images/json`: lists images.
 *
 * @example
 * ```ts
 * const dangling = await listImages(client, { filters: { dangling: true } });
 * ```
 */
export async function listImages(
  client: EngineClient,
  parameters: ListImagesParameters = {},
  options?: CallOptions,
): Promise<ImageListResponse> {
  const response = await client.send(imageListEndpoint, parameters, options);
  return response.json();
}
