import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { EndpointParameters } from './endpoint-types.js';
import type { ImageSearchResponse } from '../generated/index.js';
import { imageSearchEndpoint } from './definitions.js';

/**
 * Parameters of {@link searchImages}: those of `imageSearchEndpoint`, typed from the Engine API spec (see
 * `EndpointParameters`).
 *
 * @example
 * ```ts
 * const parameters: SearchImagesParameters = { term: 'localhost:5000/app', limit: 5 };
 * ```
 */
export type SearchImagesParameters = EndpointParameters<typeof imageSearchEndpoint>;

/**
 * `GET /images/search`: searches a registry through the engine.
 *
 * @example
 * ```ts
 * const results = await searchImages(client, { term: 'localhost:5000/app', limit: 10 });
 * ```
 */
export async function searchImages(
  client: EngineClient,
  parameters: SearchImagesParameters,
  options?: CallOptions,
): Promise<ImageSearchResponse> {
  const response = await client.send(imageSearchEndpoint, parameters, options);
  return response.json();
}
