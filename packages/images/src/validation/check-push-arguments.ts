import type { PushOptions } from '../image-collection-options.js';
import { requireReference, requireTag } from './image-names.js';
import { optionsObject } from './options-object.js';
import { checkAuthConfig, checkOperationOptions, checkPlatform } from './option-values.js';

/**
 * Refuses bad arguments of `ImageCollection.push` before anything starts, with an
 * `InvalidArgumentError` naming the argument (`undefined` and other non-names included; a digest
 * cannot be pushed as a tag).
 *
 * @example
 * ```ts
 * checkPushArguments('localhost:5000/app', { tag: 'v1' });
 * ```
 * @internal
 */
export function checkPushArguments(repository: unknown, options: PushOptions | undefined): void {
  const checked = optionsObject(options);
  requireReference(repository, 'repository', { digest: false });
  if (checked.tag !== undefined && checked.tag !== '') requireTag(checked.tag, 'tag');
  checkPlatform(checked.platform, 'platform');
  checkAuthConfig(checked.authConfig, 'authConfig');
  checkOperationOptions(checked);
}
