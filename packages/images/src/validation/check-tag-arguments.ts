import { checkCallOptions } from '@berth/engine-protocol';
import { requireReference, requireTag } from './image-names.js';
import { optionsObject } from './options-object.js';

/**
 * Refuses bad arguments of `Image.tag` before the request: the repository goes through the same
 * name check as pull, push and build tags (so `..` or `UPPER` is refused here, not by the
 * engine), the tag through the same tag check.
 *
 * @example
 * ```ts
 * checkTagArguments('localhost:5000/app', 'v1', {});
 * ```
 * @internal
 */
export function checkTagArguments(repository: unknown, tag: unknown, options: object | undefined): void {
  const checked = optionsObject(options) as { signal?: unknown; timeout?: unknown };
  requireReference(repository, 'repository', { digest: false });
  if (tag !== undefined) requireTag(tag, 'tag');
  checkCallOptions({ signal: checked.signal, timeout: checked.timeout });
}
