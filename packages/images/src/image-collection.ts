import {
  buildImage,
  buildRequest,
  deleteImage,
  getVersion,
  imageBuildEndpoint,
  inspectDistribution,
  inspectImage,
  listImages,
  loadImages,
  NotFoundError,
  pruneBuildCache,
  pruneImages,
  pullImage,
  pushImage,
  searchImages,
  StreamError,
  StreamMessageError,
  type BuildPruneResponse,
  type CallOptions,
  type EngineClient,
  type FiltersInput,
  type ImageDeleteResponseItem,
  type ImageInspect,
  type ImagePruneResponse,
  type ImageSearchResponse,
  type PlatformInput,
  type RegistryAuthConfig,
} from '@berth/engine-protocol';
import { BuildError } from './build/build-error.js';
import { checkBuildSource, resolveBuildContext } from './build/build-context-source.js';
import type { BuildOptions } from './build/build-options.js';
import { toBuildParameters } from './build/build-parameters.js';
import { readProxyBuildArguments } from './build/proxy-build-arguments.js';
import type { RegistryCredentialProvider } from './credentials/registry-credential-provider.js';
import { Image } from './image.js';
import { openLoadSource, type LoadSource } from './load/load-source.js';
import { Collection } from './model/collection.js';
import type { EnginePlatformDefaults } from './platform/index.js';
import { builtImageIdOf } from './progress/built-image-id.js';
import { isByteCountUpdate } from './progress/byte-count-update.js';
import { forwardMessages } from './progress/forward-messages.js';
import { loadedImagesOf } from './progress/loaded-image.js';
import type { ProgressEvent } from './progress/progress-event.js';
import { ProgressOperation, type ProgressOperationOptions } from './progress/progress-operation.js';
import type { PushedDigest } from './progress/push-digest.js';
import { parseReference, parseRepositoryTag } from './reference/index.js';
import { RegistryData } from './registry-data.js';

/**
 * Options of the {@link ImageCollection} constructor.
 *
 * @example
 * ```ts
 * const images = new ImageCollection({ client, credentials: provider, environment: { DOCKER_CONFIG: '/etc/ci/docker' } });
 * ```
 */
