import { inspect, type InspectOptionsStylized } from 'node:util';
import type { RegistryAuthConfig } from '@berth/engine-protocol';
import { loadDockerConfig, type DockerConfig, type LoadDockerConfigOptions } from '../config/load-docker-config.js';
import { hasCredentials } from '../config/parse-auth-entries.js';
import { CredentialHelperError } from '../errors/credential-helper-error.js';
import { CredentialHelper, IDENTITY_TOKEN_USERNAME, type HelperCredentials } from '../helper/credential-helper.js';
import { printableAuthConfig } from '../redaction/redact.js';
import { canonicalRegistryKey, comparableRegistryKey, findRegistryEntry } from '../registry/registry-key.js';

/**
 * Options of {@link CredentialStore}.
 *
 * @example
 * ```ts
 * const config = await loadDockerConfig({ configDirectory: '/etc/ci/docker' });
 * const store = new CredentialStore(config, { helperTimeout: 10_000, onWarning: (message) => logger.warn(message) });
 * ```
 */
export interface CredentialStoreOptions {
  /** Environment of credential helpers; its `PATH` is where they are looked up. Default: `process.env`. */
  readonly environment?: Readonly<Record<string, string | undefined>> | undefined;
  /** Milliseconds a credential helper may take. Default: 30 000. */
  readonly helperTimeout?: number | undefined;
  /**
   * Receives non-fatal problems: config entries that were skipped, a `credHelpers` helper that
   * failed during {@link CredentialStore.getAll}. Never given a secret. Default:
   * `process.emitWarning`.
   */
  readonly onWarning?: ((message: string) => void) | undefined;
}

/**
 * Options of {@link CredentialStore.load}.
 *
 * @example
 * ```ts
 * const store = await CredentialStore.load({ configDirectory: '/ci/docker', onWarning: console.warn });
 * ```
 */
export type LoadCredentialStoreOptions = LoadDockerConfigOptions & CredentialStoreOptions;

function defaultWarning(message: string): void {
  process.emitWarning(message, { type: 'BerthCredentialsWarning' });
}

function tryCanonical(key: string): string | undefined {
  try {
    return canonicalRegistryKey(key);
  } catch {
    return undefined;
  }
}

/**
 * A helper's credentials for a registry, whatever spelling they were stored under. Asked first
 * as the CLI asks (the canonical key: `registry.example.com`, Docker Hub's
 * `https://index.docker.io/v1/`), then under the key as written in `credHelpers`
 * (`https://registry.example.com`), then under any spelling of the same host in the helper's
 * own `list` (a login made with a URL): the same normalisation on both sides.
 */
async function askHelper(helper: CredentialHelper, key: string, written: string | undefined): Promise<HelperCredentials | undefined> {
  const asked = new Set([key]);
  const direct = await helper.get(key);
  if (direct !== undefined) return direct;
  if (written !== undefined && !asked.has(written)) {
    asked.add(written);
    const credentials = await helper.get(written);
    if (credentials !== undefined) return credentials;
  }
  let listed: Record<string, string>;
  try {
    listed = await helper.list();
  } catch (error) {
    // A helper without a usable `list` simply has nothing more to offer.
    if (error instanceof CredentialHelperError) return undefined;
    throw error;
  }
  const wanted = comparableRegistryKey(key);
  for (const serverUrl of Object.keys(listed)) {
    if (asked.has(serverUrl) || comparableRegistryKey(serverUrl) !== wanted) continue;
    asked.add(serverUrl);
    const credentials = await helper.get(serverUrl);
    if (credentials !== undefined) return credentials;
  }
  return undefined;
}

/** Helper answer → engine credentials; `<token>` marks an identity token. */
function fromHelper(credentials: HelperCredentials, serveraddress: string): RegistryAuthConfig {
  if (credentials.username === IDENTITY_TOKEN_USERNAME) return printableAuthConfig({ identitytoken: credentials.secret, serveraddress });
  const authConfig: RegistryAuthConfig = { username: credentials.username, serveraddress };
  if (credentials.secret !== '') authConfig.password = credentials.secret;
  return printableAuthConfig(authConfig);
}

function fromEntry(entry: RegistryAuthConfig, serveraddress: string): RegistryAuthConfig {
  return printableAuthConfig({ ...entry, serveraddress });
}

