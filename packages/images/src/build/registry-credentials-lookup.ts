import type { CredentialsLookup, SessionCredentials } from '@berth/buildkit';
import type { RegistryAuthConfig } from '@berth/engine-protocol';
import type { RegistryCredentialProvider } from '../credentials/registry-credential-provider.js';

// Docker Hub's names: BuildKit asks for `registry-1.docker.io`; config.json keys it as
// `https://index.docker.io/v1/`.
const dockerHubHosts = new Set(['registry-1.docker.io', 'docker.io', 'index.docker.io']);
const dockerHubKey = 'https://index.docker.io/v1/';

/** `https://host:5000/v2/` → `host:5000`; Docker Hub's names → `docker.io`. */
function registryHostOf(key: string): string {
  const host = key.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  return dockerHubHosts.has(host) ? 'docker.io' : host;
}

/**
 * BuildKit's answer for a stored credential: an identity token as the secret with no user name,
 * else user name and password (from `auth` when only that is set). `undefined` when it holds
 * nothing usable.
 *
 * @example
 * ```ts
 * sessionCredentialsOf({ username: 'ci', password: 'p' }); // { username: 'ci', secret: 'p' }
 * ```
 * @internal
 */
export function sessionCredentialsOf(config: RegistryAuthConfig): SessionCredentials | undefined {
  if (config.identitytoken) return { username: '', secret: config.identitytoken };
  let { username, password } = config;
  if ((username === undefined || password === undefined) && config.auth) {
    const decoded = Buffer.from(config.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      username ??= decoded.slice(0, colon);
      password ??= decoded.slice(colon + 1);
    }
  }
  if (!username && !password) return undefined;
  return { username: username ?? '', secret: password ?? '' };
}

/**
 * The build session's credential lookup: the build's `authConfigs` first (keys matched by
 * registry host, whatever their form), then the collection's provider (`forRegistry`, else
 * `forReference` with a reference on that registry).
 *
 * @example
 * ```ts
 * const lookup = registryCredentialsLookup({ 'https://127.0.0.1:5000': { username: 'ci', password } }, provider);
 * await lookup('127.0.0.1:5000'); // { username: 'ci', secret: password }
 * ```
 * @internal
 */
export function registryCredentialsLookup(
  authConfigs: Readonly<Record<string, RegistryAuthConfig>> | undefined,
  provider: RegistryCredentialProvider | undefined,
): CredentialsLookup {
  const explicit = new Map<string, RegistryAuthConfig>();
  for (const [key, config] of Object.entries(authConfigs ?? {})) explicit.set(registryHostOf(key), config);
  return async (host) => {
    const wanted = registryHostOf(host);
    const given = explicit.get(wanted);
    if (given !== undefined) return sessionCredentialsOf(given);
    if (provider === undefined) return undefined;
    const registry = wanted === 'docker.io' ? dockerHubKey : wanted;
    const config = provider.forRegistry !== undefined
      ? await provider.forRegistry(registry)
      : await provider.forReference(wanted === 'docker.io' ? 'docker.io/library/busybox' : `${wanted}/berth/credentials`);
    return config === undefined ? undefined : sessionCredentialsOf(config);
  };
}
