import { describeType } from '../errors/describe-value.js';
import { InvalidArgumentError } from '../errors/index.js';

/**
 * Credentials for one registry, as the engine reads them from `X-Registry-Auth`.
 * The spec's `AuthConfig` lists only some of these fields; the daemon reads all of them.
 *
 * @example
 * ```ts
 * const authConfig: RegistryAuthConfig = { username: 'me', password: process.env.TOKEN, serveraddress: 'localhost:5000' };
 * await pullImage(client, { fromImage: 'localhost:5000/app', tag: 'v1', authConfig });
 * ```
 */
export interface RegistryAuthConfig {
  /** Registry user name. */
  username?: string;
  /** Registry password. */
  password?: string;
  /** Base64 of `username:password`, as stored in config.json. */
  auth?: string;
  /** Deprecated e-mail field, still accepted. */
  email?: string;
  /** Registry address, e.g. `https://index.docker.io/v1/` or `localhost:5000`. */
  serveraddress?: string;
  /** A refresh token obtained from a previous login. */
  identitytoken?: string;
  /** A bearer token to send to the registry as is. */
  registrytoken?: string;
}

const authConfigFields = new Set(['username', 'password', 'auth', 'email', 'serveraddress', 'identitytoken', 'registrytoken']);

/**
 * Refuses credentials that are not an object of strings: the daemon silently ignores a header
 * it cannot decode, so a mistake here would send the request anonymously. Messages name the
 * field, never its value.
 */
function checkAuthConfig(authConfig: unknown, argument: string): void {
  if (typeof authConfig !== 'object' || authConfig === null || Array.isArray(authConfig)) {
    throw new InvalidArgumentError(`${argument} must be an object of credentials such as { username, password }, got ${describeType(authConfig)}.`, {
      argument,
    });
  }
  for (const [field, value] of Object.entries(authConfig)) {
    if (value === undefined) continue;
    if (!authConfigFields.has(field)) {
      throw new InvalidArgumentError(`${argument} has an unknown field "${field}".`, {
        argument,
        details: `Known fields: ${[...authConfigFields].join(', ')}.`,
      });
    }
    if (typeof value !== 'string') throw new InvalidArgumentError(`${argument}.${field} must be a string.`, { argument: `${argument}.${field}` });
  }
}

/**
 * Base64url WITH `=` padding, the only form the daemon decodes. Node's `base64url` drops the
 * padding, and a header the daemon cannot decode is silently ignored (the request then goes out
 * anonymous), so the padding is restored here.
 */
function paddedBase64Url(text: string): string {
  const encoded = Buffer.from(text, 'utf8').toString('base64url');
  return encoded + '='.repeat((4 - (encoded.length % 4)) % 4);
}

/**
 * Encodes credentials for the `X-Registry-Auth` header.
 *
 * @example
 * ```ts
 * encodeRegistryAuth({ username: 'me', password: 'secret', serveraddress: 'localhost:5000' });
 * ```
 */
export function encodeRegistryAuth(authConfig: RegistryAuthConfig, argument = 'authConfig'): string {
  checkAuthConfig(authConfig, argument);
  return paddedBase64Url(JSON.stringify(authConfig));
}

/**
 * Encodes the `X-Registry-Config` header of a build: a map from registry to credentials.
 *
 * @example
 * ```ts
 * encodeRegistryConfig({ 'localhost:5000': { username: 'me', password: 'secret' } });
 * ```
 */
export function encodeRegistryConfig(configs: Readonly<Record<string, RegistryAuthConfig>>, argument = 'registryConfig'): string {
  if (typeof configs !== 'object' || configs === null || Array.isArray(configs)) {
    throw new InvalidArgumentError(`${argument} must be an object mapping registries to credentials.`, { argument });
  }
  for (const [registry, authConfig] of Object.entries(configs)) checkAuthConfig(authConfig, `${argument}[${JSON.stringify(registry)}]`);
  return paddedBase64Url(JSON.stringify(configs));
}
