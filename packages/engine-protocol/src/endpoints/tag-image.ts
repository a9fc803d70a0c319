import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { EndpointParameters } from './endpoint-types.js';
import { imageTagEndpoint } from './definitions.js';

/**
 * Parameters of {@link tagImage}: those of `imageTagEndpoint`, typed from the Engine API spec (see
 * `EndpointParameters`).
 *
 * @example
 * ```ts
 * const parameters: TagImageParameters = { name: 'app:v1', repo: 'localhost:5000/app', tag: 'v1' };
 * ```
 */
export type TagImageParameters = EndpointParameters<typeof imageTagEndpoint>;

/**
 * `POST /images/{name}/tag`: gives an image another name.
 *
 * @example
 * ```ts
 * await tagImage(client, { name: 'busybox:latest', repo: 'localhost:5000/busybox', tag: 'v1' });
 * ```
 */
export async function tagImage(client: EngineClient, parameters: TagImageParameters, options?: CallOptions): Promise<void> {
  const response = await client.send(imageTagEndpoint, parameters, options);
  await response.dispose();
}
