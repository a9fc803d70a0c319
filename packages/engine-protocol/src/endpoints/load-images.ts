import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { EndpointParameters, WithUploadBody } from './endpoint-types.js';
import { requireParameters } from './require-parameters.js';
import type { PlatformInput } from '../request/platform.js';
import { imageLoadEndpoint } from './definitions.js';
import { toJsonMessageStream, type JsonMessageStream } from './replies.js';
import { toUploadBody, type UploadBody } from './upload-body.js';

/**
 * Parameters of {@link loadImages}: those of `imageLoadEndpoint`, typed from the Engine API spec
 * (see `EndpointParameters`), with any {@link UploadBody} as the body.
 *
 * @example
 * ```ts
 * const parameters: LoadImagesParameters = { body: bytes, platform: 'linux/amd64' };
 * ```
 */
export type LoadImagesParameters = WithUploadBody<EndpointParameters<typeof imageLoadEndpoint>>;

/**
 * `POST /images/load`: imports images from a save archive. The stream reports
 * `Loaded image: repo:tag` or `Loaded image ID: sha256:…` per image.
 *
 * @example
 * ```ts
 * const progress = await loadImages(client, { body: createReadStream('app.tar') });
 * for await (const message of progress) console.log(message.stream);
 * ```
 */
export async function loadImages(
  client: EngineClient,
  parameters: LoadImagesParameters,
  options?: CallOptions,
): Promise<JsonMessageStream> {
  requireParameters(parameters, 'loadImages');
  const platform = parameters.platform === undefined ? undefined : ([] as PlatformInput[]).concat(parameters.platform as PlatformInput);
  const response = await client.send(
    imageLoadEndpoint,
    { body: toUploadBody(parameters.body), quiet: parameters.quiet, platform },
    options,
  );
  return toJsonMessageStream(response);
}
