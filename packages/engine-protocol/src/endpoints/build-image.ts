import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { EndpointParameters, WithUploadBody } from './endpoint-types.js';
import { imageBuildEndpoint } from './definitions.js';
import { toJsonMessageStream, type JsonMessageStream } from './replies.js';
import { requireParameters } from './require-parameters.js';
import { toUploadBody, type UploadBody } from './upload-body.js';

/**
 * Parameters of {@link buildImage}, names as on the wire: those of `imageBuildEndpoint`, typed
 * from the Engine API spec (see `EndpointParameters`), with any {@link UploadBody} as the body.
 *
 * @example
 * ```ts
 * const parameters: BuildImageParameters = { t: ['app:v1', 'app:latest'], buildargs: { VERSION: '1' }, networkmode: 'none' };
 * ```
 */
export type BuildImageParameters = WithUploadBody<EndpointParameters<typeof imageBuildEndpoint>>;

/**
 * `POST /build`: builds an image from a context tar. Resolves to the progress stream once the
 * engine accepted the request; a failing step is thrown from the iteration. The classic
 * builder reports the image id as `aux: {ID}`; BuildKit as `id: "moby.image.id"`.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 *
 * const progress = await buildImage(client, { body: createReadStream('context.tar'), t: ['app:v1'], networkmode: 'none' });
 * for await (const message of progress) if (message.stream) process.stdout.write(message.stream);
 * ```
 */
export async function buildImage(
  client: EngineClient,
  parameters: BuildImageParameters,
  options?: CallOptions,
): Promise<JsonMessageStream> {
  const body = requireParameters(parameters, 'buildImage').body === undefined ? undefined : toUploadBody(parameters.body as UploadBody);
  return toJsonMessageStream(await client.send(imageBuildEndpoint, { ...parameters, body }, options));
}
