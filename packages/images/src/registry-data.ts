import {
  inspectDistribution,
  parseRepositoryTag,
  type CallOptions,
  type DistributionInspect,
  type EngineClient,
  type PlatformInput,
  type RegistryAuthConfig,
} from '@berth/engine-protocol';
import type { Image } from './image.js';
import type { ImageCollection } from './image-collection.js';
import { Model } from './model/model.js';
import { normalizePlatform, platformMatches, type Platform } from './platform/index.js';
import type { ProgressOperation, ProgressOperationOptions } from './progress/progress-operation.js';
import { definedEntries } from '@berth/engine-protocol/internal';

/** Stands in for the engine's platform while checking the form of a platform. */
const placeholderDefaults = { os: 'linux', architecture: 'amd64' } as const;

/**
 * Options of {@link RegistryData.pull}.
 *
 * @example
 * ```ts
 * await registryData.pull({ platform: 'linux/arm64' });
 * ```
 */
export interface RegistryDataPullOptions extends CallOptions, ProgressOperationOptions {
  /** Platform to pull, `os[/arch[/variant]]` or an object. */
  readonly platform?: PlatformInput;
}

/**
 * What a registry knows about an image, without pulling it (`docker manifest inspect`-like):
 * the manifest descriptor (whose digest is the {@link RegistryData.id}) and the platforms the
 * image is available for. Get it with {@link ImageCollection.getRegistryData}.
 *
 * @example
 * ```ts
 * const data = await images.getRegistryData('localhost:5000/app:v1');
 * if (await data.hasPlatform('linux/arm64')) await data.pull({ platform: 'linux/arm64' });
 * ```
 */
export class RegistryData extends Model<DistributionInspect> {
  /** The collection that fetched it. */
  readonly collection: ImageCollection;
  /** The image name it was fetched for, as given. */
  readonly imageName: string;
  readonly #authConfig: RegistryAuthConfig | undefined;

  /**
   * Wraps distribution data; usually done by {@link ImageCollection.getRegistryData}.
   * `authConfig`, when given, is reused by `reload` and `pull`.
   *
   * @example
   * ```ts
   * const data = new RegistryData('localhost:5000/app:v1', await inspectDistribution(client, { name }), images);
   * ```
   */
  constructor(imageName: string, attrs: DistributionInspect, collection: ImageCollection, authConfig?: RegistryAuthConfig) {
    super(attrs);
    this.imageName = imageName;
    this.collection = collection;
    this.#authConfig = authConfig;
  }

  /**
   * The client of the engine that asked the registry.
   *
   * @example
   * ```ts
   * await getVersion(data.client);
   * ```
   */
  get client(): EngineClient {
    return this.collection.client;
  }

  /**
   * The digest of the manifest (or manifest list) the name points at, `sha256:…`.
   *
   * @example
   * ```ts
   * data.id; // 'sha256:641ef1af2c67fee18d6fa716feda5e8d1f73f5be958b0c516c32c017245e4a49'
   * ```
   */
  get id(): string {
    return this.attrs.Descriptor?.digest ?? '';
  }

  /**
   * The platforms the registry offers the image for.
   *
   * @example
   * ```ts
   * data.platforms; // [{ os: 'linux', architecture: 'amd64' }]
   * ```
   */
  get platforms(): Platform[] {
    return (this.attrs.Platforms ?? []).flatMap((platform) =>
      typeof platform?.os === 'string' && typeof platform.architecture === 'string'
        ? [{ os: platform.os, architecture: platform.architecture, ...(platform.variant ? { variant: platform.variant } : {}) }]
        : [],
    );
  }

  /**
   * Pulls exactly this digest (`repository@digest`), for `platform` if given.
   *
   * @example
   * ```ts
   * const image = await data.pull({ platform: 'linux/amd64' });
   * ```
   */
  pull(options: RegistryDataPullOptions = {}): ProgressOperation<Image> {
    const [repository] = parseRepositoryTag(this.imageName);
    return this.collection.pull(repository, {
      ...options,
      tag: this.id,
      ...(this.#authConfig === undefined ? {} : { authConfig: this.#authConfig }),
    });
  }

  /**
   * Whether the registry offers the image for `platform`: a string `os[/arch[/variant]]` (or a
   * single known OS or architecture) or an object. A missing OS or architecture is taken from
   * the engine (`GET /version`). An invalid platform is an `InvalidArgumentError`.
   *
   * @example
   * ```ts
   * await data.hasPlatform('linux/amd64'); // true
   * await data.hasPlatform({ os: 'linux', architecture: 'arm64' }); // false
   * await data.hasPlatform('linux'); // checks linux on the engine's architecture
   * ```
   */
  async hasPlatform(platform: string | Partial<Platform>, options?: CallOptions): Promise<boolean> {
    // Malformed input fails here, before anything is asked of the engine.
    normalizePlatform(platform, placeholderDefaults);
    let wanted: Platform;
    try {
      wanted = normalizePlatform(platform);
    } catch {
      // Only the OS or the architecture is missing: the engine's own fill the gap.
      wanted = normalizePlatform(platform, await this.collection.enginePlatform(options));
    }
    return this.platforms.some((offered) => platformMatches(wanted, offered));
  }

  /**
   * Asks the registry again.
   *
   * @example
   * ```ts
   * await data.reload();
   * ```
   */
  async reload(options?: CallOptions): Promise<this> {
    const authConfig = this.#authConfig ?? (await this.collection.credentialsFor(this.imageName));
    this.attrs = await inspectDistribution(
      this.client,
      { name: this.imageName, ...definedEntries({ authConfig }) },
      options,
    );
    return this;
  }
}