export interface ImageCollectionOptions {
  /** The engine to work on. */
  readonly client: EngineClient;
  /**
   * Where registry credentials come from when a call gives none: pull, push, `getRegistryData`
   * and search send `X-Registry-Auth` for the reference's registry; build sends
   * `X-Registry-Config` with all of them.
   */
  readonly credentials?: RegistryCredentialProvider;
  /**
   * Environment read for `DOCKER_CONFIG` and `HOME` (the proxy settings of `useConfigProxy`).
   * Default: `process.env`.
   */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

/**
 * Options of {@link ImageCollection.list}.
 *
 * @example
 * ```ts
 * await images.list({ name: 'localhost:5000/app', all: false, filters: { label: ['team=core'], dangling: false } });
 * ```
 */
export interface ListImagesOptions extends CallOptions {
  /** Only images of this repository (or `repository:tag`, wildcards allowed: the `reference` filter). */
  readonly name?: string;
  /** Include intermediate images. */
  readonly all?: boolean;
  /** Filters: `dangling`, `label` (`key` or `key=value`, one or several), `before`, `since`, `reference`, `until`. */
  readonly filters?: FiltersInput;
}

/**
 * Options of {@link ImageCollection.pull}.
 *
 * @example
 * ```ts
 * await images.pull('localhost:5000/app', { tag: 'v1', platform: 'linux/arm64', signal: AbortSignal.timeout(300_000) });
 * ```
 */
export interface PullOptions extends CallOptions, ProgressOperationOptions {
  /** Tag or digest to pull; wins over a tag in the name. Default: the name's tag, else `latest`. */
  readonly tag?: string;
  /** Pull every tag of the repository (`tag` and a tag in the name are then ignored). */
  readonly allTags?: boolean;
  /** Platform to pull, `os[/arch[/variant]]` or an object. */
  readonly platform?: PlatformInput;
  /** Credentials for the registry; wins over the collection's credential provider. */
  readonly authConfig?: RegistryAuthConfig;
}

/**
 * Options of {@link ImageCollection.push}.
 *
 * @example
 * ```ts
 * await images.push('registry.example.com/app', { tag: 'v1', authConfig: { username: 'ci', password: token } });
 * ```
 */
export interface PushOptions extends CallOptions, ProgressOperationOptions {
  /** Tag to push; wins over a tag in the name. Without either, every tag of the repository. */
  readonly tag?: string;
  /** Push only this platform's manifest (API 1.46). */
  readonly platform?: PlatformInput;
  /** Credentials for the registry; wins over the collection's credential provider. */
  readonly authConfig?: RegistryAuthConfig;
}

/**
 * What a push resolves to.
 *
 * @example
 * ```ts
 * const { digest, pushed } = await images.push('localhost:5000/app'); // every tag: pushed[i].tag, pushed[i].digest
 * ```
 */
export interface PushResult {
  /** Digest of the (last) pushed manifest, as the registry will serve it. */
  readonly digest: string;
  /** Its tag, when the engine named it. */
  readonly tag: string | undefined;
  /** Its manifest size in bytes, when sent. */
  readonly size: number | undefined;
  /** Every tag pushed with its digest, in order (several when no tag was given). */
  readonly pushed: readonly PushedDigest[];
}

/**
 * What a build resolves to.
 *
 * @example
 * ```ts
 * const { image, log } = await images.build({ path: '.', tag: 'app:dev' });
 * ```
 */
export interface BuildResult {
  /** The built image. */
  readonly image: Image;
  /** The build's events except byte-count updates: output text, warnings, image id, … */
  readonly log: readonly ProgressEvent[];
}

/**
 * Options of {@link ImageCollection.load}.
 *
 * @example
 * ```ts
 * await images.load('./app.tar', { quiet: true, timeout: 600_000 });
 * ```
 */
export interface LoadOptions extends CallOptions, ProgressOperationOptions {
  /** Ask the engine not to report layer progress. Default: `false`. */
  readonly quiet?: boolean;
  /** Load only these platforms (API 1.48; several from 1.52). */
  readonly platform?: PlatformInput | readonly PlatformInput[];
}

/**
 * Options of {@link ImageCollection.remove} and {@link Image.remove}.
 *
 * @example
 * ```ts
 * await images.remove('app:old', { force: true, noPrune: false });
 * ```
 */
export interface RemoveImageOptions extends CallOptions {
  /** Remove even when containers use it or when the name is one of several tags. */
  readonly force?: boolean;
  /** Keep untagged parent images. */
  readonly noPrune?: boolean;
}

/**
 * Options of {@link ImageCollection.getRegistryData}.
 *
 * @example
 * ```ts
 * await images.getRegistryData('registry.example.com/app:v1', { authConfig: { username: 'ci', password: token } });
 * ```
 */
export interface RegistryDataOptions extends CallOptions {
  /** Credentials for the registry; wins over the collection's credential provider. */
  readonly authConfig?: RegistryAuthConfig;
}

/**
 * Options of {@link ImageCollection.search}.
 *
 * @example
 * ```ts
 * await images.search('registry.example.com/app', { limit: 10, filters: { 'is-official': true } });
 * ```
 */
export interface SearchOptions extends CallOptions {
  /** Maximum number of results. */
  readonly limit?: number;
  /** Filters: `is-official`, `stars`. */
  readonly filters?: FiltersInput;
  /** Credentials for the searched registry; wins over the collection's credential provider. */
  readonly authConfig?: RegistryAuthConfig;
}

/**
 * Options of {@link ImageCollection.prune}.
 *
 * @example
 * ```ts
 * await images.prune({ filters: { dangling: false, until: '24h' } });
 * ```
 */
export interface PruneImagesOptions extends CallOptions {
  /** Filters: `dangling` (`false` prunes every unused image), `until`, `label`, `label!`. */
  readonly filters?: FiltersInput;
}

/**
 * Options of {@link ImageCollection.pruneBuilds}.
 *
 * @example
 * ```ts
 * await images.pruneBuilds({ all: true, keepStorage: 1024 * 1024 * 1024 });
 * ```
 */
export interface PruneBuildsOptions extends CallOptions {
  /** Filters: `until`, `id`, `parent`, `type`, `description`, `inuse`, `shared`, `private`. */
  readonly filters?: FiltersInput;
  /** Bytes of cache to keep (`keep-storage`; every engine). */
  readonly keepStorage?: number;
  /** Bytes of cache to keep (`reserved-space`, API 1.48). */
  readonly reservedSpace?: number;
  /** Maximum bytes of cache to keep (API 1.48). */
  readonly maxUsedSpace?: number;
  /** Target free disk space in bytes (API 1.48). */
  readonly minFreeSpace?: number;
  /** Remove all cache, not only dangling cache. */
  readonly all?: boolean;
}

const inspectConcurrency = 8;

/**
 * The images of one engine: get, list, pull, push, build, load, search, remove, prune.
 * Pull, push, build and load return a {@link ProgressOperation}: `await` it for the result, or
 * iterate it for typed progress events (or both).
 *
 * @example
 * ```ts
 * import { createEngineClient } from '@berth/engine-protocol';
 * import { unixTransport } from '@berth/transport-unix';
 * import { ImageCollection } from '@berth/images';
 *
 * const images = new ImageCollection({ client: createEngineClient({ transport: unixTransport() }) });
 * const image = await images.pull('localhost:5000/app', { tag: 'v1' });
 * const { image: built } = await images.build({ path: './app', tag: 'app:dev' });
 * console.log(image.tags, built.id);
 * ```
 */
export class ImageCollection extends Collection<Image, ImageInspect> {
  readonly #credentials: RegistryCredentialProvider | undefined;
  readonly #environment: Readonly<Record<string, string | undefined>> | undefined;
  #enginePlatform: Promise<EnginePlatformDefaults> | undefined;

