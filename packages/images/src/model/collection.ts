import type { EngineClient } from '@berth/engine-protocol';
import { Model } from './model.js';

/**
 * The base of every collection: all objects of one kind on one engine. It knows the client and
 * turns raw attributes into models bound to itself ({@link Collection.prepareModel}).
 *
 * @example
 * ```ts
 * const images = new ImageCollection({ client });
 * const image = images.prepareModel(await inspectImage(client, { name: 'busybox' }));
 * ```
 */
export abstract class Collection<ModelType extends Model<Attributes>, Attributes extends object> {
  /** The client of the engine the objects live on. */
  readonly client: EngineClient;

  /**
   * Binds the collection to the engine its objects live on; subclasses pass their client up.
   */
  constructor(client: EngineClient) {
    this.client = client;
  }

  /**
   * Fetches one object by id or name.
   *
   * @example
   * ```ts
   * const image = await images.get('busybox:latest');
   * ```
   */
  abstract get(idOrName: string): Promise<ModelType>;

  /**
   * Creates the model for raw attributes, bound to this collection. Given a model (perhaps of
   * another collection), returns a new model of this collection with the same attributes.
   *
   * @example
   * ```ts
   * const image = images.prepareModel(await inspectImage(client, { name: 'busybox' }));
   * ```
   */
  prepareModel(attributesOrModel: Attributes | ModelType): ModelType {
    const attributes = attributesOrModel instanceof Model ? (attributesOrModel.attrs as Attributes) : attributesOrModel;
    return this.createModel(attributes);
  }

  /**
   * Builds the model object; subclasses say which class.
   */
  protected abstract createModel(attributes: Attributes): ModelType;
}
