import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { EndpointParameters } from './endpoint-types.js';
import type { DistributionInspectResponse } from '../generated/index.js';
import { distributionInspectEndpoint } from './definitions.js';

/**
 * Parameters of {@link inspectDistribution}: those of `distributionInspectEndpoint`, typed from the Engine API spec (see
 * `EndpointParameters`).
 *
 * @example
 * ```ts
 * const parameters: InspectDistributionParameters = { name: 'localhost:5000/app:v1' };
 * ```
 */
export type InspectDistributionParameters = EndpointParameters<typeof distributionInspectEndpoint>;

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
  return response.json();
}
