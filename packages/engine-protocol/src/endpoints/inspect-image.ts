import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { EndpointParameters } from './endpoint-types.js';
import type { ImageInspectResponse } from '../generated/index.js';
import { imageInspectEndpoint } from './definitions.js';

/**
 * Parameters of {@link inspectImage}: those of `imageInspectEndpoint`, typed from the Engine API spec (see
 * `EndpointParameters`).
 *
 * @example
 * ```ts
 * const parameters: InspectImageParameters = { name: 'busybox:latest', platform: 'linux/arm64' };
 * ```
 */
export type InspectImageParameters = EndpointParameters<typeof imageInspectEndpoint>;

/**
 * `GET /images/{name}/json`: low-level information about an image. Rejects with
 * `NotFoundError` when there is no such image.
 *
 * @example
 * ```ts
 * const image = await inspectImage(client, { name: 'busybox:latest' });
 * console.log(image.Id, image.RepoTags);
 * ```
 */
export async function inspectImage(
  client: EngineClient,
  parameters: InspectImageParameters,
  options?: CallOptions,
): Promise<ImageInspectResponse> {
  const response = await client.send(imageInspectEndpoint, parameters, options);
  return response.json();
}
