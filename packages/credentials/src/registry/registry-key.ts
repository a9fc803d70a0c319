import { InvalidArgumentError } from '@berth/engine-protocol';

/**
 * The key under which the Docker CLI files Docker Hub credentials (in `auths`, in helpers, in
 * `X-Registry-Config`). Every Docker Hub alias maps to it.
 *
 * @example
 * ```ts
 * const hub = await store.get(DOCKER_HUB_REGISTRY);
 * ```
 */
export const DOCKER_HUB_REGISTRY = 'https://index.docker.io/v1/';

const dockerHubHosts = ['index.docker.io', 'docker.io', 'registry-1.docker.io'] as const;

/** `scheme://` at the start of a key, in any case. */
const schemePattern = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Host (and port) of a key written in any form: scheme and path dropped. */
function hostOf(key: string): string {
  const withoutScheme = key.trim().replace(schemePattern, '');
  const slash = withoutScheme.indexOf('/');
  return slash === -1 ? withoutScheme : withoutScheme.slice(0, slash);
}

/** True when the host (any case) is one of Docker Hub's names. */
function isDockerHubHost(host: string): boolean {
  return (dockerHubHosts as readonly string[]).includes(host.toLowerCase());
}

/**
 * The form two keys are compared in: host and port only, lower case, every Docker Hub alias
 * folded into `docker.io`. `https://Host:5000/v1/` and `host:5000` compare equal.
 *
 * @example
 * ```ts
 * comparableRegistryKey('https://Host:5000/v1/'); // 'host:5000'
 * ```
 */
export function comparableRegistryKey(key: string): string {
  const host = hostOf(key).toLowerCase();
  return isDockerHubHost(host) ? 'docker.io' : host;
}

/**
 * The canonical key of a registry: {@link DOCKER_HUB_REGISTRY} for Docker Hub, `host[:port]`
 * otherwise (scheme and path dropped, case kept). This is what the CLI asks helpers for.
 * Throws `InvalidArgumentError` when nothing is left.
 *
 * @example
 * ```ts
 * canonicalRegistryKey('docker.io'); // 'https://index.docker.io/v1/'
 * canonicalRegistryKey('http://localhost:5000/v2/'); // 'localhost:5000'
 * ```
 */
export function canonicalRegistryKey(registry: string, argument = 'registry'): string {
  if (typeof registry !== 'string') {
    throw new InvalidArgumentError(`${argument} must be a string, got ${typeof registry}.`, { argument });
  }
  const host = hostOf(registry);
  if (host === '' || /\s/.test(host)) {
    throw new InvalidArgumentError(`${argument} ${JSON.stringify(registry)} names no registry host.`, {
      argument,
      details: 'Pass a registry such as "localhost:5000" or "https://index.docker.io/v1/"; for an image reference use resolveRegistry() first.',
    });
  }
  return isDockerHubHost(host) ? DOCKER_HUB_REGISTRY : host;
}

/**
 * The spellings under which a registry's entry may be filed in a config file, best first: the
 * canonical key, then the bare host and its `http(s)://` forms with or without `/v1/`, `/v2/`
 * (for Docker Hub, for each of its names). Lookups try these exactly, then fall back to any key
 * whose host and port match (case-insensitively).
 *
 * @example
 * ```ts
 * registryKeyCandidates('localhost:5000');
 * // ['localhost:5000', 'https://localhost:5000', 'https://localhost:5000/', 'http://localhost:5000', …]
 * registryKeyCandidates('docker.io')[0]; // 'https://index.docker.io/v1/'
 * ```
 */
export function registryKeyCandidates(registry: string): string[] {
  const canonical = canonicalRegistryKey(registry);
  const hosts = canonical === DOCKER_HUB_REGISTRY ? dockerHubHosts : [canonical];
  const candidates = new Set<string>([canonical]);
  for (const host of hosts) {
    for (const form of [
      host,
      `https://${host}`,
      `https://${host}/`,
      `http://${host}`,
      `http://${host}/`,
      `https://${host}/v1/`,
      `http://${host}/v1/`,
      `https://${host}/v2/`,
      `http://${host}/v2/`,
    ]) {
      candidates.add(form);
    }
  }
  return [...candidates];
}

/**
 * Finds a registry's entry in a map keyed the way config files are: an exact candidate first
 * (in {@link registryKeyCandidates} order), else the first key naming the same host and port.
 *
 * @example
 * ```ts
 * findRegistryEntry({ 'https://localhost:5000': 1 }, 'localhost:5000'); // { key: 'https://localhost:5000', value: 1 }
 * ```
 */
export function findRegistryEntry<T>(
  entries: Readonly<Record<string, T>>,
  registry: string,
): { key: string; value: T } | undefined {
  for (const candidate of registryKeyCandidates(registry)) {
    if (Object.hasOwn(entries, candidate)) return { key: candidate, value: entries[candidate] as T };
  }
  const wanted = comparableRegistryKey(registry);
  for (const [key, value] of Object.entries(entries)) {
    if (comparableRegistryKey(key) === wanted) return { key, value };
  }
  return undefined;
}
