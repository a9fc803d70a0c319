import { InvalidArgumentError } from '@berth/engine-protocol';
import { DOCKER_HUB_REGISTRY } from './registry-key.js';

// The grammar of github.com/distribution/reference, which the CLI and the daemon use.
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainPattern = new RegExp(`^(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const pathComponentPattern = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
const digestPattern = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const maximumNameLength = 255;
const dockerHubDomains = ['docker.io', 'index.docker.io', 'registry-1.docker.io'];

function invalid(reference: string, reason: string): InvalidArgumentError {
  return new InvalidArgumentError(`Invalid image reference ${JSON.stringify(reference)}: ${reason}.`, {
    argument: 'reference',
    details: 'Expected [registry/]repository[:tag][@digest], e.g. "localhost:5000/app:v1" or "busybox".',
  });
}

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
 * const authConfig = await store.get(resolveRegistry(image));
 * ```
 */
export function resolveRegistry(reference: string): string {
  if (typeof reference !== 'string') {
    throw new InvalidArgumentError(`reference must be a string, got ${typeof reference}.`, { argument: 'reference' });
  }
  if (reference === '') throw invalid(reference, 'it is empty');
  if (/\s/.test(reference)) throw invalid(reference, 'it contains white space');
  if (reference.includes('://')) throw invalid(reference, 'an image reference has no URL scheme');

  const at = reference.indexOf('@');
  const name = at === -1 ? reference : reference.slice(0, at);
  if (at !== -1 && !digestPattern.test(reference.slice(at + 1))) throw invalid(reference, 'the digest is malformed');

  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const hasDomain =
    slash !== -1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.toLowerCase() !== first);
  const domain = hasDomain ? first : undefined;
  const remainder = hasDomain ? name.slice(slash + 1) : name;

  // Past the domain, a colon can only start the tag.
  const colon = remainder.lastIndexOf(':');
  const path = colon === -1 ? remainder : remainder.slice(0, colon);
  if (colon !== -1 && !tagPattern.test(remainder.slice(colon + 1))) throw invalid(reference, 'the tag is malformed');
  if (path === '') throw invalid(reference, 'the repository name is missing');
  if (!path.split('/').every((component) => pathComponentPattern.test(component))) {
    throw invalid(reference, 'the repository name must be lower-case letters, digits and separators (. _ __ -) between slashes');
  }
  if (domain !== undefined && !domainPattern.test(domain)) throw invalid(reference, `${JSON.stringify(domain)} is not a valid registry host`);
  const fullName = domain === undefined ? path : `${domain}/${path}`;
  if (fullName.length > maximumNameLength) throw invalid(reference, `the name is longer than ${maximumNameLength} characters`);

  if (domain === undefined || dockerHubDomains.includes(domain.toLowerCase())) return DOCKER_HUB_REGISTRY;
  return domain;
}
