import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { SystemVersionResponse } from '../generated/index.js';
import { systemVersionEndpoint } from './definitions.js';

/**
 * `GET /version`: engine version, API range (`ApiVersion`, `MinAPIVersion`), OS and
 * architecture.
 *
 * @example
 * ```ts
 * const { Version, ApiVersion, Os, Arch } = await getVersion(client);
 * ```
 */
export async function getVersion(client: EngineClient, options?: CallOptions): Promise<SystemVersionResponse> {
  const response = await client.send(systemVersionEndpoint, {}, options);
  return response.json();
}
