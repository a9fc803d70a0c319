import { InvalidArgumentError, parseReference } from '@berth/engine-protocol';
import { DOCKER_HUB_REGISTRY } from './registry-key.js';

const dockerHubDomains = ['docker.io', 'index.docker.io', 'registry-1.docker.io'];

/**
 * The credentials key of an image reference's registry, the way the Docker CLI finds it. The
 * first path component is a registry when it contains `.` or `:`, is `localhost`, or has an
 * upper-case letter (as in distribution/reference); otherwise the image is on Docker Hub. Docker
 * Hub (no registry, `docker.io`, `index.docker.io`, `registry-1.docker.io`) gives
 * {@link DOCKER_HUB_REGISTRY}; other registries give `host[:port]` as written. Tag and digest
 * are ignored. Throws `InvalidArgumentError` for a malformed reference.
 *
 * @example
 * ```ts
 * resolveRegistry('busybox:latest'); // 'https://index.docker.io/v1/'
 * resolveRegistry('localhost:5000/app:v1'); // 'localhost:5000'
 * resolveRegistry('[::1]:5000/team/app@sha256:…'); // '[::1]:5000'
 * const authConfig = await store.get(resolveRegistry('localhost:5000/app:v1'));
 * ```
 */
export function resolveRegistry(reference: string): string {
  if (typeof reference !== 'string') {
    throw new InvalidArgumentError(`reference must be a string, got ${typeof reference}.`, { argument: 'reference' });
  }
  // The one reference grammar of the project (distribution/reference), shared with images.
  const { domain } = parseReference(reference);
  if (dockerHubDomains.includes(domain.toLowerCase())) return DOCKER_HUB_REGISTRY;
  return domain;
}
