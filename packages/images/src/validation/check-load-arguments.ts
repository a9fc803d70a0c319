import { InvalidArgumentError } from '@berth/engine-protocol';
import type { LoadOptions } from '../image-collection-options.js';
import { optionsObject } from './options-object.js';
import { checkBoolean, checkOperationOptions, checkPlatform } from './option-values.js';

/**
 * Refuses bad arguments of `ImageCollection.load` before anything starts (the archive itself is
 * checked when it is opened).
 *
 * @example
 * ```ts
 * checkLoadArguments('./app.tar', { quiet: true });
 * ```
 * @internal
 */
export function checkLoadArguments(data: unknown, options: LoadOptions | undefined): void {
  const checked = optionsObject(options);
  if (data === undefined || data === null) {
    throw new InvalidArgumentError(`Cannot load images from ${String(data)}: give a path, bytes or a stream.`, { argument: 'data' });
  }
  checkBoolean(checked.quiet, 'quiet');
  const platforms: unknown[] = Array.isArray(checked.platform) ? checked.platform : [checked.platform];
  for (const platform of platforms) checkPlatform(platform, 'platform');
  checkOperationOptions(checked);
}
