import { randomUUID } from 'node:crypto';
import type { BuildkitController, BuildSession, SessionOutput } from '@berth/buildkit';
import {
  buildImage,
  cancelBuild,
  imageBuildEndpoint,
  InvalidArgumentError,
  NotFoundError,
  StreamMessageError,
  UnsupportedEndpointError,
  type BuildImageParameters,
  type CallOptions,
  type JsonMessage,
} from '@berth/engine-protocol';
import { buildRequest, definedEntries } from '@berth/engine-protocol/internal';
import type { BuildResult, ExportedBuildResult } from '../image-collection-options.js';
import { builtImageIdOf } from '../progress/built-image-id.js';
import { forwardMessages } from '../progress/forward-messages.js';
import type { ProgressEvent } from '../progress/progress-event.js';
import type { ProgressExecutorContext } from '../progress/progress-operation.js';
import { BuildError } from './build-error.js';
import type { BuildOptions, BuildOutput } from './build-options.js';
import { resolveBuildkitContext } from './buildkit-context-source.js';
import { controllerBuildMessages } from './controller-build-messages.js';
import { failedStepOf } from './failed-step.js';
import { frontendAttributesOf } from './frontend-attributes.js';
import { registryCredentialsLookup } from './registry-credentials-lookup.js';
import { buildkitOnlyOptionsOf } from './choose-builder.js';
import { ensureBuildkit } from './ensure-buildkit.js';
import { runUploadedBuild, type BuildEnvironment } from './run-build.js';

/** How long the best-effort `POST /build/cancel` after an abort may take. */
const cancelTimeout = 5_000;

/** Loaded on first use: classic builds never load HTTP/2 and the session services. */
async function loadBuildkit(): Promise<typeof import('@berth/buildkit')> {
  return import('@berth/buildkit');
}

/**
 * Refuses a BuildKit build on an engine without BuildKit (Podman names no builder in `/_ping`)
 * before anything is sent: `version: '2'` is refused as `ensureBuildkit` words it; BuildKit-only
 * options given without `version` are named instead.
 */
async function ensureBuildkitFor(options: BuildOptions, context: BuildEnvironment, callOptions: CallOptions): Promise<void> {
  try {
    await ensureBuildkit(context.client, callOptions);
  } catch (error) {
    if (!(error instanceof InvalidArgumentError) || options.version === '2') throw error;
    const needsBuildkit = buildkitOnlyOptionsOf(options);
    throw new InvalidArgumentError(`${needsBuildkit.join(', ')} need${needsBuildkit.length === 1 ? 's' : ''} BuildKit, which this engine does not have.`, {
      argument: needsBuildkit[0] ?? 'version',
      cause: error,
      details: 'Its /_ping names no builder (Podman builds with Buildah). Leave these options out on this engine.',
    });
  }
}

/** The options only a build session can serve. */
function sessionOnlyOptionsOf(options: BuildOptions): string[] {
  return [
    ...(options.secrets === undefined ? [] : ['secrets']),
    ...(options.ssh === undefined ? [] : ['ssh']),
    ...(options.outputs?.some((output) => output.type !== 'image') ? ['outputs'] : []),
    ...((options.platforms?.length ?? 0) > 1 ? ['platforms'] : []),
    ...(options.syncContext === true ? ['syncContext'] : []),
    ...(options.onFileSync === undefined ? [] : ['onFileSync']),
  ];
}

/**
 * Checks the BuildKit-only options' shapes. Throws `InvalidArgumentError`; sends nothing.
 *
 * @example
 * ```ts
 * checkBuildkitOptions({ outputs: [{ type: 'local', dest: 'a' }, { type: 'tar', dest: 'b' }] }); // throws: one output
 * ```
 * @internal
 */