  /**
   * Creates the collection.
   *
   * @example
   * ```ts
   * const images = new ImageCollection({ client, credentials: myCredentialProvider });
   * ```
   */
  constructor(options: ImageCollectionOptions) {
    super(options.client);
    this.#credentials = options.credentials;
    this.#environment = options.environment;
  }

  /**
   * Gets an image by name or id. Rejects with `NotFoundError` when there is none.
   *
   * @example
   * ```ts
   * const image = await images.get('busybox:latest');
   * ```
   */
  async get(name: string, options?: CallOptions): Promise<Image> {
    return this.prepareModel(await inspectImage(this.client, { name }, options));
  }

  /**
   * Lists images (`docker images`), each fully inspected. An image removed while the list is
   * being read is left out.
   *
   * @example
   * ```ts
   * const mine = await images.list({ name: 'localhost:5000/app', filters: { label: 'team=core' } });
   * ```
   */
  async list(options: ListImagesOptions = {}): Promise<Image[]> {
    const { name, all, filters, ...callOptions } = options;
    const merged = name === undefined ? filters : mergeReferenceFilter(filters, name);
    const summaries = await listImages(
      this.client,
      { ...(all === undefined ? {} : { all }), ...(merged === undefined ? {} : { filters: merged }) },
      callOptions,
    );
    const ids = [...new Set(summaries.map((summary) => summary.Id))];
    const images: (Image | undefined)[] = new Array(ids.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length) {
        const index = next++;
        images[index] = await this.get(ids[index] as string, callOptions).catch((error: unknown) => {
          if (error instanceof NotFoundError) return undefined;
          throw error;
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(inspectConcurrency, ids.length) }, worker));
    return images.filter((image): image is Image => image !== undefined);
  }

  /**
   * Asks the registry (through the engine) about an image without pulling it: its manifest
   * digest and platforms.
   *
   * @example
   * ```ts
   * const data = await images.getRegistryData('localhost:5000/app:v1');
   * console.log(data.id, data.platforms);
   * ```
   */
  async getRegistryData(name: string, options: RegistryDataOptions = {}): Promise<RegistryData> {
    const { authConfig: explicit, ...callOptions } = options;
    const authConfig = explicit ?? (await this.credentialsFor(name));
    const attrs = await inspectDistribution(this.client, { name, ...(authConfig === undefined ? {} : { authConfig }) }, callOptions);
    return new RegistryData(name, attrs, this, explicit);
  }

