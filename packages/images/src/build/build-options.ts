import type { Readable, Writable } from 'node:stream';
import type { FileSyncEvent, SecretSource, SshAgents } from '@berth/buildkit';
import type { CallOptions, PlatformInput, RegistryAuthConfig, UploadBody } from '@berth/engine-protocol';
import type { ProgressOperationOptions } from '../progress/progress-operation.js';

/**
 * Resource limits of the containers that run a classic build's `RUN` steps.
 *
 * @example
 * ```ts
 * const limits: BuildContainerLimits = { memory: 512 * 1024 * 1024, memorySwap: -1, cpuShares: 512, cpusetCpus: '0-1' };
 * ```
 */
export interface BuildContainerLimits {
  /** Memory limit in bytes. */
  readonly memory?: number;
  /** Memory plus swap in bytes; `-1` for unlimited swap. */
  readonly memorySwap?: number;
  /** Relative CPU weight. */
  readonly cpuShares?: number;
  /** CPUs the steps may use, e.g. `0-3` or `0,1`. */
  readonly cpusetCpus?: string;
  /** CPU CFS period in microseconds. */
  readonly cpuPeriod?: number;
  /** CPU CFS quota in microseconds. */
  readonly cpuQuota?: number;
}

/**
 * Options of `build` ({@link ImageCollection}). Give exactly one source:
 *
 * - `path`: a context directory, packed on the fly (`.dockerignore` honoured, a `dockerfile`
 *   outside the directory is added to the context);
 * - `file` alone: the Dockerfile itself (text, bytes or a stream), with an empty context;
 * - `file` with `customContext: true`: a ready context tar (plain, or compressed with `encoding`);
 * - `remote`: a Git URL or a URL of a tarball or Dockerfile that the engine fetches.
 *
 * @example
 * ```ts
 * const options: BuildOptions = {
 *   path: './app',
 *   tag: ['registry.example.com/app:v1', 'registry.example.com/app:latest'],
 *   buildArgs: { VERSION: '1.0.0' },
 *   labels: { 'org.opencontainers.image.source': 'https://example.com/app' },
 *   networkMode: 'none',
 * };
 * ```
 */
