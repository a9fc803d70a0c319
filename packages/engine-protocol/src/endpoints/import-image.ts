import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { EndpointParameters, WithUploadBody } from './endpoint-types.js';
import { imageImportEndpoint } from './definitions.js';
import { toJsonMessageStream, type JsonMessageStream } from './replies.js';
import { requireParameters } from './require-parameters.js';
import { toUploadBody, type UploadBody } from './upload-body.js';

/**
 * Parameters of {@link importImage}: those of `imageImportEndpoint`, typed from the Engine API
 * spec (see `EndpointParameters`), with any {@link UploadBody} as the body.
 *
 * @example
 * ```ts
 * const parameters: ImportImageParameters = { fromSrc: '-', repo: 'rootfs', tag: 'v1', body: bytes };
 * ```
 */
export type ImportImageParameters = WithUploadBody<EndpointParameters<typeof imageImportEndpoint>>;

/**
 * `POST /images/create?fromSrc=…`: creates an image from a root filesystem tarball. The last
 * progress message's `status` holds the new image id. A `tag` is sent inside `repo`
 * (`repo=rootfs:v1`), as the docker CLI does, which every engine (Podman too) honours.
 *
 * @example
 * ```ts
 * const progress = await importImage(client, {
 *   fromSrc: '-', repo: 'rootfs', tag: 'v1', changes: ['CMD ["sh"]'], body: createReadStream('rootfs.tar'),
 * });
 * for await (const message of progress) console.log(message.status);
 * ```
 */
export async function importImage(
  client: EngineClient,
  parameters: ImportImageParameters,
  options?: CallOptions,
): Promise<JsonMessageStream> {
  const body = requireParameters(parameters, 'importImage').body === undefined ? undefined : toUploadBody(parameters.body as UploadBody);
  return toJsonMessageStream(await client.send(imageImportEndpoint, { ...withTagInRepository(parameters), body }, options));
}

/**
 * `repo` + `tag` as one `repo=name:tag`, the way the docker CLI sends them: Podman ignores a
 * separate `tag` key (the image became `name:latest`), every Docker engine accepts both forms.
 */
function withTagInRepository(parameters: ImportImageParameters): ImportImageParameters {
  const { repo, tag, ...rest } = parameters;
  if (repo === undefined || tag === undefined || tag === '') return parameters;
  return { ...rest, repo: `${repo}:${tag}` };
}
