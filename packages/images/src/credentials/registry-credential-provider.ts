import type { RegistryAuthConfig } from '@berth/engine-protocol';

/**
 * Where an {@link ImageCollection} finds registry credentials when a call gives none. Another
 * package (reading `config.json`, credential helpers, …) implements it; any object with these two
 * methods will do.
 *
 * - `forReference` gets an image reference or search term (`registry.example.com/team/app:v1`)
 *   and answers the credentials for that reference's registry, or `undefined` for anonymous.
 * - `all` answers every known credential, keyed by registry (`X-Registry-Config` of a build).
 * - `forRegistry` (optional) answers for a registry host (`127.0.0.1:5000`, or
 *   `https://index.docker.io/v1/` for Docker Hub), which a BuildKit build session asks for;
 *   without it the collection asks `forReference` with a reference on that registry.
 *
 * @example
 * ```ts
 * const credentials: RegistryCredentialProvider = {
 *   async forReference(reference) {
 *     return reference.startsWith('registry.example.com/')
 *       ? { username: 'ci', password: process.env.REGISTRY_PASSWORD, serveraddress: 'registry.example.com' }
 *       : undefined;
 *   },
 *   async all() {
 *     return { 'registry.example.com': { username: 'ci', password: process.env.REGISTRY_PASSWORD } };
 *   },
 * };
 * const images = new ImageCollection({ client, credentials });
 * ```
 */
export interface RegistryCredentialProvider {
  /** Credentials for the registry of `reference`, or `undefined` to go anonymous. */
  forReference(reference: string): Promise<RegistryAuthConfig | undefined>;
  /** Every known credential, keyed by registry address. */
  all(): Promise<Record<string, RegistryAuthConfig>>;
  /** Credentials for a registry host (Docker Hub: `https://index.docker.io/v1/`), or `undefined`. */
  forRegistry?(registry: string): Promise<RegistryAuthConfig | undefined>;
}