  /**
   * Pulls an image (`docker pull`) and resolves to it; with `allTags`, pulls every tag and
   * resolves to all images of the repository. A tag in the name is used unless `tag` is given;
   * neither means `latest`. A digest (`repository@sha256:…` or `tag: 'sha256:…'`) pulls that
   * exact manifest.
   *
   * @example
   * ```ts
   * const image = await images.pull('localhost:5000/app', { tag: 'v1', platform: 'linux/amd64' });
   * const every = await images.pull('localhost:5000/app', { allTags: true });
   * for await (const event of images.pull('localhost:5000/app:v2')) console.log(event.type);
   * ```
   */
  pull(repository: string, options: PullOptions & { readonly allTags: true }): ProgressOperation<Image[]>;
  pull(repository: string, options?: PullOptions & { readonly allTags?: false | undefined }): ProgressOperation<Image>;
  pull(repository: string, options?: PullOptions): ProgressOperation<Image | Image[]>;
  pull(repository: string, options: PullOptions = {}): ProgressOperation<Image | Image[]> {
    const { tag: explicitTag, allTags = false, platform, authConfig: explicitAuth, bufferLimit, ...callOptions } = options;
    return new ProgressOperation<Image | Image[]>(
      async (emit) => {
        const [name, nameTag] = parseRepositoryTag(repository);
        const tag = allTags ? undefined : explicitTag || nameTag || 'latest';
        const reference = tag === undefined ? name : `${name}${separatorFor(tag)}${tag}`;
        parseReference(reference);
        const authConfig = explicitAuth ?? (await this.credentialsFor(reference));
        const stream = await pullImage(
          this.client,
          {
            fromImage: name,
            ...(tag === undefined ? {} : { tag }),
            ...(platform === undefined ? {} : { platform }),
            ...(authConfig === undefined ? {} : { authConfig }),
          },
          callOptions,
        );
        await forwardMessages(stream, emit);
        if (tag === undefined) return this.list({ name, ...callOptions });
        return this.get(reference, callOptions);
      },
      bufferLimit === undefined ? {} : { bufferLimit },
    );
  }

  /**
   * Pushes an image (`docker push`) and resolves to the pushed digest, read from the engine's
   * stream (either of its two forms). A tag in the name is used unless `tag` is given; neither
   * pushes every tag of the repository.
   *
   * @example
   * ```ts
   * const { digest } = await images.push('localhost:5000/app', { tag: 'v1' });
   * ```
   */
  push(repository: string, options: PushOptions = {}): ProgressOperation<PushResult> {
    const { tag: explicitTag, platform, authConfig: explicitAuth, bufferLimit, ...callOptions } = options;
    return new ProgressOperation<PushResult>(
      async (emit) => {
        const [name, nameTag] = parseRepositoryTag(repository);
        const tag = explicitTag || nameTag || undefined;
        const reference = tag === undefined ? name : `${name}:${tag}`;
        parseReference(reference);
        const authConfig = explicitAuth ?? (await this.credentialsFor(reference));
        const stream = await pushImage(
          this.client,
          {
            name,
            ...(tag === undefined ? {} : { tag }),
            ...(platform === undefined ? {} : { platform }),
            ...(authConfig === undefined ? {} : { authConfig }),
          },
          callOptions,
        );
        const pushed: PushedDigest[] = [];
        await forwardMessages(stream, emit, (event) => {
          if (event.type !== 'digest' || event.tag === undefined) return;
          // Engines with the graphdriver store send the digest twice (status line and aux).
          if (pushed.some((known) => known.tag === event.tag && known.digest === event.digest)) return;
          pushed.push({ digest: event.digest, tag: event.tag, ...(event.size === undefined ? {} : { size: event.size }) });
        });
        const last = pushed.at(-1);
        if (last === undefined) {
          throw new StreamError(`The push of ${reference} ended without reporting a digest.`, {
            details: 'The engine sent neither an aux {Tag, Digest, Size} message nor a "<tag>: digest: … size: …" line.',
          });
        }
        return { digest: last.digest, tag: last.tag, size: last.size, pushed };
      },
      bufferLimit === undefined ? {} : { bufferLimit },
    );
  }

