import type { BuildSessionStatistics, OutputStatistics } from '@berth/buildkit';
import type { CallOptions, EngineClient, FiltersInput, PlatformInput, RegistryAuthConfig } from '@berth/engine-protocol';
import type { RegistryCredentialProvider } from './credentials/registry-credential-provider.js';
import type { Image } from './image.js';
import type { ProgressEvent } from './progress/progress-event.js';
import type { ProgressOperationOptions } from './progress/progress-operation.js';
import type { PushedDigest } from './progress/push-digest.js';

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
   * Environment read for `DOCKER_CONFIG` and `HOME` (the proxy settings of `useConfigProxy`), and
   * by BuildKit builds for `SSH_AUTH_SOCK` (`ssh: { default: true }`) and `{ env }` secrets.
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
  /**
   * Also read each image's per-platform manifests ({@link Image.manifests}; API 1.47, the
   * containerd image store fills them).
   */
  readonly manifests?: boolean;
}

/**
 * Options of {@link ImageCollection.get}.
 *
 * @example
 * ```ts
 * await images.get('localhost:5000/app:v1', { manifests: true, timeout: 5_000 });
 * ```
 */
export interface GetImageOptions extends CallOptions {
  /** Also read the image's per-platform manifests ({@link Image.manifests}; API 1.48). */
  readonly manifests?: boolean;
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
  /**
   * BuildKit builds: what the build session served (context files and bytes per directory,
   * credential hosts, secret ids, SSH connections).
   */
  readonly session?: BuildSessionStatistics;
}

/**
 * What a BuildKit build with a `local` or `tar` output resolves to: no image, the result went to
 * the client.
 *
 * @example
 * ```ts
 * const { output } = await images.build({ path: '.', outputs: [{ type: 'local', dest: './dist' }] });
 * console.log(output.files, 'files,', output.bytes, 'bytes');
 * ```
 */
export interface ExportedBuildResult {
  /** No image: the result was written to the output. */
  readonly image: undefined;
  /** What the output received. */
  readonly output: OutputStatistics;
  /** The build's events except byte-count updates. */
  readonly log: readonly ProgressEvent[];
  /** What the build session served. */
  readonly session: BuildSessionStatistics;
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
