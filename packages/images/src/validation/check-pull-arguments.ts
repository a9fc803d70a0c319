import type { PullOptions } from '../image-collection-options.js';
import { requireReference, requireTag } from './image-names.js';
import { optionsObject } from './options-object.js';
import { checkAuthConfig, checkBoolean, checkOperationOptions, checkPlatform } from './option-values.js';

/**
 * Refuses bad arguments of `ImageCollection.pull` before anything starts, with an
 * `InvalidArgumentError` naming the argument: a repository that is not an image name (also
 * `null`, a number, `..`), a tag that is neither a tag nor a digest, a bad platform, credentials
 * that are not an object of strings, a `signal` that is not an `AbortSignal`, a bad `timeout`.
 *
 * @example
 * ```ts
 * checkPullArguments('localhost:5000/app', { tag: 'v1' });
 * ```
 * @internal
 */
export function checkPullArguments(repository: unknown, options: PullOptions | undefined): void {
  const checked = optionsObject(options);
  requireReference(repository, 'repository');
  if (checked.tag !== undefined && checked.tag !== '') requireTag(checked.tag, 'tag', { digest: true });
  checkBoolean(checked.allTags, 'allTags');
  checkPlatform(checked.platform, 'platform');
  checkAuthConfig(checked.authConfig, 'authConfig');
  checkOperationOptions(checked);
}
