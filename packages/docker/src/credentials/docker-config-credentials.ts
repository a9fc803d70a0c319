import { InvalidArgumentError, type RegistryAuthConfig } from '@berth/engine-protocol';
import { CredentialStore, DOCKER_HUB_REGISTRY, resolveRegistry } from '@berth/credentials';
import type { RegistryCredentialProvider } from '@berth/images';

/**
 * Options of {@link dockerConfigCredentials}.
 *
 * @example
 * ```ts
 * const credentials = dockerConfigCredentials({ configDirectory: '/ci/docker' });
 * ```
 */
export interface DockerConfigCredentialsOptions {
  /** Where `DOCKER_CONFIG`, `DOCKER_AUTH_CONFIG`, `HOME` and `PATH` (for helpers) are read. Default: `process.env`. */
  readonly environment?: Readonly<Record<string, string | undefined>> | undefined;
  /** The docker configuration directory. Default: `DOCKER_CONFIG`, else `~/.docker`. */
  readonly configDirectory?: string | undefined;
}

/**
 * Registry credentials from the docker CLI's configuration (`config.json`, credential helpers,
 * `DOCKER_AUTH_CONFIG`) through `@berth/credentials`, as an image collection's
 * `RegistryCredentialProvider`. The configuration is read on first use, once; a failed read is
 * retried by the next call.
 *
 * @example
 * ```ts
 * const images = new ImageCollection({ client, credentials: dockerConfigCredentials() });
 * await images.pull('localhost:5000/app:v1'); // X-Registry-Auth from config.json
 * ```
 */
export function dockerConfigCredentials(options: DockerConfigCredentialsOptions = {}): RegistryCredentialProvider {
  let loading: Promise<CredentialStore> | undefined;
  const store = (): Promise<CredentialStore> => {
    loading ??= CredentialStore.load({
      ...(options.environment === undefined ? {} : { environment: options.environment }),
      ...(options.configDirectory === undefined ? {} : { configDirectory: options.configDirectory }),
    }).catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
  return {
    async forReference(reference: string): Promise<RegistryAuthConfig | undefined> {
      return (await store()).get(registryOf(reference));
    },
    async all(): Promise<Record<string, RegistryAuthConfig>> {
      return (await store()).getAll();
    },
    // A BuildKit build session asks per registry host.
    async forRegistry(registry: string): Promise<RegistryAuthConfig | undefined> {
      return (await store()).get(registry);
    },
  };
}

/**
 * The registry of an image reference, or of a search term (which may be free text): for those
 * the CLI takes the first path component when it looks like a host, else Docker Hub.
 */
function registryOf(reference: string): string {
  try {
    return resolveRegistry(reference);
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    const slash = reference.indexOf('/');
    const first = slash === -1 ? '' : reference.slice(0, slash);
    const isHost = first.includes('.') || first.includes(':') || first === 'localhost';
    return isHost ? first : DOCKER_HUB_REGISTRY;
  }
}
