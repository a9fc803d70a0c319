import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { ImageInspectResponse } from '../generated/index.js';
import type { PlatformInput } from '../request/platform.js';
import { imageInspectEndpoint } from './definitions.js';

/** Parameters of {@link inspectImage}. */
export interface InspectImageParameters {
  /** Image name or id. */
  readonly name: string;
  /** Include `Manifests` (v1.48). */
  readonly manifests?: boolean;
  /** Which platform of a multi-platform image (v1.49). */
  readonly platform?: PlatformInput;
}

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
  return response.json<ImageInspectResponse>();
}
