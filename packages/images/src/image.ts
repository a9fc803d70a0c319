import { Readable } from 'node:stream';
import {
  getImageHistory,
  InvalidArgumentError,
  saveImages,
  tagImage,
  type CallOptions,
  type EngineClient,
  type ImageDeleteResponseItem,
  type ImageHistoryResponse,
  type ImageInspect,
  type PlatformInput,
} from '@berth/engine-protocol';
import { definedEntries, rechunkBytes } from '@berth/engine-protocol/internal';
import type { ImageCollection } from './image-collection.js';
import type { RemoveImageOptions } from './image-collection-options.js';
import { imageManifestsOf, type ImageManifest } from './manifests/image-manifest.js';
import { Model } from './model/model.js';
import { checkTagArguments } from './validation/check-tag-arguments.js';
import { optionsObject } from './validation/options-object.js';
import { platformParameter } from './platform/platform-parameter.js';
import { resolveSaveName } from './save/resolve-save-name.js';

const untagged = '<none>:<none>';

/**
 * Options of {@link Image.save}.
 *
 * @example
 * ```ts
 * await image.save({ chunkSize: 2 * 1024 * 1024, named: 'app:v1' });
 * ```
 */
export interface SaveImageOptions extends CallOptions {
  /**
   * Bytes per chunk the stream yields (the last chunk may be shorter). Unset: chunks as they
   * arrive from the engine.
   */
  readonly chunkSize?: number;
  /**
   * Keep a name in the archive, so that a load restores it: `true` uses the image's first tag,
   * a string must name one of {@link Image.tags} once both are normalised (`bb`,
   * `bb:latest` and `docker.io/library/bb:latest` are one name; Podman's qualified tags match
   * their short forms), and the archive gets the engine's spelling. Default `false`: the
   * archive names only the id.
   */
  readonly named?: boolean | string;
  /**
   * Save only these platforms of a multi-platform image (API 1.48; several from 1.52),
   * `os[/arch[/variant]]` or objects. Unset: every platform the engine has (the containerd
   * image store), or the one image (the graphdriver store).
   */
  readonly platform?: PlatformInput | readonly PlatformInput[];
}

/**
 * Options of {@link Image.tag}: the call's `signal` and `timeout` (they cover the tag request
 * and the inspect after it).
 *
 * @example
 * ```ts
 * await image.tag('localhost:5000/app', 'v1', { timeout: 5_000 });
 * ```
 */
export type TagImageOptions = CallOptions;

/**
 * An image on the engine. Get one through an {@link ImageCollection} (`get`, `list`, `pull`,
 * `build`, `load`); `attrs` holds the engine's inspect data.
 *
 * @example
 * ```ts
 * const image = await images.get('busybox:latest');
 * console.log(image.shortId, image.tags, image.labels);
 * await image.tag('localhost:5000/busybox', 'v1');
 * ```
 */
export class Image extends Model<ImageInspect> {
  /** The collection this image came from. */
  readonly collection: ImageCollection;

  /**
   * Wraps inspect data; usually done by the collection (`images.prepareModel(attrs)`).
   *
   * @example
   * ```ts
   * const image = new Image(await inspectImage(client, { name: 'busybox' }), images);
   * ```
   */
  constructor(attrs: ImageInspect, collection: ImageCollection) {
    super(attrs);
    this.collection = collection;
  }

  /**
   * The client of the engine the image lives on.
   *
   * @example
   * ```ts
   * await getImageHistory(image.client, { name: image.id });
   * ```
   */
  get client(): EngineClient {
    return this.collection.client;
  }

  /**
   * The image id, `sha256:…`, as the engine's image store defines it:
   *
   * - graphdriver store (Engine ≤ 28 by default) and Podman: the digest of the image's config;
   * - containerd image store (default from Engine 29): the digest of what the name points to,
   *   the index of a multi-platform image or the manifest of a single-platform one, the same
   *   as the digest a registry serves for it; an inspect for one platform gives that
   *   platform's manifest digest instead.
   *
   * Either way it names the image on that engine: {@link Model.shortId} (`sha256:` + 12 hex,
   * what `docker image ls` shows) is accepted by `images.get`, and two `Image`s are
   * {@link Model.equals | equal} when their ids are. The same content has different ids on the
   * two stores, so never compare ids across engines.
   *
   * @example
   * ```ts
   * image.id; // 'sha256:3294076610dbfcdd019a71ce46d73876acb29d05e22fb747e9aec576ee53e518'
   * ```
   */
  get id(): string {
    return this.attrs.Id ?? '';
  }

  /**
   * The image's manifests, one per platform (and attestation), with whether each is present
   * locally and its sizes: the containerd image store's view of a multi-platform image
   * (`docker image ls --tree`). Filled when the image was fetched with `manifests: true`
   * (`images.get(name, { manifests: true })`, API 1.48; `images.list({ manifests: true })`,
   * API 1.47); `[]` otherwise, and always on the graphdriver store and Podman, which keep one
   * platform per image.
   *
   * @example
   * ```ts
   * const image = await images.get('localhost:5000/app:v1', { manifests: true });
   * image.manifests.filter((manifest) => manifest.kind === 'image' && manifest.available).map((manifest) => manifest.platform);
   * // [{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64' }]
   * ```
   */
  get manifests(): ImageManifest[] {
    return imageManifestsOf(this.attrs);
  }

