import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import { imageTagEndpoint } from './definitions.js';

/** Parameters of {@link tagImage}. */
export interface TagImageParameters {
  /** Image name or id to tag. */
  readonly name: string;
  /** Repository of the new tag, e.g. `localhost:5000/app`. */
  readonly repo: string;
  /** The tag; the engine uses `latest` when omitted. */
  readonly tag?: string;
}

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
