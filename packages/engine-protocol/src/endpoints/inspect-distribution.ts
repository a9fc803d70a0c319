import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { DistributionInspectResponse } from '../generated/index.js';
import type { RegistryAuthConfig } from '../request/registry-auth.js';
import { distributionInspectEndpoint } from './definitions.js';

/** Parameters of {@link inspectDistribution}. */
export interface InspectDistributionParameters {
  /** Image reference, e.g. `localhost:5000/app:v1`. */
  readonly name: string;
  /** Credentials for the image's registry. */
  readonly authConfig?: RegistryAuthConfig;
}

/**
 * `GET /distribution/{name}/json`: asks the registry (through the engine) for an image's
 * manifest descriptor and platforms, without pulling it.
 *
 * @example
 * ```ts
 * const { Descriptor, Platforms } = await inspectDistribution(client, { name: 'localhost:5000/app:v1' });
 * ```
 */
export async function inspectDistribution(
  client: EngineClient,
  parameters: InspectDistributionParameters,
  options?: CallOptions,
): Promise<DistributionInspectResponse> {
  const response = await client.send(distributionInspectEndpoint, parameters, options);
  return response.json<DistributionInspectResponse>();
}
