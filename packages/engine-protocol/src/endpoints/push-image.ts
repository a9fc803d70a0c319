import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { EndpointParameters } from './endpoint-types.js';
import { imagePushEndpoint } from './definitions.js';
import { toJsonMessageStream, type JsonMessageStream } from './replies.js';

/**
 * Parameters of {@link pushImage}: those of `imagePushEndpoint`, typed from the Engine API spec
 * (see `EndpointParameters`), without the body (always the `{}` the daemon wants).
 *
 * @example
 * ```ts
 * const parameters: PushImageParameters = { name: 'localhost:5000/app', tag: 'v1' };
 * ```
 */
export type PushImageParameters = Omit<EndpointParameters<typeof imagePushEndpoint>, 'body'>;

/**
 * `POST /images/{name}/push`: pushes an image. The digest arrives in the stream, either as
 * `aux: {Tag, Digest, Size}` or as a status line `"<tag>: digest: <digest> size: <n>"`.
 *
 * @example
 * ```ts
 * const progress = await pushImage(client, { name: 'localhost:5000/app', tag: 'v1' });
 * for await (const message of progress) if (message.aux) console.log(message.aux);
 * ```
 */
export async function pushImage(
  client: EngineClient,
  parameters: PushImageParameters,
  options?: CallOptions,
): Promise<JsonMessageStream> {
  return toJsonMessageStream(await client.send(imagePushEndpoint, parameters, options));
}
