import {
  buildImage,
  imageBuildEndpoint,
  StreamMessageError,
  type BuildImageParameters,
  type CallOptions,
  type EngineClient,
  type RegistryAuthConfig,
} from '@berth/engine-protocol';
import { buildRequest, definedEntries } from '@berth/engine-protocol/internal';
import type { RegistryCredentialProvider } from '../credentials/registry-credential-provider.js';
import type { Image } from '../image.js';
import type { BuildResult, ExportedBuildResult } from '../image-collection-options.js';
import { builtImageIdOf } from '../progress/built-image-id.js';
import { forwardMessages } from '../progress/forward-messages.js';
import type { ProgressEvent } from '../progress/progress-event.js';
import type { ProgressExecutorContext } from '../progress/progress-operation.js';
import { BuildError } from './build-error.js';
import { checkBuildSource, resolveBuildContext } from './build-context-source.js';
import { chooseBuilder } from './choose-builder.js';
import type { BuildOptions } from './build-options.js';
import { toBuildParameters } from './build-parameters.js';
import { ensureBuildkit } from './ensure-buildkit.js';
import { readProxyBuildArguments } from './proxy-build-arguments.js';
import { runBuildkitBuild } from './run-buildkit-build.js';

/**
 * What a build needs from its collection.
 * @internal
 */
export interface BuildEnvironment {
  /** The engine. */
  readonly client: EngineClient;
  /** Every credential of the collection's provider (`X-Registry-Config`), if it has one. */
  readonly registryConfig: () => Promise<Record<string, RegistryAuthConfig> | undefined>;
  /** Where `DOCKER_CONFIG` / `HOME` are read for `useConfigProxy` (and `SSH_AUTH_SOCK`, `{ env }` secrets). */
  readonly environment: Readonly<Record<string, string | undefined>> | undefined;
  /** Fetches the built image. */
  readonly getImage: (id: string, options: CallOptions) => Promise<Image>;
  /** The collection's credential provider, which a BuildKit build session asks per registry. */
  readonly credentials?: RegistryCredentialProvider | undefined;
  /** The engine's default builder (`Builder-Version` of `/_ping`), asked when `version` is not given. */
  readonly defaultBuilder?: (options: CallOptions) => Promise<string | undefined>;
}

/**
 * Runs one build to its end (the work behind `ImageCollection.build`): checks the options,
 * chooses the builder (a BuildKit build goes to `runBuildkitBuild`, with a build session),
 * refuses what the API version lacks before packing or sending anything, packs the context,
 * streams the engine's messages to `emit`, and resolves to the image and the log. The log is
 * the operation's own (bounded by its `logLimit`), read through `progress`: a build keeps no
 * second copy. A failure the engine reports becomes a {@link BuildError} carrying the log; a
 * connection, timeout or abort error is rethrown as it is (the log stays on the operation), so
 * that `instanceof AbortedError` keeps working as for every other operation.
 * @internal
 */
export async function runBuild(
  context: BuildEnvironment,
  options: BuildOptions,
  emit: (event: ProgressEvent) => void,
  progress: ProgressExecutorContext,
): Promise<BuildResult | ExportedBuildResult> {
  checkBuildSource(options);
  const callOptions: CallOptions = definedEntries({ signal: options.signal, timeout: options.timeout });
  const builder = await chooseBuilder(options, async () => context.defaultBuilder?.(callOptions));
  const useConfigProxy = options.useConfigProxy ?? true;
  const proxyArguments = useConfigProxy ? await readProxyBuildArguments({ environment: context.environment }) : {};
  const parameters = toBuildParameters(options, { ...proxyArguments, ...options.buildArgs });
  if (builder === 'buildkit') return runBuildkitBuild(context, options, parameters, emit, progress);
  return runUploadedBuild(context, options, parameters, emit, progress);
}

/**
 * A build whose context is uploaded (a tar, or a remote URL) without a build session: every
 * classic build, and a BuildKit build on an engine that serves no sessions (Podman). Sends
 * every known credential (`X-Registry-Config`).
 *
 * @example
 * ```ts
 * await runUploadedBuild(environment, { path: '.' }, toBuildParameters({ path: '.' }, {}), emit, progress);
 * ```
 * @internal
 */
export async function runUploadedBuild(
  context: BuildEnvironment,
  options: BuildOptions,
  parameters: Omit<BuildImageParameters, 'body' | 'registryConfig' | 'remote' | 'dockerfile'>,
  emit: (event: ProgressEvent) => void,
  progress: ProgressExecutorContext,
): Promise<BuildResult> {
  const callOptions: CallOptions = definedEntries({ signal: options.signal, timeout: options.timeout });
  const registryConfig = options.authConfigs ?? (await context.registryConfig());
  // Refuse what the API version lacks before packing the context or sending anything.
  const apiVersion = await context.client.apiVersion(callOptions);
  buildRequest(
    imageBuildEndpoint,
    {
      ...parameters,
      ...(options.dockerfile === undefined ? {} : { dockerfile: options.dockerfile }),
      ...(options.remote === undefined ? {} : { remote: options.remote }),
      ...(registryConfig === undefined ? {} : { registryConfig }),
    },
    { apiVersion },
  );

  if (options.version === '2') await ensureBuildkit(context.client, callOptions);

  const resolved = await resolveBuildContext(options);
  let stream: Awaited<ReturnType<typeof buildImage>>;
  try {
    stream = await buildImage(
      context.client,
      {
        ...parameters,
        ...(resolved.body === undefined ? {} : { body: resolved.body }),
        ...(resolved.dockerfile === undefined ? {} : { dockerfile: resolved.dockerfile }),
        ...(resolved.remote === undefined ? {} : { remote: resolved.remote }),
        ...(registryConfig === undefined ? {} : { registryConfig }),
      },
      callOptions,
    );
  } catch (error) {
    resolved.dispose();
    throw error;
  }

  try {
    await forwardMessages(stream, emit);
  } catch (error) {
    if (error instanceof StreamMessageError) {
      throw new BuildError(`The build failed: ${error.engineMessage}`, {
        log: progress.log,
        engineMessage: error.engineMessage,
        engineCode: error.engineCode,
        cause: error,
      });
    }
    // Deliberately not wrapped (see BuildError): the caller's log is ProgressOperation.log.
    throw error;
  }
  const log = progress.log;
  const imageId = builtImageIdOf(log);
  if (imageId === undefined) {
    const last = log.at(-1);
    throw new BuildError('The build ended without reporting an image id.', {
      log,
      ...(last === undefined ? {} : { metaMessages: [`Last event: ${JSON.stringify(last.raw)}`] }),
    });
  }
  return { image: await context.getImage(imageId, callOptions), log };
}
