import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { ImageSearchResponse } from '../generated/index.js';
import type { FiltersInput } from '../request/filters.js';
import type { RegistryAuthConfig } from '../request/registry-auth.js';
import { imageSearchEndpoint } from './definitions.js';

/** Parameters of {@link searchImages}. */
export interface SearchImagesParameters {
  /** The term; a registry host in front (`localhost:5000/app`) searches that registry. */
  readonly term: string;
  /** Maximum number of results. */
  readonly limit?: number;
  /** Filters: `is-official`, `stars`. */
  readonly filters?: FiltersInput;
  /** Credentials for the searched registry. */
  readonly authConfig?: RegistryAuthConfig;
}

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
  return response.json<ImageSearchResponse>();
}