  /**
   * Builds an image (`docker build`) and resolves to it and its log. Sources: a context
   * directory (`path`), a Dockerfile (`file`), a ready context tar (`file` with
   * `customContext`), or a URL the engine fetches (`remote`); see {@link BuildOptions}. A failed
   * build rejects with a {@link BuildError} that carries the log. An option the engine's API
   * version lacks is refused before anything is sent.
   *
   * @example
   * ```ts
   * const building = images.build({ path: './app', tag: 'app:v1', buildArgs: { VERSION: '1' }, networkMode: 'none' });
   * for await (const event of building) if (event.type === 'output') process.stdout.write(event.text);
   * const { image } = await building;
   * ```
   */
  build(options: BuildOptions): ProgressOperation<BuildResult> {
    const { bufferLimit } = options;
    return new ProgressOperation<BuildResult>(async (emit) => this.#runBuild(options, emit), bufferLimit === undefined ? {} : { bufferLimit });
  }

  /**
   * Loads images from an archive made by `save` (`docker load`) and resolves to them. The
   * archive is streamed (a path, bytes, a Node or web stream, an async iterable); an error in
   * the engine's stream rejects.
   *
   * @example
   * ```ts
   * const [image] = await images.load('./app.tar');
   * const copies = await images.load(await otherImage.save({ named: true }));
   * ```
   */
  load(data: LoadSource, options: LoadOptions = {}): ProgressOperation<Image[]> {
    const { quiet = false, platform, bufferLimit, ...callOptions } = options;
    return new ProgressOperation<Image[]>(
      async (emit) => {
        const body = await openLoadSource(data);
        const stream = await loadImages(this.client, { body, quiet, ...(platform === undefined ? {} : { platform }) }, callOptions);
        const events: ProgressEvent[] = [];
        await forwardMessages(stream, emit, (event) => {
          if (event.type === 'output') events.push(event);
        });
        const loaded = loadedImagesOf(events);
        const images: Image[] = [];
        for (const item of loaded) images.push(await this.get(item.kind === 'id' ? item.imageId : item.reference, callOptions));
        return images;
      },
      bufferLimit === undefined ? {} : { bufferLimit },
    );
  }

  /**
   * Removes an image (`docker rmi`). Resolves to what the engine untagged and deleted.
   *
   * @example
   * ```ts
   * await images.remove('localhost:5000/app:v1', { force: true });
   * ```
   */
  async remove(name: string, options: RemoveImageOptions = {}): Promise<ImageDeleteResponseItem[]> {
    const { force, noPrune, ...callOptions } = options;
    return deleteImage(
      this.client,
      { name, ...(force === undefined ? {} : { force }), ...(noPrune === undefined ? {} : { noprune: noPrune }) },
      callOptions,
    );
  }

  /**
   * Searches a registry through the engine (`docker search`). A registry host in front of the
   * term searches that registry's `/v1/search`; otherwise Docker Hub.
   *
   * @example
   * ```ts
   * const results = await images.search('localhost:5000/app', { limit: 5 });
   * ```
   */
  async search(term: string, options: SearchOptions = {}): Promise<ImageSearchResponse> {
    const { limit, filters, authConfig: explicit, ...callOptions } = options;
    const authConfig = explicit ?? (await this.credentialsFor(term));
    return searchImages(
      this.client,
      {
        term,
        ...(limit === undefined ? {} : { limit }),
        ...(filters === undefined ? {} : { filters }),
        ...(authConfig === undefined ? {} : { authConfig }),
      },
      callOptions,
    );
  }

  /**
   * Deletes unused images (`docker image prune`).
   *
   * @example
   * ```ts
   * const { ImagesDeleted, SpaceReclaimed } = await images.prune({ filters: { dangling: false } });
   * ```
   */
  async prune(options: PruneImagesOptions = {}): Promise<ImagePruneResponse> {
    const { filters, ...callOptions } = options;
    return pruneImages(this.client, filters === undefined ? {} : { filters }, callOptions);
  }

  /**
   * Deletes build cache (`docker builder prune`).
   *
   * @example
   * ```ts
   * const { SpaceReclaimed } = await images.pruneBuilds({ all: true });
   * ```
   */
  async pruneBuilds(options: PruneBuildsOptions = {}): Promise<BuildPruneResponse> {
    const { filters, keepStorage, reservedSpace, maxUsedSpace, minFreeSpace, all, ...callOptions } = options;
    return pruneBuildCache(
      this.client,
      {
        ...(filters === undefined ? {} : { filters }),
        ...(keepStorage === undefined ? {} : { 'keep-storage': keepStorage }),
        ...(reservedSpace === undefined ? {} : { 'reserved-space': reservedSpace }),
        ...(maxUsedSpace === undefined ? {} : { 'max-used-space': maxUsedSpace }),
        ...(minFreeSpace === undefined ? {} : { 'min-free-space': minFreeSpace }),
        ...(all === undefined ? {} : { all }),
      },
      callOptions,
    );
  }

  /**
   * The credentials the collection's provider has for `reference`'s registry, if any.
   *
   * @example
   * ```ts
   * const authConfig = await images.credentialsFor('localhost:5000/app:v1');
   * ```
   */
  async credentialsFor(reference: string): Promise<RegistryAuthConfig | undefined> {
    return this.#credentials?.forReference(reference);
  }

  /**
   * The engine's own OS and architecture (`GET /version`), asked once and remembered.
   *
   * @example
   * ```ts
   * await images.enginePlatform(); // { os: 'linux', architecture: 'amd64' }
   * ```
   */
  async enginePlatform(options?: CallOptions): Promise<EnginePlatformDefaults> {
    this.#enginePlatform ??= getVersion(this.client, options).then(
      (version) => ({ os: version.Os ?? 'linux', architecture: version.Arch ?? 'amd64' }),
      (error: unknown) => {
        this.#enginePlatform = undefined;
        throw error;
      },
    );
    return this.#enginePlatform;
  }

