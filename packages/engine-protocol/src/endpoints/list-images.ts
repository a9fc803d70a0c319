import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { ImageListResponse } from '../generated/index.js';
import type { FiltersInput } from '../request/filters.js';
import { imageListEndpoint } from './definitions.js';

/** Parameters of {@link listImages}. */
export interface ListImagesParameters {
  /** Include intermediate images. */
  readonly all?: boolean;
  /** Filters: `before`, `dangling`, `label`, `reference`, `since`, `until` (v1.44). */
  readonly filters?: FiltersInput;
  /** Compute `SharedSize` (v1.42). */
  readonly 'shared-size'?: boolean;
  /** Include digest information. */
  readonly digests?: boolean;
  /** Include `Manifests` (v1.47). */
  readonly manifests?: boolean;
  /** Include `Identity` (v1.54). */
  readonly identity?: boolean;
}

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
  return response.json<ImageListResponse>();
}
