import { InvalidArgumentError, parseReference, type ImageReference } from '@berth/engine-protocol';

/**
 * The name to save an image under for `Image.save({ named })`: the image id when `named` is
 * `false`, its first tag for `true`, and for a string the image's own tag that names the same
 * reference once both are normalised (`bb` = `bb:latest` = `docker.io/library/bb:latest`;
 * Podman's `docker.io/…`/`localhost/…` tags match their short forms). The engine's spelling is
 * sent, so the archive carries the name as the engine knows it. Refuses, before any request, a
 * string that is not a valid reference or names none of the image's tags.
 *
 * @example
 * ```ts
 * resolveSaveName({ id: 'sha256:3f…', tags: ['docker.io/library/bb:latest'], shortId: 'sha256:3f…' }, 'bb'); // 'docker.io/library/bb:latest'
 * ```
 */
export function resolveSaveName(image: { readonly id: string; readonly shortId: string; readonly tags: readonly string[] }, named: boolean | string): string {
  if (named === false) return image.id;
  if (named === true) return image.tags[0] ?? image.id;
  const wanted = normalizedTag(named);
  const refuse = (reason: string): InvalidArgumentError =>
    new InvalidArgumentError(`${JSON.stringify(named)} ${reason} of image ${image.shortId}.`, {
      argument: 'named',
      details: `Its tags: ${image.tags.length > 0 ? image.tags.join(', ') : 'none'}.`,
    });
  if (wanted === undefined) throw refuse('is not a valid tag reference, so it is not a tag');
  const normalizedTags = image.tags.map((tag) => [tag, normalizedTag(tag)] as const);
  const match =
    normalizedTags.find(([, candidate]) => candidate === wanted)?.[0] ??
    normalizedTags.find(([, candidate]) => candidate !== undefined && unqualified(candidate) === unqualified(wanted))?.[0];
  if (match === undefined) throw refuse('is not a tag');
  return match;
}

/** `domain/path:tag` (tag `latest` when absent), or undefined for a digest or a malformed name. */
function normalizedTag(text: string): string | undefined {
  let reference: ImageReference;
  try {
    reference = parseReference(text);
  } catch {
    return undefined;
  }
  if (reference.digest !== undefined) return undefined;
  return `${reference.name}:${reference.tag ?? 'latest'}`;
}

/**
 * Podman names local images `localhost/<name>` where Docker would say `docker.io/<name>`:
 * both mean "not from a registry" for matching a save name.
 */
function unqualified(normalized: string): string {
  for (const prefix of ['localhost/', 'docker.io/library/', 'docker.io/']) {
    if (normalized.startsWith(prefix)) return normalized.slice(prefix.length);
  }
  return normalized;
}
