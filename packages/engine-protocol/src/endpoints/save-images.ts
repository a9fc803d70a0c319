import type { Readable } from 'node:stream';
import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { EndpointParameters } from './endpoint-types.js';
import { InvalidArgumentError } from '../errors/index.js';
import type { PlatformInput } from '../request/platform.js';
import { requireParameters } from './require-parameters.js';
import { imageGetAllEndpoint, imageGetEndpoint } from './definitions.js';
import { toByteStream } from './replies.js';

/**
 * Parameters of {@link saveImages}: those of `imageGetAllEndpoint`, typed from the Engine API spec
 * (see `EndpointParameters`); one name goes to `imageGetEndpoint` instead.
 *
 * @example
 * ```ts
 * const parameters: SaveImagesParameters = { names: ['app:v1', 'app:v2'], platform: 'linux/amd64' };
 * ```
 */
export type SaveImagesParameters = EndpointParameters<typeof imageGetAllEndpoint>;

/**
 * `GET /images/{name}/get` or `GET /images/get?names=…`: exports images as a tar stream.
 * Resolves when the engine starts answering (on the graphdriver store that can take a while:
 * no idle timeout applies); the bytes then flow with backpressure. A failure the engine
 * reports after the first bytes errors the stream.
 *
 * @example
 * ```ts
 * const tar = await saveImages(client, { names: ['app:v1', 'app:v2'] });
 * await pipeline(tar, createWriteStream('app.tar'));
 * ```
 */
export async function saveImages(
  client: EngineClient,
  parameters: SaveImagesParameters,
  options?: CallOptions,
): Promise<Readable> {
  const given: unknown = requireParameters(parameters, 'saveImages').names;
  if (typeof given !== 'string' && !Array.isArray(given)) {
    throw new InvalidArgumentError('saveImages needs names: one image name or a list of them.', { argument: 'names' });
  }
  // Each name's type is checked by the request pipeline, before anything is sent.
  const names = typeof given === 'string' ? [given] : [...(given as readonly string[])];
  if (names.length === 0) throw new InvalidArgumentError('saveImages needs at least one image name.', { argument: 'names' });
  const platform = parameters.platform === undefined ? undefined : ([] as PlatformInput[]).concat(parameters.platform as PlatformInput);
  const response =
    names.length === 1
      ? await client.send(imageGetEndpoint, { name: names[0] as string, platform }, options)
      : await client.send(imageGetAllEndpoint, { names, platform }, options);
  return toByteStream(response);
}
