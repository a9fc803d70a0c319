import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { BuildPruneResponse } from '../generated/index.js';
import type { FiltersInput } from '../request/filters.js';
import { buildPruneEndpoint } from './definitions.js';

/** Parameters of {@link pruneBuildCache}. */
export interface PruneBuildCacheParameters {
  /** Bytes of cache to keep (before v1.48; renamed `reserved-space`). */
  readonly 'keep-storage'?: number;
  /** Bytes of cache to keep (v1.48). */
  readonly 'reserved-space'?: number;
  /** Maximum bytes of cache to keep (v1.48). */
  readonly 'max-used-space'?: number;
  /** Target free disk space in bytes (v1.48). */
  readonly 'min-free-space'?: number;
  /** Remove all cache, not only dangling cache. */
  readonly all?: boolean;
  /** Filters: `until`, `id`, `parent`, `type`, `description`, `inuse`, `shared`, `private`. */
  readonly filters?: FiltersInput;
}

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
  return response.json<BuildPruneResponse>();
}
