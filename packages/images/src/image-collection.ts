import {
  deleteImage,
  getVersion,
  inspectDistribution,
  inspectImage,
  listImages,
  loadImages,
  NotFoundError,
  parseReference,
  parseRepositoryTag,
  pruneBuildCache,
  pruneImages,
  ping,
  pullImage,
  pushImage,
  searchImages,
  StreamError,
  type BuildPruneResponse,
  type CallOptions,
  type FiltersInput,
  type ImageDeleteResponseItem,
  type ImageInspect,
  type ImagePruneResponse,
  type ImageSearchResponse,
  type RegistryAuthConfig,
} from '@berth/engine-protocol';
import type { BuildOptions, BuildOutput } from './build/build-options.js';
import type {
  BuildResult,
  ExportedBuildResult,
  GetImageOptions,
  ImageCollectionOptions,
  ListImagesOptions,
  LoadOptions,
  PruneBuildsOptions,
  PruneImagesOptions,
  PullOptions,
  PushOptions,
  PushResult,
  RegistryDataOptions,
  RemoveImageOptions,
  SearchOptions,
} from './image-collection-options.js';
import { runBuild } from './build/run-build.js';
import type { RegistryCredentialProvider } from './credentials/registry-credential-provider.js';
import { Image } from './image.js';
import { openLoadSource, type LoadSource } from './load/load-source.js';
import { Collection } from './model/collection.js';
import type { EnginePlatformDefaults } from './platform/index.js';
import { forwardMessages } from './progress/forward-messages.js';
import { loadedImagesOf, type LoadedImage } from './progress/loaded-image.js';
import { ProgressOperation } from './progress/progress-operation.js';
import { progressOptions } from './progress/progress-options.js';
import type { PushedDigest } from './progress/push-digest.js';
import { RegistryData } from './registry-data.js';
import { checkBuildArguments } from './validation/check-build-arguments.js';
import { checkLoadArguments } from './validation/check-load-arguments.js';
import { checkPullArguments } from './validation/check-pull-arguments.js';
import { checkPushArguments } from './validation/check-push-arguments.js';
import { requireReference, requireText } from './validation/image-names.js';
import { optionsObject } from './validation/options-object.js';
import { refusedOperation } from './validation/refused-operation.js';

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
  #builderVersion: Promise<string | undefined> | undefined;

  /**
   * Creates the collection.
   *
   * @example
   * ```ts
   * const images = new ImageCollection({
   *   client,
   *   credentials: {
   *     forReference: async (reference) => (reference.startsWith('localhost:5000/') ? { username: 'ci', password } : undefined),
   *     all: async () => ({ 'localhost:5000': { username: 'ci', password } }),
   *   },
   * });
   * ```
   */
  constructor(options: ImageCollectionOptions) {
    super(options.client);
    this.#credentials = options.credentials;
    this.#environment = options.environment;
  }

  /**
   * Gets an image by name or id (or short id). Rejects with `NotFoundError` when there is none.
   * With `manifests: true` (API 1.48) the image's per-platform manifests are read too
   * ({@link Image.manifests}).
   *
   * @example
   * ```ts
   * const image = await images.get('busybox:latest');
   * const multi = await images.get('localhost:5000/app:v1', { manifests: true });
   * ```
   */
  async get(name: string, options: GetImageOptions = {}): Promise<Image> {
    requireText(name, 'name');
    const { manifests, ...callOptions } = optionsObject(options);
    return this.prepareModel(await inspectImage(this.client, { name, ...(manifests === undefined ? {} : { manifests }) }, callOptions));
  }

  /**
   * Lists images (`docker images`), each fully inspected. An image removed while the list is
   * being read is left out. With `manifests: true` (API 1.47) each image's per-platform
   * manifests come along ({@link Image.manifests}; `docker image ls --tree`).
   *
   * @example
   * ```ts
   * const mine = await images.list({ name: 'localhost:5000/app', filters: { label: 'team=core' } });
   * ```
   */
  async list(options: ListImagesOptions = {}): Promise<Image[]> {
    const { name, all, filters, manifests, ...callOptions } = optionsObject(options);
    const merged = name === undefined ? filters : mergeReferenceFilter(filters, name);
    const summaries = await listImages(
      this.client,
      {
        ...(all === undefined ? {} : { all }),
        ...(merged === undefined ? {} : { filters: merged }),
        ...(manifests === undefined ? {} : { manifests }),
      },
      callOptions,
    );
    // The list's Manifests (API 1.47) go into the inspect data, which only has them from 1.48.
    const listedManifests = new Map(summaries.flatMap((summary) => (summary.Manifests ? [[summary.Id, summary.Manifests] as const] : [])));
    const ids = [...new Set(summaries.map((summary) => summary.Id))];
    const images: (Image | undefined)[] = new Array(ids.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length) {
        const index = next++;
        const id = ids[index] as string;
        const image = await this.get(id, callOptions).catch((error: unknown) => {
          if (error instanceof NotFoundError) return undefined;
          throw error;
        });
        const manifestsOfImage = listedManifests.get(id);
        if (image !== undefined && manifestsOfImage !== undefined && image.attrs.Manifests === undefined) {
          image.attrs = { ...image.attrs, Manifests: manifestsOfImage };
        }
        images[index] = image;
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
    const { authConfig: explicit, ...callOptions } = optionsObject(options);
    requireReference(name, 'name');
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
    const refused = refusedOperation(() => checkPullArguments(repository, options));
    if (refused) return refused;
    const { tag: explicitTag, allTags = false, platform, authConfig: explicitAuth, bufferLimit, logLimit, ...callOptions } = options;
    return new ProgressOperation<Image | Image[]>(
      async (emit) => {
        const [name, nameTag] = parseRepositoryTag(repository);
        const tag = allTags ? undefined : explicitTag || nameTag || 'latest';
        const reference = tag === undefined ? name : `${name}${separatorFor(tag)}${tag}`;
        const parsed = parseReference(reference);
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
        // The engine's reference filter matches the familiar name (`busybox`, not
        // `docker.io/library/busybox`), so list by that whatever way the name was written.
        if (tag === undefined) return this.list({ name: parsed.familiarName, ...callOptions });
        return this.get(reference, callOptions);
      },
      progressOptions({ bufferLimit, logLimit }),
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
    const refused = refusedOperation(() => checkPushArguments(repository, options));
    if (refused) return refused;
    const { tag: explicitTag, platform, authConfig: explicitAuth, bufferLimit, logLimit, ...callOptions } = options;
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
      progressOptions({ bufferLimit, logLimit }),
    );
  }

  /**
   * Builds an image (`docker build`) and resolves to it and its log. Sources: a context
   * directory (`path`), a Dockerfile (`file`), a ready context tar (`file` with
   * `customContext`), or a URL the engine fetches (`remote`); see {@link BuildOptions}. A failed
   * build rejects with a {@link BuildError} that carries the log. A dropped connection, a timeout
   * or a cancelled `signal` rejects with that error itself (`ConnectionError`, `TimeoutError`,
   * `AbortedError`); the events up to it stay in the operation's `log`. An option the engine's
   * API version lacks is refused before anything is sent.
   *
   * BuildKit builds (`version: '2'`, a BuildKit-only option, or an engine whose default builder
   * is BuildKit) run with a build session: registry credentials per registry, `secrets`, `ssh`,
   * `outputs` to the client, and a context directory synced so that a rebuild moves only the
   * files that changed. A failed step gives a `BuildError` with the step (`error.step`).
   *
   * @example
   * ```ts
   * const building = images.build({ path: './app', tag: 'app:v1', buildArgs: { VERSION: '1' }, networkMode: 'none' });
   * for await (const event of building) if (event.type === 'output') process.stdout.write(event.text);
   * const { image } = await building;
   *
   * // BuildKit: a secret, and the result written to a directory instead of an image.
   * const { output } = await images.build({
   *   path: './site',
   *   secrets: { npmrc: { file: `${homedir()}/.npmrc` } },
   *   outputs: [{ type: 'local', dest: './public' }],
   * });
   * ```
   */
  build(options: BuildOptions & { readonly outputs: readonly [Extract<BuildOutput, { type: 'local' | 'tar' }>] }): ProgressOperation<ExportedBuildResult>;
  /** Builds an image in the engine (no `local` or `tar` output); see the first overload. */
  build(options: BuildOptions): ProgressOperation<BuildResult>;
  build(options: BuildOptions): ProgressOperation<BuildResult | ExportedBuildResult> {
    const refused = refusedOperation(() => checkBuildArguments(options));
    if (refused) return refused;
    return new ProgressOperation<BuildResult | ExportedBuildResult>(
      async (emit, progress) =>
        runBuild(
          {
            client: this.client,
            registryConfig: async () => this.#credentials?.all(),
            environment: this.#environment,
            getImage: async (id, callOptions) => this.get(id, callOptions),
            credentials: this.#credentials,
            defaultBuilder: (callOptions) => this.#defaultBuilder(callOptions),
          },
          options,
          emit,
          progress,
        ),
      progressOptions(options),
    );
  }

  /** The engine's default builder (`Builder-Version`), asked once per collection. */
  #defaultBuilder(callOptions: CallOptions): Promise<string | undefined> {
    this.#builderVersion ??= ping(this.client, callOptions).then(
      (result) => result.builderVersion,
      (error: unknown) => {
        this.#builderVersion = undefined;
        throw error;
      },
    );
    return this.#builderVersion;
  }

  /**
   * Loads images from an archive made by `save` (`docker load`) and resolves to them. The
   * archive is streamed (a path, bytes, a Node or web stream, an async iterable); an error in
   * the engine's stream rejects.
   *
   * @example
   * ```ts
   * const [loaded] = await images.load('./app.tar');
   * const copies = await images.load(await image.save({ named: true }));
   * ```
   */
  load(data: LoadSource, options: LoadOptions = {}): ProgressOperation<Image[]> {
    const refused = refusedOperation(() => checkLoadArguments(data, options));
    if (refused) return refused;
    const { quiet = false, platform, bufferLimit, logLimit, ...callOptions } = options;
    return new ProgressOperation<Image[]>(
      async (emit) => {
        const source = await openLoadSource(data);
        const loaded: LoadedImage[] = [];
        try {
          const stream = await loadImages(this.client, { body: source.body, quiet, ...(platform === undefined ? {} : { platform }) }, callOptions);
          // Only the images named: the rest of the output is in the operation's log.
          await forwardMessages(stream, emit, (event) => loaded.push(...loadedImagesOf([event])));
        } catch (error) {
          // A refused option, a failed negotiation or connection leaves a file stream it opened
          // unread: close it. A body the caller gave stays the caller's.
          source.dispose();
          throw error;
        }
        const images: Image[] = [];
        for (const item of loaded) images.push(await this.get(item.kind === 'id' ? item.imageId : item.reference, callOptions));
        return images;
      },
      progressOptions({ bufferLimit, logLimit }),
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
    const { force, noPrune, ...callOptions } = optionsObject(options);
    requireText(name, 'name');
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
    const { limit, filters, authConfig: explicit, ...callOptions } = optionsObject(options);
    requireText(term, 'term');
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
    const { filters, ...callOptions } = optionsObject(options);
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
    const { filters, keepStorage, reservedSpace, maxUsedSpace, minFreeSpace, all, ...callOptions } = optionsObject(options);
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
