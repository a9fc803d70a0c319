import type { Readable } from 'node:stream';
import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import { InvalidArgumentError } from '../errors/index.js';
import type { PlatformInput } from '../request/platform.js';
import { requireParameters } from './require-parameters.js';
import { imageGetAllEndpoint, imageGetEndpoint } from './definitions.js';
import { toByteStream } from './replies.js';

/** Parameters of {@link saveImages}. */
export interface SaveImagesParameters {
  /** One name (`GET /images/{name}/get`) or several (`GET /images/get?names=…`). */
  readonly names: string | readonly string[];
  /** Save only these platforms (v1.48; more than one from v1.52). */
  readonly platform?: PlatformInput | readonly PlatformInput[];
}

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
  const names = typeof given === 'string' ? [given] : [...(given as readonly unknown[])];
  if (names.length === 0) throw new InvalidArgumentError('saveImages needs at least one image name.', { argument: 'names' });
  const platform = parameters.platform === undefined ? undefined : ([] as PlatformInput[]).concat(parameters.platform as PlatformInput);
  const response =
    names.length === 1
      ? await client.send(imageGetEndpoint, { name: names[0], platform }, options)
      : await client.send(imageGetAllEndpoint, { names, platform }, options);
  return toByteStream(response);
}
