import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RegistryAuthConfig } from '@berth/engine-protocol';
import { DockerConfigError } from '../errors/docker-config-error.js';
import { printableAuthConfig, redactAuthConfig, withRedactedView } from '../redaction/redact.js';
import { configDirectoryOf, configFilePath, homeDirectory, type ConfigLocationOptions } from './config-paths.js';
import { parseConfigText, type ParsedConfigDocument } from './parse-config-text.js';
import { parseLegacyDockercfg } from './parse-legacy-dockercfg.js';

/**
 * Options of {@link loadDockerConfig}.
 *
 * @example
 * ```ts
 * const config = await loadDockerConfig({ environment: { ...process.env, DOCKER_CONFIG: '/ci/docker' } });
 * ```
 */
export type LoadDockerConfigOptions = ConfigLocationOptions;

/**
 * The credential settings of a Docker client configuration. Printing it (`util.inspect`,
 * `console.log`, `JSON.stringify`) shows every secret as `[redacted]`.
 *
 * @example
 * ```ts
 * const config: DockerConfig = await loadDockerConfig();
 * if (config.credentialsStore) console.log(`helper: docker-credential-${config.credentialsStore}`);
 * ```
 */
export interface DockerConfig {
  /** The config directory in use. */
  readonly configDirectory: string;
  /** The file read: `config.json`, the legacy `~/.dockercfg`, or `undefined` when neither exists. */
  readonly source: string | undefined;
  /** Credentials from the file (`auths`, or the legacy flat map), keyed as written. */
  readonly auths: Readonly<Record<string, RegistryAuthConfig>>;
  /**
   * Credentials from `DOCKER_AUTH_CONFIG`, keyed as written. For the registries they name they
   * beat `credHelpers`, `credsStore` and the file's `auths`, as in the CLI.
   */
  readonly environmentAuths: Readonly<Record<string, RegistryAuthConfig>>;
  /** `credsStore`: the helper for every registry without a `credHelpers` entry. */
  readonly credentialsStore: string | undefined;
  /** `credHelpers`: registry → helper suffix (`docker-credential-<suffix>`). */
  readonly credentialHelpers: Readonly<Record<string, string>>;
  /** Entries skipped and settings ignored while reading; never contain secrets. */
  readonly warnings: readonly string[];
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new DockerConfigError(`Cannot read the Docker config file ${path} (${code ?? 'unknown error'}).`, { source: path, cause: error });
  }
}

/**
 * Reads the Docker client's credential configuration the way the CLI does:
 * - the directory is `configDirectory`, else `DOCKER_CONFIG`, else `~/.docker`;
 * - `config.json` there; when it does not exist, the legacy `~/.dockercfg` (flat
 *   `{registry: {auth, email}}` or `{"auths": …}`);
 * - `DOCKER_AUTH_CONFIG`, when set, holds a config JSON whose `auths` take precedence over
 *   everything else for the registries they name (kept apart in `environmentAuths`).
 *
 * Unknown keys are ignored. A broken entry (bad base64, no colon, wrong types) is skipped and
 * reported in `warnings`. Malformed JSON throws a `DockerConfigError` naming the file (or
 * `DOCKER_AUTH_CONFIG`) without quoting its content. No file at all is not an error.
 *
 * @example
 * ```ts
 * const config = await loadDockerConfig({ environment: process.env });
 * for (const warning of config.warnings) console.warn(warning);
 * console.log(config.credentialsStore, Object.keys(config.auths));
 * ```
 */
export async function loadDockerConfig(options: LoadDockerConfigOptions = {}): Promise<DockerConfig> {
  const environment = options.environment ?? process.env;
  const configDirectory = configDirectoryOf({ ...options, environment });
  const configPath = configFilePath(configDirectory);

  let source: string | undefined;
  let file: ParsedConfigDocument | undefined;
  const configText = await readOptional(configPath);
  if (configText !== undefined) {
    source = configPath;
    file = parseConfigText(configText, configPath, 'config.json');
  } else {
    const legacyPath = join(homeDirectory(environment), '.dockercfg');
    const legacyText = await readOptional(legacyPath);
    if (legacyText !== undefined) {
      source = legacyPath;
      file = parseLegacyDockercfg(legacyText, legacyPath);
    }
  }

  const environmentText = environment['DOCKER_AUTH_CONFIG'];
  const fromEnvironment =
    environmentText === undefined || environmentText.trim() === ''
      ? undefined
      : parseConfigText(environmentText, 'DOCKER_AUTH_CONFIG', 'environment');

  return createDockerConfig({
    configDirectory,
    source,
    auths: file?.auths ?? {},
    environmentAuths: fromEnvironment?.auths ?? {},
    credentialsStore: file?.credentialsStore,
    credentialHelpers: file?.credentialHelpers ?? {},
    warnings: [...(file?.warnings ?? []), ...(fromEnvironment?.warnings ?? [])],
  });
}

/**
 * Builds a {@link DockerConfig} from parts (for tests, or settings that come from elsewhere),
 * with the redacting `util.inspect` and `toJSON` views.
 *
 * @example
 * ```ts
 * const config = createDockerConfig({ auths: { 'localhost:5000': { username: 'me', password: 'pw' } } });
 * const store = new CredentialStore(config);
 * ```
 */
export function createDockerConfig(parts: Partial<DockerConfig> = {}): DockerConfig {
  const printable = (auths: Readonly<Record<string, RegistryAuthConfig>> = {}): Record<string, RegistryAuthConfig> =>
    Object.fromEntries(Object.entries(auths).map(([key, value]) => [key, printableAuthConfig({ ...value })]));
  const config: DockerConfig = {
    configDirectory: parts.configDirectory ?? configDirectoryOf(),
    source: parts.source,
    auths: Object.freeze(printable(parts.auths)),
    environmentAuths: Object.freeze(printable(parts.environmentAuths)),
    credentialsStore: parts.credentialsStore,
    credentialHelpers: Object.freeze({ ...parts.credentialHelpers }),
    warnings: Object.freeze([...(parts.warnings ?? [])]),
  };
  const redactMap = (auths: Readonly<Record<string, RegistryAuthConfig>>) =>
    Object.fromEntries(Object.entries(auths).map(([key, value]) => [key, redactAuthConfig(value)]));
  return Object.freeze(
    withRedactedView(config, () => ({ ...config, auths: redactMap(config.auths), environmentAuths: redactMap(config.environmentAuths) }), {
      json: true,
    }),
  );
}
