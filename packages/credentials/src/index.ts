// @berth/credentials: registry credentials the Docker CLI way (config.json, the legacy
// ~/.dockercfg, DOCKER_AUTH_CONFIG, credential helpers) and login through the engine.

export { DOCKER_HUB_REGISTRY, registryKeyCandidates } from './registry/registry-key.js';
export { resolveRegistry } from './registry/resolve-registry.js';
export {
  createDockerConfig,
  loadDockerConfig,
  type DockerConfig,
  type LoadDockerConfigOptions,
} from './config/load-docker-config.js';
export type { ConfigLocationOptions } from './config/config-paths.js';
export {
  CredentialStore,
  type CredentialStoreOptions,
  type LoadCredentialStoreOptions,
} from './store/credential-store.js';
export {
  CredentialHelper,
  type CredentialHelperOptions,
  type HelperCredentials,
} from './helper/credential-helper.js';
export { login, type LoginParameters, type LoginResult } from './login/login.js';
export {
  CredentialHelperError,
  type CredentialHelperErrorOptions,
  type CredentialHelperFailure,
  type CredentialHelperOperation,
} from './errors/credential-helper-error.js';
export { DockerConfigError, type DockerConfigErrorOptions } from './errors/docker-config-error.js';