  /**
   * Wraps inspect data in an {@link Image} of this collection.
   *
   * @example
   * ```ts
   * const image = images.prepareModel(await inspectImage(client, { name: 'busybox' }));
   * ```
   */
  protected createModel(attributes: ImageInspect): Image {
    return new Image(attributes, this);
  }

  async #runBuild(options: BuildOptions, emit: (event: ProgressEvent) => void): Promise<BuildResult> {
    checkBuildSource(options);
    const useConfigProxy = options.useConfigProxy ?? true;
    const proxyArguments = useConfigProxy ? await readProxyBuildArguments({ environment: this.#environment }) : {};
    const parameters = toBuildParameters(options, { ...proxyArguments, ...options.buildArgs });
    const registryConfig = options.authConfigs ?? (await this.#credentials?.all());
    const callOptions: CallOptions = {
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    };
    // Refuse what the API version lacks before packing the context or sending anything.
    const apiVersion = await this.client.apiVersion(callOptions);
    const probe = {
      ...parameters,
      ...(options.dockerfile === undefined ? {} : { dockerfile: options.dockerfile }),
      ...(options.remote === undefined ? {} : { remote: options.remote }),
      ...(registryConfig === undefined ? {} : { registryConfig }),
    };
    buildRequest(imageBuildEndpoint, probe, { apiVersion });

    const context = await resolveBuildContext(options);
    const log: ProgressEvent[] = [];
    let stream: Awaited<ReturnType<typeof buildImage>>;
    try {
      stream = await buildImage(
        this.client,
        {
          ...parameters,
          ...(context.body === undefined ? {} : { body: context.body }),
          ...(context.dockerfile === undefined ? {} : { dockerfile: context.dockerfile }),
          ...(context.remote === undefined ? {} : { remote: context.remote }),
          ...(registryConfig === undefined ? {} : { registryConfig }),
        },
        callOptions,
      );
    } catch (error) {
      context.dispose();
      throw error;
    }
    try {
      await forwardMessages(stream, emit, (event) => {
        if (!isByteCountUpdate(event)) log.push(event);
      });
    } catch (error) {
      if (error instanceof StreamMessageError) {
        throw new BuildError(`The build failed: ${error.engineMessage}`, {
          log: [...log],
          engineMessage: error.engineMessage,
          code: error.code,
          cause: error,
        });
      }
      throw error;
    }
    const imageId = builtImageIdOf(log);
    if (imageId === undefined) {
      const last = log.at(-1);
      throw new BuildError('The build ended without reporting an image id.', {
        log: [...log],
        ...(last === undefined ? {} : { metaMessages: [`Last event: ${JSON.stringify(last.raw)}`] }),
      });
    }
    return { image: await this.get(imageId, callOptions), log };
  }
}

/** `@` before a digest, `:` before a tag. */
function separatorFor(tagOrDigest: string): string {
  return tagOrDigest.includes(':') ? '@' : ':';
}

function mergeReferenceFilter(filters: FiltersInput | undefined, name: string): FiltersInput {
  const existing = filters?.['reference'];
  if (existing === undefined) return { ...filters, reference: name };
  if (Array.isArray(existing)) return { ...filters, reference: [...(existing as readonly string[]), name] };
  if (typeof existing === 'object' && existing !== null) return { ...filters, reference: { ...(existing as Record<string, boolean>), [name]: true } };
  return { ...filters, reference: [String(existing), name] };
}
