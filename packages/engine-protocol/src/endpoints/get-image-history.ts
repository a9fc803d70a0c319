import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { EndpointParameters } from './endpoint-types.js';
import type { ImageHistoryResponse } from '../generated/index.js';
import { imageHistoryEndpoint } from './definitions.js';

/**
 * Parameters of {@link getImageHistory}: those of `imageHistoryEndpoint`, typed from the Engine API spec (see
 * `EndpointParameters`).
 *
 * @example
 * ```ts
 * const parameters: GetImageHistoryParameters = { name: 'busybox:latest' };
 * ```
 */
export type GetImageHistoryParameters = EndpointParameters<typeof imageHistoryEndpoint>;

/**
 * `GET /images/{name}/history`: the layers of an image, newest first.
 *
 * @example
 * ```ts
 * for (const layer of await getImageHistory(client, { name: 'busybox' })) console.log(layer.CreatedBy);
 * ```
 */
export async function getImageHistory(
  client: EngineClient,
  parameters: GetImageHistoryParameters,
  options?: CallOptions,
): Promise<ImageHistoryResponse> {
  const response = await client.send(imageHistoryEndpoint, parameters, options);
  return response.json();
}