/**
 * Finds registry credentials the way the Docker CLI does, ready for `X-Registry-Auth`
 * (`authConfig` of pull/push) and `X-Registry-Config` (build). Precedence for one registry:
 *
 * 1. `DOCKER_AUTH_CONFIG`'s `auths` entry for it;
 * 2. `credHelpers[registry]`, else `credsStore`: the helper's answer is final. "Credentials not
 *    found" means anonymous; the file's `auths` are NOT consulted (the CLI's native store
 *    overwrites the file entry with the helper's empty answer);
 * 3. the file's `auths` (decoded `auth`, or `username`/`password`, plus `identitytoken`).
 *
 * Registry keys match in any spelling (`https://host/v1/`, `http://host`, `host:port`; Docker
 * Hub's aliases), an exact spelling first. Helpers are asked for the canonical key
 * (`https://index.docker.io/v1/` or `host[:port]`). Nothing is cached: every call reads the
 * helpers afresh. Printing the store or what it returns shows no secrets.
 *
 * @example
 * ```ts
 * const store = await CredentialStore.load();
 * const authConfig = await store.get(resolveRegistry('localhost:5000/app:v1'));
 * const progress = await pullImage(client, { fromImage: 'localhost:5000/app', tag: 'v1', ...(authConfig && { authConfig }) });
 * ```
 */
export class CredentialStore {
  /** The configuration this store reads. */
  readonly config: DockerConfig;
  readonly #environment: Readonly<Record<string, string | undefined>>;
  readonly #helperTimeout: number | undefined;
  readonly #onWarning: (message: string) => void;

  /**
   * Reads the configuration ({@link loadDockerConfig}) and returns a store over it. Config
   * warnings go to `onWarning` and stay in `store.config.warnings`.
   *
   * @example
   * ```ts
   * const store = await CredentialStore.load({ environment: { ...process.env, DOCKER_CONFIG: '/ci/docker' } });
   * ```
   */
  static async load(options: LoadCredentialStoreOptions = {}): Promise<CredentialStore> {
    const config = await loadDockerConfig(options);
    const store = new CredentialStore(config, options);
    for (const warning of config.warnings) store.#onWarning(warning);
    return store;
  }

  constructor(config: DockerConfig, options: CredentialStoreOptions = {}) {
    this.config = config;
    this.#environment = options.environment ?? process.env;
    this.#helperTimeout = options.helperTimeout;
    this.#onWarning = options.onWarning ?? defaultWarning;
  }

