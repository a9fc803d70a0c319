import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { EndpointParameters } from './endpoint-types.js';
import type { SystemAuthResponse } from '../generated/index.js';
import { systemAuthEndpoint } from './definitions.js';

/**
 * `POST /auth`: validates credentials against a registry (what `docker login` does). Resolves
 * to `{ Status, IdentityToken? }`; wrong credentials reject with an `EngineError` (401/500
 * depending on the engine).
 *
 * @example
 * ```ts
 * const reply = await checkRegistryAuth(client, {
 *   authConfig: { username: 'me', password, serveraddress: 'localhost:5000' },
 * });
 * if (reply) console.log(reply.Status, reply.IdentityToken);
 * ```
 */
export async function checkRegistryAuth(
  client: EngineClient,
  parameters: EndpointParameters<typeof systemAuthEndpoint>,
  options?: CallOptions,
): Promise<SystemAuthResponse> {
  const response = await client.send(systemAuthEndpoint, parameters, options);
  return response.json();
}
