import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { PlatformInput } from '../request/platform.js';
import type { RegistryAuthConfig } from '../request/registry-auth.js';
import { imagePullEndpoint } from './definitions.js';
import { toJsonMessageStream, type JsonMessageStream } from './replies.js';

/** Parameters of {@link pullImage}. */
export interface PullImageParameters {
  /** Repository (may include a tag or digest), e.g. `localhost:5000/app`. */
  readonly fromImage: string;
  /**
   * Tag or digest. WARNING, a wire rule: without a tag and without a tag/digest in
   * `fromImage`, the engine pulls EVERY tag of the repository. Pass `latest` for the usual.
   */
  readonly tag?: string;
  /** `os[/arch[/variant]]` to pull. */
  readonly platform?: PlatformInput;
  /** Credentials for the image's registry. */
  readonly authConfig?: RegistryAuthConfig;
}

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