export function checkBuildkitOptions(options: BuildOptions): void {
  const outputs = options.outputs;
  if (outputs !== undefined) {
    if (!Array.isArray(outputs)) throw new InvalidArgumentError('outputs must be an array of { type, dest }.', { argument: 'outputs' });
    if (outputs.length > 1) throw new InvalidArgumentError(`The engine takes one output, got ${outputs.length}.`, { argument: 'outputs' });
    for (const output of outputs as readonly BuildOutput[]) {
      const type = (output as { type?: unknown } | null)?.type;
      if (type === 'local' && typeof (output as { dest?: unknown }).dest === 'string' && (output as { dest: string }).dest !== '') continue;
      if (type === 'tar') {
        const dest = (output as { dest?: unknown }).dest;
        if ((typeof dest === 'string' && dest !== '') || (typeof dest === 'object' && dest !== null && typeof (dest as { write?: unknown }).write === 'function')) continue;
      }
      if (type === 'image') continue;
      throw new InvalidArgumentError(
        `Invalid output ${JSON.stringify(output)}: expected { type: 'local', dest: directory }, { type: 'tar', dest: file or stream } or { type: 'image' }.`,
        { argument: 'outputs' },
      );
    }
  }
  if (options.platforms !== undefined) {
    if (!Array.isArray(options.platforms) || options.platforms.length === 0) {
      throw new InvalidArgumentError('platforms must be a non-empty array of platforms.', { argument: 'platforms' });
    }
    if (options.platform !== undefined) throw new InvalidArgumentError('Give platform or platforms, not both.', { argument: 'platforms' });
  }
  for (const cache of options.cacheTo ?? []) {
    if ((cache as { type?: unknown } | null)?.type !== 'inline') {
      throw new InvalidArgumentError(`Unsupported cache export ${JSON.stringify(cache)}: the engine's build API exports the inline cache only.`, { argument: 'cacheTo' });
    }
  }
}

/**
 * Runs a BuildKit build with a build session: resolves the context (synced directories, or a
 * tar / remote URL), opens the session (credentials, secrets, SSH agents, output), sends
 * `POST /build?version=2&session=…`, forwards the trace, and always closes the session. An
 * abort or a dropped stream also asks the engine to cancel the build (`POST /build/cancel`).
 * Several platforms go to the engine's BuildKit controller instead (`POST /grpc`, Solve and
 * Status), since `POST /build` takes one platform; the trace looks the same.
 *
 * @example
 * ```ts
 * const options = { path: '.', secrets: { token: { env: 'TOKEN' } } };
 * const result = await runBuildkitBuild(environment, options, toBuildParameters(options, {}), emit, progress);
 * ```
 * @internal
 */
