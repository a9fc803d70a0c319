import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { ImageHistoryResponse } from '../generated/index.js';
import type { PlatformInput } from '../request/platform.js';
import { imageHistoryEndpoint } from './definitions.js';

/** Parameters of {@link getImageHistory}. */
export interface GetImageHistoryParameters {
  /** Image name or id. */
  readonly name: string;
  /** Which platform of a multi-platform image (v1.48). */
  readonly platform?: PlatformInput;
}

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
  return response.json<ImageHistoryResponse>();
}
