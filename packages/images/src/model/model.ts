import { inspect } from 'node:util';
import type { EngineClient } from '@berth/engine-protocol';
import { shortenId } from './short-id.js';

/**
 * The base of every object Berth models (an image, the registry data of an image, …): the raw
 * attributes the engine returned, an id, and a way to fetch them again.
 *
 * Two models are equal (see {@link Model.equals}) when they are of the same class and have the
 * same id, whatever their attributes.
 *
 * @example
 * ```ts
 * const image = await images.get('busybox:latest');
 * console.log(image.id, image.shortId, image.attrs.Created);
 * await image.reload();
 * ```
 */
export abstract class Model<Attributes extends object> {
  /** The raw representation of the object, as the engine returned it. Replaced by {@link Model.reload}. */
  attrs: Attributes;

  /**
   * Wraps raw attributes; subclasses call it with what the engine returned and add how to
   * reach their client.
   */
  constructor(attrs: Attributes) {
    this.attrs = attrs;
  }

  /** The client this object was fetched through. */
  abstract get client(): EngineClient;

  /**
   * The id of the object.
   *
   * @example
   * ```ts
   * image.id; // 'sha256:3294076610dbfcdd019a71ce46d73876acb29d05e22fb747e9aec576ee53e518'
   * ```
   */
  abstract get id(): string;

  /**
   * The id shortened like the docker CLI shows it: `sha256:` plus 12 hex characters when the id
   * has that prefix, else its first 12 characters.
   *
   * @example
   * ```ts
   * image.shortId; // 'sha256:3294076610db'
   * ```
   */
  get shortId(): string {
    return shortenId(this.id);
  }

  /**
   * Loads the object from the engine again and replaces {@link Model.attrs}. Resolves to the
   * model itself.
   *
   * @example
   * ```ts
   * await image.reload();
   * console.log(image.tags);
   * ```
   */
  abstract reload(): Promise<this>;

  /**
   * Whether `other` is a model of the same class with the same id.
   *
   * @example
   * ```ts
   * (await images.get('busybox:latest')).equals(await images.get(image.id)); // true when both name the same image
   * ```
   */
  equals(other: unknown): boolean {
    return other instanceof Model && other.constructor === this.constructor && other.id === this.id;
  }

  /**
   * `<ClassName: shortId>`, for logs.
   *
   * @example
   * ```ts
   * String(image); // '<Image: sha256:3294076610db>'
   * ```
   */
  toString(): string {
    return `<${this.constructor.name}: ${this.shortId}>`;
  }

  /** What `console.log` and `util.inspect` show. */
  [inspect.custom](): string {
    return this.toString();
  }
}
