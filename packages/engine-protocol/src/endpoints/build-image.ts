import type { CallOptions } from '../client/call-signal.js';
import type { EngineClient } from '../client/create-client.js';
import type { PlatformInput } from '../request/platform.js';
import type { RegistryAuthConfig } from '../request/registry-auth.js';
import { imageBuildEndpoint } from './definitions.js';
import { toJsonMessageStream, type JsonMessageStream } from './replies.js';
import { requireParameters } from './require-parameters.js';
import { toUploadBody, type UploadBody } from './upload-body.js';

/** Parameters of {@link buildImage}; names as on the wire. */
export interface BuildImageParameters {
  /** The build context as a tar (optionally gzip), streamed. Omit with `remote`. */
  readonly body?: UploadBody;
  /** Path of the Dockerfile inside the context. */
  readonly dockerfile?: string;
  /** Names (`repo:tag`) for the image; several allowed. */
  readonly t?: string | readonly string[];
  /** Extra `/etc/hosts` entries, `host:ip`. */
  readonly extrahosts?: string | readonly string[];
  /**
   * A Git URL or a URL of a tarball/Dockerfile the engine fetches as the context; BuildKit:
   * `client-session` to take the context from the build session (no body).
   */
  readonly remote?: string;
  /** Suppress verbose output. */
  readonly q?: boolean;
  /** Do not use the cache. */
  readonly nocache?: boolean;
  /** Images used as cache sources. */
  readonly cachefrom?: readonly string[];
  /** Pull newer base images (`"1"`, or a platform-specific value). */
  readonly pull?: string;
  /** Remove intermediate containers after a successful build (engine default: true). */
  readonly rm?: boolean;
  /** Always remove intermediate containers. */
  readonly forcerm?: boolean;
  /** Memory limit in bytes for RUN steps. */
  readonly memory?: number;
  /** Memory plus swap in bytes; -1 for unlimited swap. */
  readonly memswap?: number;
  /** Relative CPU weight. */
  readonly cpushares?: number;
  /** CPUs to use, e.g. `0-3`. */
  readonly cpusetcpus?: string;
  /** CPU CFS period in microseconds. */
  readonly cpuperiod?: number;
  /** CPU CFS quota in microseconds. */
  readonly cpuquota?: number;
  /** Build-time variables. */
  readonly buildargs?: Readonly<Record<string, string>>;
  /** `/dev/shm` size in bytes. */
  readonly shmsize?: number;
  /** Squash the new layers into one (experimental engines). */
  readonly squash?: boolean;
  /** Labels for the image. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Network mode of RUN steps (`none`, `host`, `bridge`, a network name). */
  readonly networkmode?: string;
  /** `os[/arch[/variant]]` to build for. */
  readonly platform?: PlatformInput;
  /** Build stage to stop at. */
  readonly target?: string;
  /** BuildKit output configuration. */
  readonly outputs?: string;
  /** Builder: `1` classic, `2` BuildKit. */
  readonly version?: '1' | '2';
  /** Windows isolation technology. */
  readonly isolation?: string;
  /** Ulimits for RUN steps. */
  readonly ulimits?: readonly { Name: string; Soft: number; Hard: number }[];
  /** An id of your choice, so that `cancelBuild` can stop the build. */
  readonly buildid?: string;
  /**
   * BuildKit: the id of a build session (`POST /session`, see `@berth/buildkit`) that serves
   * credentials, secrets, SSH agents, outputs and, with `remote: 'client-session'`, the context.
   */
  readonly session?: string;
  /** Credentials for every registry the build may pull from (`X-Registry-Config`). */
  readonly registryConfig?: Readonly<Record<string, RegistryAuthConfig>>;
}

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
