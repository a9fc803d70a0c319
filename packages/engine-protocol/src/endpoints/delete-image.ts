import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { ImageDeleteResponse } from '../generated/index.js';
import type { PlatformInput } from '../request/platform.js';
import { imageDeleteEndpoint } from './definitions.js';

/** Parameters of {@link deleteImage}. */
export interface DeleteImageParameters {
  /** Image name or id. */
  readonly name: string;
  /** Remove even if containers use it or it has several tags. */
  readonly force?: boolean;
  /** Keep untagged parents. */
  readonly noprune?: boolean;
  /** Delete only these platforms' content (v1.50). */
  readonly platforms?: readonly PlatformInput[];
}

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
  return response.json<ImageDeleteResponse>();
}
