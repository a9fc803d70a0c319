import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { PlatformInput } from '../request/platform.js';
import type { RegistryAuthConfig } from '../request/registry-auth.js';
import { imagePushEndpoint } from './definitions.js';
import { toJsonMessageStream, type JsonMessageStream } from './replies.js';

/** Parameters of {@link pushImage}. */
export interface PushImageParameters {
  /** Repository to push, e.g. `localhost:5000/app`. */
  readonly name: string;
  /** Tag to push; all tags of the repository when omitted. */
  readonly tag?: string;
  /** Push only this platform's manifest (v1.46). */
  readonly platform?: PlatformInput;
  /** Credentials for the registry; anonymous when omitted. */
  readonly authConfig?: RegistryAuthConfig;
}

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
