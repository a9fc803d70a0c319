import { checkRegistryAuth, InvalidArgumentError, type CallOptions, type EngineClient } from '@berth/engine-protocol';
import { configDirectoryOf } from '../config/config-paths.js';
import { loadDockerConfig } from '../config/load-docker-config.js';
import { storeInConfigFile } from '../config/write-docker-config.js';
import { CredentialHelper, IDENTITY_TOKEN_USERNAME } from '../helper/credential-helper.js';
import { REDACTED, withRedactedView } from '../redaction/redact.js';
import { canonicalRegistryKey, DOCKER_HUB_REGISTRY, findRegistryEntry } from '../registry/registry-key.js';

/**
 * Parameters of {@link login}.
 *
 * @example
 * ```ts
 * await login(client, { username: 'me', password, serveraddress: 'localhost:5000', store: 'file' });
 * ```
 */
export interface LoginParameters {
  /** Registry user name. */
  readonly username: string;
  /** Registry password (or access token used as a password). */
  readonly password: string;
  /** Registry, in any spelling (`localhost:5000`, `https://host/v1/`, `docker.io`). Default: Docker Hub. */
  readonly serveraddress?: string | undefined;
  /**
   * Where to keep the credentials after a successful login:
   * - `false` / omitted: nowhere;
   * - `true`: like `docker login`, the registry's helper (`credHelpers`, else `credsStore`)
   *   when one is configured, else `config.json`;
   * - `'helper'`: the configured helper; an `InvalidArgumentError` before any request when none is;
   * - `'file'`: `config.json`, even when a helper is configured.
   *
   * An identity token returned by the registry is stored instead of the password.
   */
  readonly store?: boolean | 'helper' | 'file' | undefined;
  /** Config directory to store into. Default: `DOCKER_CONFIG`, else `~/.docker`. */
  readonly configDirectory?: string | undefined;
  /** Environment for `DOCKER_CONFIG`, `HOME` and the helper's `PATH`. Default: `process.env`. */
  readonly environment?: Readonly<Record<string, string | undefined>> | undefined;
  /** Milliseconds the credential helper may take. Default: 30 000. */
  readonly helperTimeout?: number | undefined;
}

/**
 * What {@link login} found out. Printing it shows the identity token as `[redacted]`.
 *
 * @example
 * ```ts
 * const result: LoginResult = await login(client, { username: 'me', password, store: true });
 * console.log(result.status, result.storedIn);
 * ```
 */
export interface LoginResult {
  /** The engine's status line, e.g. `Login Succeeded`. */
  readonly status: string;
  /** A token to use instead of the password from now on, when the registry issued one. */
  readonly identityToken?: string;
  /** Where the credentials were stored: the helper's program name or the config file path. */
  readonly storedIn?: string;
}

function requireText(value: unknown, argument: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new InvalidArgumentError(`${argument} must be a non-empty string.`, { argument });
  }
  return value;
}

/**
 * Checks credentials against a registry through the engine (`POST /auth`, what `docker login`
 * does) and optionally stores them as the CLI would (see {@link LoginParameters.store}). It
 * succeeds only on the engine's explicit success (200 with a `Status`, or 204); wrong
 * credentials reject with the engine's error (`EngineError`, 401 or 500 depending on the
 * engine), a redirect or any other status with an `EngineError`, a reply of another shape with
 * an `UnexpectedReplyError`, and nothing is stored then. No error or printed result contains
 * the password or token.
 *
 * @example
 * ```ts
 * const { status } = await login(client, {
 *   username: 'me',
 *   password: process.env.REGISTRY_PASSWORD!,
 *   serveraddress: 'localhost:5000',
 *   store: true,
 * });
 * console.log(status); // 'Login Succeeded'
 * ```
 */
export async function login(client: EngineClient, parameters: LoginParameters, options?: CallOptions): Promise<LoginResult> {
  const username = requireText(parameters.username, 'username');
  const password = requireText(parameters.password, 'password');
  const registry = canonicalRegistryKey(parameters.serveraddress ?? DOCKER_HUB_REGISTRY, 'serveraddress');
  const storeMode = parameters.store ?? false;
  if (![true, false, 'helper', 'file'].includes(storeMode)) {
    throw new InvalidArgumentError(`store must be true, false, "helper" or "file", got ${JSON.stringify(storeMode)}.`, { argument: 'store' });
  }
  const environment = parameters.environment ?? process.env;
  const configDirectory = configDirectoryOf({ configDirectory: parameters.configDirectory, environment });

  // Decide where to store before talking to the engine, so a bad choice fails early.
  let helper: CredentialHelper | undefined;
  if (storeMode !== false) {
    // Also surfaces a malformed config.json now rather than after a successful login.
    const config = await loadDockerConfig({ configDirectory, environment });
    const name = storeMode === 'file' ? undefined : findRegistryEntry(config.credentialHelpers, registry)?.value ?? config.credentialsStore;
    if (name !== undefined) helper = new CredentialHelper(name, { environment, timeout: parameters.helperTimeout });
    else if (storeMode === 'helper') {
      throw new InvalidArgumentError(`store: "helper" needs a credential helper for ${registry}, but config.json sets neither credHelpers nor credsStore for it.`, {
        argument: 'store',
        details: `Config directory: ${configDirectory}. Use store: "file" or configure a helper.`,
      });
    }
  }

  // Only the engine's explicit success gets here: 200 with a `Status` string, or the documented
  // 204 without a body. A redirect, another status or another reply shape has already rejected.
  const reply = await checkRegistryAuth(client, { authConfig: { username, password, serveraddress: registry } }, options);
  const identityToken = reply?.IdentityToken ? reply.IdentityToken : undefined;
  const result: { status: string; identityToken?: string; storedIn?: string } = { status: reply?.Status ?? 'Login Succeeded' };
  if (identityToken !== undefined) result.identityToken = identityToken;

  if (helper !== undefined) {
    await helper.store(
      identityToken === undefined
        ? { serverUrl: registry, username, secret: password }
        : { serverUrl: registry, username: IDENTITY_TOKEN_USERNAME, secret: identityToken },
    );
    result.storedIn = helper.program;
  } else if (storeMode !== false) {
    result.storedIn = await storeInConfigFile(configDirectory, { registry, username, password, identityToken });
  }

  const view = () => ({ ...result, ...(result.identityToken === undefined ? {} : { identityToken: REDACTED }) });
  return Object.freeze(withRedactedView(result, view, { json: true }));
}