export interface BuildOptions extends CallOptions, ProgressOperationOptions {
  /** The context directory. */
  readonly path?: string;
  /**
   * The Dockerfile's content (`string`, bytes, a Node `Readable`), or, with `customContext`, the
   * context tar in any upload form (bytes, Node or web stream, async iterable).
   */
  readonly file?: string | Readable | UploadBody;
  /** `file` is a ready context tar rather than a Dockerfile. */
  readonly customContext?: boolean;
  /**
   * Compression of the `customContext` tar. Informational: the engine detects gzip, bzip2 and
   * xz by itself; Berth checks that a `gzip` tar starts like one.
   */
  readonly encoding?: 'gzip' | 'identity';
  /** Compress the context Berth packs (from `path`, or a Dockerfile in `file`) with gzip before upload. */
  readonly gzip?: boolean;
  /** A Git URL, or a URL of a tarball or Dockerfile, fetched by the engine as the context. */
  readonly remote?: string;
  /** Name(s) of the image, `repository[:tag]`; several allowed. */
  readonly tag?: string | readonly string[];
  /** Print only the image id. */
  readonly quiet?: boolean;
  /** Do not use the build cache. */
  readonly noCache?: boolean;
  /** Remove intermediate containers after a successful build (the engine's default: yes). */
  readonly removeIntermediateContainers?: boolean;
  /** Remove intermediate containers even when the build fails. */
  readonly forceRemoveIntermediateContainers?: boolean;
  /** Pull newer versions of the base images. */
  readonly pull?: boolean;
  /**
   * Path of the Dockerfile: inside the context for a `customContext` tar; with `path`, relative
   * to the context directory or absolute (outside the context is fine). Default: `Dockerfile`.
   */
  readonly dockerfile?: string;
  /** Build-time variables (`ARG`). */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** Limits of the build's containers. */
  readonly containerLimits?: BuildContainerLimits;
  /** Size of `/dev/shm` of the build's containers, in bytes (engine default: 64 MiB). */
  readonly sharedMemorySize?: number;
  /** Labels of the image. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Images used as cache sources. */
  readonly cacheFrom?: readonly string[];
  /** The build stage to stop at, in a multi-stage Dockerfile. */
  readonly target?: string;
  /** Network of `RUN` steps: `none`, `host`, `default`, a network name. */
  readonly networkMode?: string;
  /** Squash the new layers into one (engines with experimental features). */
  readonly squash?: boolean;
  /** Extra `/etc/hosts` entries: `{ host: ip }` or `['host:ip']`. */
  readonly extraHosts?: Readonly<Record<string, string>> | readonly string[];
  /** Platform to build for, `os[/arch[/variant]]` or an object. */
  readonly platform?: PlatformInput;
  /** Isolation technology (Windows engines): `default`, `process`, `hyperv`. */
  readonly isolation?: string;
  /**
   * Pass the proxy settings of the docker client configuration (`proxies.default` in
   * `$DOCKER_CONFIG/config.json` or `~/.docker/config.json`) as build arguments
   * (`HTTP_PROXY`/`http_proxy`, …), unless `buildArgs` sets them. Default: `true`, like the
   * docker CLI and docker-py.
   */
  readonly useConfigProxy?: boolean;
  /**
   * Builder: `'1'` classic, `'2'` BuildKit. Default: BuildKit when a BuildKit-only option is
   * given (`secrets`, `ssh`, `outputs`, `platforms`, `cacheTo`), else the engine's default
   * (`Builder-Version` of `/_ping`: BuildKit since Engine 23). BuildKit builds run with a build
   * session (see the BuildKit guide): registry credentials, secrets, SSH agents, outputs, and the
   * context synced rather than uploaded.
   */
  readonly version?: '1' | '2';
  /**
   * Credentials for the registries the build pulls from, keyed by registry; win over the
   * collection's credential provider. Classic builds send them all (`X-Registry-Config`);
   * BuildKit asks the build session per registry.
   */
  readonly authConfigs?: Readonly<Record<string, RegistryAuthConfig>>;
  /**
   * BuildKit: secrets for `RUN --mount=type=secret,id=…`, by id: `{ value }`, `{ file }` (read
   * when the build starts) or `{ env }` (a variable of the collection's environment). They never
   * enter the image. An id the Dockerfile asks for and the build was not given fails the build
   * (`secret <id>: not found`) unless the mount says `required=false`.
   */
  readonly secrets?: Readonly<Record<string, SecretSource>>;
  /**
   * BuildKit: SSH agents for `RUN --mount=type=ssh[,id=…]`, by id: `{ default: true }` forwards
   * the agent of `SSH_AUTH_SOCK` (from the collection's environment); a path or `{ socket }`
   * forwards that agent socket. A missing agent is an `InvalidArgumentError` before the build.
   */
  readonly ssh?: SshAgents;
  /**
   * BuildKit: where the result goes instead of an image: `{ type: 'local', dest }` writes the
   * result's files into the directory `dest`; `{ type: 'tar', dest }` writes them as a tar
   * archive to the file or stream `dest`. `{ type: 'image' }` is the default (an image in the
   * engine). Engines take one output.
   */
  readonly outputs?: readonly BuildOutput[];
  /**
   * BuildKit: several platforms at once (`['linux/amd64', 'linux/arm64']`), giving one image
   * index; needs the containerd image store (Engine 28 and later with the store on). One
   * platform is the same as `platform`.
   */
  readonly platforms?: readonly PlatformInput[];
  /**
   * BuildKit: caches to export. `{ type: 'inline' }` stores the cache metadata in the image
   * (for `cacheFrom` of a later build from a registry).
   */
  readonly cacheTo?: readonly BuildCacheExport[];
  /**
   * BuildKit with a context directory (`path`): sync the context through the build session, so
   * the engine pulls only files that changed since the last build (default), or `false` to
   * upload it as a tar like the classic builder.
   */
  readonly syncContext?: boolean;
  /**
   * BuildKit: called for each entry the session lists to the engine and each file it sends
   * (diagnostics; counts are in the result's `session` statistics).
   */
  readonly onFileSync?: (event: FileSyncEvent) => void;
}

/**
 * Where a BuildKit build's result goes (see {@link BuildOptions.outputs}).
 *
 * @example
 * ```ts
 * const toDirectory: BuildOutput = { type: 'local', dest: './dist' };
 * const toArchive: BuildOutput = { type: 'tar', dest: './rootfs.tar' };
 * ```
 */
export type BuildOutput =
  | { readonly type: 'local'; readonly dest: string }
  | { readonly type: 'tar'; readonly dest: string | Writable }
  | { readonly type: 'image' };

/**
 * A cache export of a BuildKit build (see {@link BuildOptions.cacheTo}).
 *
 * @example
 * ```ts
 * const inline: BuildCacheExport = { type: 'inline' };
 * ```
 */
export type BuildCacheExport = { readonly type: 'inline' };
