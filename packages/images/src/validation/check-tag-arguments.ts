import { InvalidArgumentError } from '@berth/engine-protocol';
import { checkCallOptions } from '@berth/engine-protocol/internal';
import { requireReference, requireTag } from './image-names.js';
import { optionsObject } from './options-object.js';

/**
 * Refuses bad arguments of `Image.tag` before the request: the repository goes through the same
 * name check as pull, push and build tags (so `..` or `UPPER` is refused here, not by the
 * engine), the tag through the same tag check. `force` (docker-py's, and this package's before
 * 0.x) is refused rather than ignored: the engine moves an existing tag without it.
 *
 * @example
 * ```ts
 * checkTagArguments('localhost:5000/app', 'v1', {});
 * ```
 * @internal
 */
export function checkTagArguments(repository: unknown, tag: unknown, options: object | undefined): void {
  const checked = optionsObject(options) as { signal?: unknown; timeout?: unknown; force?: unknown };
  if ('force' in checked) {
    throw new InvalidArgumentError(
      'Image.tag() has no force option: an existing tag of that name moves to the image without it (the Engine API dropped force in 1.24).',
      { argument: 'force' },
    );
  }
  requireReference(repository, 'repository', { digest: false });
  if (tag !== undefined) requireTag(tag, 'tag');
  checkCallOptions({ signal: checked.signal, timeout: checked.timeout });
}
