import { InvalidArgumentError } from '@berth/engine-protocol';
import { describeType } from '@berth/engine-protocol/internal';

/**
 * The options object of a method: `{}` when none was given; anything else than an object (a
 * `null`, a string) is an `InvalidArgumentError` naming `argument`, rather than a `TypeError`
 * from destructuring it.
 * @internal
 */
export function optionsObject<Options extends object>(options: Options | undefined, argument = 'options'): Options {
  if (options === undefined) return {} as Options;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError(`${argument} must be an object, got ${describeType(options)}.`, {
      argument,
    });
  }
  return options;
}
