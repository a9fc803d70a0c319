import { DOCKER_HUB_DOMAIN, OFFICIAL_NAMESPACE, identifierPattern } from './grammar.js';

/**
 * A parsed, normalised image reference.
 *
 * @example
 * ```ts
 * const reference = parseReference('busybox:1.36');
 * reference.name; // 'docker.io/library/busybox'
 * reference.familiarName; // 'busybox'
 * reference.tag; // '1.36'
 * String(reference); // 'busybox:1.36'
 * ```
 */
export interface ImageReference {
  /** Registry domain, e.g. `docker.io`, `localhost:5000`, `[::1]:5000`. */
  readonly domain: string;
  /** Repository path inside the registry, e.g. `library/busybox`. */
  readonly path: string;
  /** The tag, if the reference has one (no default `latest` is added). */
  readonly tag: string | undefined;
  /** The digest (`algorithm:hex`), if the reference has one. */
  readonly digest: string | undefined;
  /** Fully qualified repository name: `domain/path`, e.g. `docker.io/library/busybox`. */
  readonly name: string;
  /** The name as the Docker CLI shows it: `busybox`, `user/app`, `localhost:5000/app` (a 64-hex Hub name keeps `docker.io/`). */
  readonly familiarName: string;
  /** The familiar form with tag and digest, e.g. `busybox:1.36@sha256:…`. */
  toString(): string;
}

/**
 * The name as the Docker CLI shows it: Docker Hub's domain dropped, and `library/` dropped
 * when nothing nests below it. Unlike the CLI, a name that would shrink to a bare 64-hex
 * string keeps `docker.io/`, so that it still parses as a name and not as an image ID.
 */
function familiarNameOf(domain: string, path: string): string {
  if (domain !== DOCKER_HUB_DOMAIN) return `${domain}/${path}`;
  const officialPrefix = `${OFFICIAL_NAMESPACE}/`;
  if (path.startsWith(officialPrefix) && !path.slice(officialPrefix.length).includes('/')) {
    const official = path.slice(officialPrefix.length);
    return identifierPattern.test(official) ? `${DOCKER_HUB_DOMAIN}/${official}` : official;
  }
  return path;
}

/**
 * Builds the immutable reference object from parts that were already validated.
 * Internal to the reference module; callers use `parseReference`.
 */
export function createImageReference(parts: {
  domain: string;
  path: string;
  tag: string | undefined;
  digest: string | undefined;
}): ImageReference {
  const familiarName = familiarNameOf(parts.domain, parts.path);
  const text =
    familiarName +
    (parts.tag === undefined ? '' : `:${parts.tag}`) +
    (parts.digest === undefined ? '' : `@${parts.digest}`);
  return Object.freeze({
    domain: parts.domain,
    path: parts.path,
    tag: parts.tag,
    digest: parts.digest,
    name: `${parts.domain}/${parts.path}`,
    familiarName,
    toString: () => text,
  });
}
