import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where configuration is looked up.
 *
 * @example
 * ```ts
 * const options: ConfigLocationOptions = { configDirectory: '/ci/docker', environment: process.env };
 * ```
 */
export interface ConfigLocationOptions {
  /** The Docker config directory. Default: `DOCKER_CONFIG`, else `~/.docker`. */
  readonly configDirectory?: string | undefined;
  /** Environment to read `DOCKER_CONFIG`, `HOME`, `DOCKER_AUTH_CONFIG`, `PATH` from. Default: `process.env`. */
  readonly environment?: Readonly<Record<string, string | undefined>> | undefined;
}

/**
 * The user's home directory as the given environment sees it (`HOME`, `USERPROFILE` on
 * Windows), else the process's.
 *
 * @example
 * ```ts
 * homeDirectory({ HOME: '/home/me' }); // '/home/me'
 * ```
 */
export function homeDirectory(environment: Readonly<Record<string, string | undefined>>): string {
  return environment['HOME'] || environment['USERPROFILE'] || homedir();
}

/**
 * The Docker config directory: the explicit option, else `DOCKER_CONFIG`, else `~/.docker`.
 *
 * @example
 * ```ts
 * configDirectoryOf({ environment: { DOCKER_CONFIG: '/etc/docker-client' } }); // '/etc/docker-client'
 * ```
 */
export function configDirectoryOf(options: ConfigLocationOptions = {}): string {
  const environment = options.environment ?? process.env;
  return resolve(options.configDirectory ?? (environment['DOCKER_CONFIG'] || join(homeDirectory(environment), '.docker')));
}

/**
 * Path of `config.json` inside a config directory.
 *
 * @example
 * ```ts
 * configFilePath('/home/me/.docker'); // '/home/me/.docker/config.json'
 * ```
 */
export function configFilePath(configDirectory: string): string {
  return join(configDirectory, 'config.json');
}
