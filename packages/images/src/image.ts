import { Readable } from 'node:stream';
import {
  getImageHistory,
  InvalidArgumentError,
  rechunkBytes,
  saveImages,
  tagImage,
  type CallOptions,
  type EngineClient,
  type ImageDeleteResponseItem,
  type ImageHistoryResponse,
  type ImageInspect,
} from '@berth/engine-protocol';
import type { ImageCollection } from './image-collection.js';
import type { RemoveImageOptions } from './image-collection-options.js';
import { Model } from './model/model.js';
import { checkTagArguments } from './validation/check-tag-arguments.js';
import { optionsObject } from './validation/options-object.js';

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
   * a string must be one of {@link Image.tags}. Default `false`: the archive names only the id.
   */
  readonly named?: boolean | string;
}

/**
 * Options of {@link Image.tag}.
 *
 * @example
 * ```ts
 * await image.tag('localhost:5000/app', 'v1', { timeout: 5_000 });
 * ```
 */
export interface TagImageOptions extends CallOptions {
  /**
   * Accepted for compatibility with docker-py and ignored: every supported engine moves an
   * existing tag to the image without being forced.
   */
  readonly force?: boolean;
}

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
   * The image id, `sha256:…`.
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
    const { chunkSize, named = false, ...callOptions } = optionsObject(options);
    if (chunkSize !== undefined && (!Number.isSafeInteger(chunkSize) || chunkSize <= 0)) {
      throw new InvalidArgumentError(`chunkSize must be a positive integer, got ${String(chunkSize)}.`, { argument: 'chunkSize' });
    }
    let name = this.id;
    if (typeof named === 'string') {
      if (!this.tags.includes(named)) {
        throw new InvalidArgumentError(`${JSON.stringify(named)} is not a tag of image ${this.shortId}.`, {
          argument: 'named',
          details: `Its tags: ${this.tags.length > 0 ? this.tags.join(', ') : 'none'}.`,
        });
      }
      name = named;
    } else if (named) {
      name = this.tags[0] ?? this.id;
    }
    const archive = await saveImages(this.client, { names: name }, callOptions);
    return Readable.from(toBuffers(rechunkBytes(archive, chunkSize)));
  }

  /**
   * Gives the image another name (`docker tag`). Resolves to `true` once done. The repository
   * and tag go through the same checks as pull, push and build tags: an invalid one (`..`,
   * uppercase) is an `InvalidArgumentError` before anything is sent.
   *
   * @example
   * ```ts
   * await image.tag('localhost:5000/app', 'v1'); // true
   * ```
   */
  async tag(repository: string, tag?: string, options: TagImageOptions = {}): Promise<boolean> {
    checkTagArguments(repository, tag, options);
    const { force: _ignored, ...callOptions } = options;
    await tagImage(this.client, { name: this.id, repo: repository, ...(tag === undefined ? {} : { tag }) }, callOptions);
    return true;
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
    const fresh = await this.collection.get(this.id, options);
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