export async function runBuildkitBuild(
  context: BuildEnvironment,
  options: BuildOptions,
  parameters: Omit<BuildImageParameters, 'body' | 'registryConfig' | 'remote' | 'dockerfile'>,
  emit: (event: ProgressEvent) => void,
  progress: ProgressExecutorContext,
): Promise<BuildResult | ExportedBuildResult> {
  checkBuildkitOptions(options);
  const callOptions: CallOptions = definedEntries({ signal: options.signal, timeout: options.timeout });
  const output = options.outputs?.find((candidate): candidate is Extract<BuildOutput, { type: 'local' | 'tar' }> => candidate.type !== 'image');
  const platforms = options.platforms ?? [];
  // `POST /build` takes one platform; several go to the engine's BuildKit controller.
  const throughController = platforms.length > 1;
  if (throughController && (options.customContext === true || options.syncContext === false)) {
    throw new InvalidArgumentError('Several platforms need a synced context (a directory, or a Dockerfile given as file), not a context tar.', {
      argument: 'platforms',
    });
  }
  const buildParameters: Omit<BuildImageParameters, 'body' | 'remote' | 'dockerfile' | 'session'> = {
    ...parameters,
    version: '2',
    buildid: randomUUID(),
    ...(platforms.length === 1 ? { platform: platforms[0] } : {}),
    ...(output === undefined ? {} : { outputs: JSON.stringify([{ Type: output.type, Attrs: {} }]) }),
    ...(options.cacheTo?.some((cache) => cache.type === 'inline') ? { buildargs: { ...parameters.buildargs, BUILDKIT_INLINE_CACHE: '1' } } : {}),
  };
  // Refuse what the API version lacks (or BuildKit) before touching the context or the engine.
  await ensureBuildkitFor(options, context, callOptions);
  const apiVersion = await context.client.apiVersion(callOptions);
  if (throughController) frontendAttributesOf(buildParameters, undefined, platforms);
  else buildRequest(imageBuildEndpoint, { ...buildParameters, session: 'check', remote: 'client-session' }, { apiVersion });

  const buildkit = await loadBuildkit();
  const resolved = await resolveBuildkitContext(options, buildkit);
  let session: BuildSession;
  try {
    session = await buildkit.openBuildSession(context.client, {
      name: 'berth',
      ...(resolved.sharedKeyPath === undefined ? {} : { sharedKey: buildkit.sharedKeyFor(resolved.sharedKeyPath) }),
      ...(resolved.directories === undefined ? {} : { directories: resolved.directories }),
      credentials: registryCredentialsLookup(options.authConfigs, context.credentials),
      ...(options.secrets === undefined ? {} : { secrets: options.secrets }),
      ...(options.ssh === undefined ? {} : { ssh: options.ssh }),
      ...(output === undefined ? {} : { output: output as SessionOutput }),
      ...(options.onFileSync === undefined ? {} : { onFileSync: options.onFileSync }),
      environment: context.environment ?? process.env,
      ...callOptions,
    });
  } catch (error) {
    resolved.dispose();
    if ((error instanceof UnsupportedEndpointError || error instanceof NotFoundError) && error.path.endsWith('/session')) {
      // An engine without build sessions (Podman's Docker API): what needs one cannot be done;
      // anything else is built as before sessions, with the context uploaded.
      const needsSession = sessionOnlyOptionsOf(options);
      if (needsSession.length > 0) {
        throw new InvalidArgumentError(`${needsSession.join(', ')} need${needsSession.length === 1 ? 's' : ''} BuildKit build sessions, which this engine does not serve (POST /session: 404).`, {
          argument: needsSession[0] as string,
          cause: error,
          details: 'Docker Engine serves them; Docker-compatible engines such as Podman build without them.',
        });
      }
      return runUploadedBuild(context, options, { ...parameters, version: '2', ...(platforms.length === 1 ? { platform: platforms[0] } : {}) }, emit, progress);
    }
    throw error;
  }

  let started = false;
  let controller: BuildkitController | undefined;
  try {
    let stream: AsyncIterable<JsonMessage>;
    if (throughController) {
      controller = await buildkit.connectBuildkitController(context.client, callOptions);
      const remoteContext = resolved.remote !== undefined && resolved.remote !== 'client-session' ? resolved.remote : undefined;
      stream = controllerBuildMessages(
        controller,
        {
          session: session.id,
          frontend: 'dockerfile.v0',
          frontendAttributes: {
            ...frontendAttributesOf(buildParameters, resolved.dockerfile, platforms),
            ...(remoteContext === undefined ? {} : { context: remoteContext }),
          },
          exporter:
            output === undefined
              ? { type: 'moby', attributes: buildParameters.t === undefined ? {} : { name: [buildParameters.t].flat().join(',') } }
              : { type: output.type },
          ...(options.cacheTo === undefined ? {} : { cacheExports: options.cacheTo.map((cache) => ({ type: cache.type })) }),
          ...(options.networkMode === 'host' ? { entitlements: ['network.host'] } : {}),
        },
        callOptions,
      );
    } else {
      stream = await buildImage(
        context.client,
        {
          ...buildParameters,
          session: session.id,
          ...(resolved.body === undefined ? {} : { body: resolved.body }),
          ...(resolved.dockerfile === undefined ? {} : { dockerfile: resolved.dockerfile }),
          ...(resolved.remote === undefined ? {} : { remote: resolved.remote }),
        },
        callOptions,
      );
      started = true;
    }
    await forwardMessages(stream, emit);
  } catch (error) {
    resolved.dispose();
    if (error instanceof StreamMessageError) {
      const log = progress.log;
      const step = failedStepOf(log);
      const localFailure = session.failure;
      throw new BuildError(`The build failed${step === undefined ? '' : ` at ${step.name}`}: ${error.engineMessage}`, {
        log,
        engineMessage: error.engineMessage,
        engineCode: error.engineCode,
        step,
        cause: localFailure ?? error,
        metaMessages: [
          ...(step === undefined || step.lastLines.length === 0 ? [] : ['Last output of the step:', ...step.lastLines.map((line) => `  ${line}`)]),
          ...(localFailure === undefined ? [] : [`On the client: ${localFailure.message}`]),
          ...(throughController && /multiple references|multi-?platform/i.test(error.engineMessage)
            ? ['Several platforms make one image index, which needs the containerd image store (Engine 28: "features": {"containerd-snapshotter": true}).']
            : []),
        ],
      });
    }
    // An abort, a timeout or a dropped connection: the engine stops a build whose request went
    // away, and is told so explicitly as well.
    if (!throughController && (started || options.signal?.aborted)) {
      await cancelBuild(context.client, { id: buildParameters.buildid as string }, { timeout: cancelTimeout }).catch(() => undefined);
    }
    throw error;
  } finally {
    controller?.close();
    await session.close();
  }

  const log = progress.log;
  if (output !== undefined) {
    if (session.failure !== undefined) throw session.failure;
    const received = session.statistics.output;
    if (received === undefined || !received.complete) {
      throw new BuildError('The build ended without sending its output to the client.', { log });
    }
    return { image: undefined, output: received, log, session: session.statistics };
  }
  const imageId = builtImageIdOf(log);
  if (imageId === undefined) {
    const last = log.at(-1);
    throw new BuildError('The build ended without reporting an image id.', {
      log,
      ...(last === undefined ? {} : { metaMessages: [`Last event: ${JSON.stringify(last.raw)}`] }),
    });
  }
  return { image: await context.getImage(imageId, callOptions), log, session: session.statistics };
}
