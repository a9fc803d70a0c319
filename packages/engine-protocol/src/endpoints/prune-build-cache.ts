import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { EndpointParameters } from './endpoint-types.js';
import type { BuildPruneResponse } from '../generated/index.js';
import { buildPruneEndpoint } from './definitions.js';

/**
 * Parameters of {@link pruneBuildCache}: those of `buildPruneEndpoint`, typed from the Engine API spec (see
 * `EndpointParameters`).
 *
 * @example
 * ```ts
 * const parameters: PruneBuildCacheParameters = { all: true, filters: { until: '24h' } };
 * ```
 */
export type PruneBuildCacheParameters = EndpointParameters<typeof buildPruneEndpoint>;

/**
 * `POST /build/prune`: deletes build cache.
 *
 * @example
 * ```ts
 * const { SpaceReclaimed } = await pruneBuildCache(client, { all: true });
 * ```
 */
export async function pruneBuildCache(
  client: EngineClient,
  parameters: PruneBuildCacheParameters = {},
  options?: CallOptions,
): Promise<BuildPruneResponse> {
  const response = await client.send(buildPruneEndpoint, parameters, options);
  return response.json();
}
