import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { EndpointParameters } from './endpoint-types.js';
import { imagePullEndpoint } from './definitions.js';
import { toJsonMessageStream, type JsonMessageStream } from './replies.js';

/**
 * Parameters of {@link pullImage}: those of `imagePullEndpoint`, typed from the Engine API spec (see
 * `EndpointParameters`).
 *
 * @example
 * ```ts
 * const parameters: PullImageParameters = { fromImage: 'localhost:5000/app', tag: 'latest' };
 * ```
 */
export type PullImageParameters = EndpointParameters<typeof imagePullEndpoint>;

/**
 * `POST /images/create?fromImage=…`: pulls an image. Resolves once the engine accepted the
 * request, to the progress stream; a failure later in the pull is thrown from the iteration.
 *
 * @example
 * ```ts
 * const progress = await pullImage(client, { fromImage: 'localhost:5000/app', tag: 'latest' });
 * for await (const message of progress) console.log(message.id ?? '', message.status);
 * ```
 */
export async function pullImage(
  client: EngineClient,
  parameters: PullImageParameters,
  options?: CallOptions,
): Promise<JsonMessageStream> {
  return toJsonMessageStream(await client.send(imagePullEndpoint, parameters, options));
}