  /**
   * The image's tags (`repository:tag`), without the `<none>:<none>` placeholder.
   *
   * @example
   * ```ts
   * image.tags; // ['busybox:latest', 'localhost:5000/busybox:v1']
   * ```
   */
  get tags(): string[] {
    return (this.attrs.RepoTags ?? []).filter((tag) => tag !== untagged);
  }

  /**
   * The image's labels (`Config.Labels`), `{}` when it has none.
   *
   * @example
   * ```ts
   * image.labels['org.opencontainers.image.version']; // '1.0.0'
   * ```
   */
  get labels(): Record<string, string> {
    return { ...(this.attrs.Config?.Labels ?? {}) };
  }

  /**
   * The image's layers, newest first (`docker history`).
   *
   * @example
   * ```ts
   * for (const layer of await image.history()) console.log(layer.CreatedBy, layer.Size);
   * ```
   */
  async history(options?: CallOptions): Promise<ImageHistoryResponse> {
    return getImageHistory(this.client, { name: this.id }, options);
  }

  /**
   * Removes the image (`docker rmi`). Resolves to what the engine untagged and deleted.
   *
   * @example
   * ```ts
   * await image.remove({ force: true });
   * ```
   */
  async remove(options: RemoveImageOptions = {}): Promise<ImageDeleteResponseItem[]> {
    return this.collection.remove(this.id, options);
  }

  /**
   * Exports the image as a tar archive (`docker save`), streamed: the bytes flow as the engine
   * sends them, with backpressure, so memory stays constant whatever the image size. Resolves
   * once the engine starts answering, to a `Readable` of `Buffer` chunks of `chunkSize` bytes
   * (the last may be shorter). A failure the engine reports after the first bytes errors the
   * stream.
   *
   * @example
   * ```ts
   * import { createWriteStream } from 'node:fs';
   * import { pipeline } from 'node:stream/promises';
   * await pipeline(await image.save({ named: true }), createWriteStream('image.tar'));
   * ```
   */
  async save(options: SaveImageOptions = {}): Promise<Readable> {
    const { chunkSize, named = false, platform, ...callOptions } = optionsObject(options);
    if (chunkSize !== undefined && (!Number.isSafeInteger(chunkSize) || chunkSize <= 0)) {
      throw new InvalidArgumentError(`chunkSize must be a positive integer, got ${String(chunkSize)}.`, { argument: 'chunkSize' });
    }
    const name = resolveSaveName(this, named);
    const archive = await saveImages(this.client, { names: name, ...platformParameter(platform) }, callOptions);
    // Without chunkSize the endpoint's stream is handed over as is: no extra hop per chunk.
    if (chunkSize === undefined) return archive;
    return Readable.from(toBuffers(rechunkBytes(archive, chunkSize)));
  }

  /**
   * Gives the image another name (`docker tag`), then re-inspects it: resolves to this image,
   * its {@link Image.tags} including the new name. The repository and tag go through the same
   * checks as pull, push and build tags: an invalid one (`..`, uppercase) is an
   * `InvalidArgumentError` before anything is sent. An existing tag of that name moves to this
   * image (docker-py's `force` is not needed, and not accepted).
   *
   * @example
   * ```ts
   * const tagged = await image.tag('localhost:5000/app', 'v1');
   * console.log(tagged.tags); // [..., 'localhost:5000/app:v1']
   * ```
   */
  async tag(repository: string, tag?: string, options: TagImageOptions = {}): Promise<this> {
    checkTagArguments(repository, tag, options);
    await tagImage(this.client, { name: this.id, repo: repository, ...definedEntries({ tag }) }, options);
    return this.reload(options);
  }

  /**
   * Fetches the image's data again.
   *
   * @example
   * ```ts
   * await image.tag('app', 'v2');
   * console.log((await image.reload()).tags);
   * ```
   */
  async reload(options?: CallOptions): Promise<this> {
    // An image fetched with its manifests keeps them.
    const fresh = await this.collection.get(this.id, { ...options, ...(this.attrs.Manifests === undefined ? {} : { manifests: true }) });
    this.attrs = fresh.attrs;
    return this;
  }

  /**
   * `<Image: 'tag', 'tag'>`, or the short id when the image has no tag.
   *
   * @example
   * ```ts
   * String(image); // "<Image: 'busybox:latest'>"
   * ```
   */
  override toString(): string {
    const tags = this.tags;
    return tags.length > 0 ? `<Image: ${tags.map((tag) => `'${tag}'`).join(', ')}>` : `<Image: ${this.shortId}>`;
  }
}

async function* toBuffers(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer, void, undefined> {
  for await (const chunk of chunks) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