  /**
   * The helper that holds this registry's credentials: its `credHelpers` entry, else
   * `credsStore`, else `undefined` (credentials live in the file).
   *
   * @example
   * ```ts
   * store.helperFor('localhost:5000')?.program; // 'docker-credential-pass'
   * ```
   */
  helperFor(registry: string): CredentialHelper | undefined {
    const name = findRegistryEntry(this.config.credentialHelpers, canonicalRegistryKey(registry))?.value ?? this.config.credentialsStore;
    return name === undefined ? undefined : new CredentialHelper(name, { environment: this.#environment, timeout: this.#helperTimeout });
  }

  /**
   * Credentials for a registry (`localhost:5000`, `https://index.docker.io/v1/`, `docker.io`…;
   * use `resolveRegistry(image)` for an image reference), or `undefined` for anonymous access.
   * `serveraddress` is set to the canonical key. Rejects with `CredentialHelperError` when the
   * responsible helper fails (other than "not found").
   *
   * @example
   * ```ts
   * const authConfig = await store.get('localhost:5000');
   * if (authConfig) await pushImage(client, { name: 'localhost:5000/app', tag: 'v1', authConfig });
   * ```
   */
  async get(registry: string): Promise<RegistryAuthConfig | undefined> {
    const key = canonicalRegistryKey(registry);
    const fromEnvironment = findRegistryEntry(this.config.environmentAuths, key);
    if (fromEnvironment !== undefined) return hasCredentials(fromEnvironment.value) ? fromEntry(fromEnvironment.value, key) : undefined;
    const helper = this.helperFor(key);
    if (helper !== undefined) {
      const written = findRegistryEntry(this.config.credentialHelpers, key)?.key;
      const credentials = await askHelper(helper, key, written);
      return credentials === undefined ? undefined : fromHelper(credentials, key);
    }
    const fromFile = findRegistryEntry(this.config.auths, key);
    return fromFile !== undefined && hasCredentials(fromFile.value) ? fromEntry(fromFile.value, key) : undefined;
  }

  /**
   * Every configured registry's credentials, keyed canonically, for a build's
   * `X-Registry-Config`: the `credsStore` helper's `list` then `get` of each (or the file's
   * `auths` without a store), then each `credHelpers` registry (a failing one is skipped with a
   * warning, as in the CLI), then `DOCKER_AUTH_CONFIG` over all. Registries without
   * credentials are left out.
   *
   * @example
   * ```ts
   * import { createReadStream } from 'node:fs';
   *
   * // Every credential, for a build's X-Registry-Config (the build may pull from any registry).
   * const registryConfig = await store.getAll();
   * const progress = await buildImage(client, { body: createReadStream('context.tar'), registryConfig });
   * ```
   */
  async getAll(): Promise<Record<string, RegistryAuthConfig>> {
    const result: Record<string, RegistryAuthConfig> = {};
    const { credentialsStore, credentialHelpers, auths, environmentAuths } = this.config;

    if (credentialsStore !== undefined) {
      const helper = new CredentialHelper(credentialsStore, { environment: this.#environment, timeout: this.#helperTimeout });
      for (const serverUrl of Object.keys(await helper.list())) {
        const key = tryCanonical(serverUrl);
        if (key === undefined) continue;
        const credentials = await helper.get(serverUrl);
        if (credentials !== undefined) result[key] = fromHelper(credentials, key);
      }
    } else {
      for (const written of Object.keys(auths)) {
        const key = tryCanonical(written);
        if (key === undefined || key in result) continue;
        // The same winner as get(): an exact spelling beats another spelling of the host.
        const entry = findRegistryEntry(auths, key);
        if (entry !== undefined && hasCredentials(entry.value)) result[key] = fromEntry(entry.value, key);
      }
    }

    const helperKeys = new Set(Object.keys(credentialHelpers).map(tryCanonical).filter((key) => key !== undefined));
    for (const key of helperKeys) {
      const helper = this.helperFor(key);
      if (helper === undefined) continue;
      try {
        const credentials = await askHelper(helper, key, findRegistryEntry(credentialHelpers, key)?.key);
        if (credentials === undefined) delete result[key];
        else result[key] = fromHelper(credentials, key);
      } catch (error) {
        if (!(error instanceof CredentialHelperError)) throw error;
        this.#onWarning(`Skipped the credentials of ${key}: ${error.shortMessage}`);
      }
    }

    for (const written of Object.keys(environmentAuths)) {
      const key = tryCanonical(written);
      if (key === undefined) continue;
      const entry = findRegistryEntry(environmentAuths, key);
      if (entry !== undefined && hasCredentials(entry.value)) result[key] = fromEntry(entry.value, key);
      else delete result[key];
    }
    return result;
  }

  /**
   * Where the store reads from; no secrets.
   *
   * @example
   * ```ts
   * String(store); // 'CredentialStore(/home/me/.docker/config.json, credsStore: pass)'
   * ```
   */
  toString(): string {
    const parts = [this.config.source ?? `${this.config.configDirectory} (no config file)`];
    if (this.config.credentialsStore !== undefined) parts.push(`credsStore: ${this.config.credentialsStore}`);
    const helpers = Object.keys(this.config.credentialHelpers).length;
    if (helpers > 0) parts.push(`credHelpers: ${helpers}`);
    if (Object.keys(this.config.environmentAuths).length > 0) parts.push('DOCKER_AUTH_CONFIG');
    return `CredentialStore(${parts.join(', ')})`;
  }

  /**
   * The configuration with every secret replaced by `[redacted]`.
   *
   * @example
   * ```ts
   * JSON.stringify(store); // {"config":{"auths":{"localhost:5000":{"username":"me","password":"[redacted]"}}, …}}
   * ```
   */
  toJSON(): unknown {
    return { config: this.config };
  }

  /**
   * `util.inspect` / `console.log` view: the redacted configuration.
   *
   * @example
   * ```ts
   * console.log(store); // CredentialStore { config: { auths: { 'localhost:5000': { username: 'me', password: '[redacted]' } }, … } }
   * ```
   */
  [inspect.custom](_depth: number, options: InspectOptionsStylized): string {
    return `CredentialStore ${inspect({ config: this.config }, options)}`;
  }
}
