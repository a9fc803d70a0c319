import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The docker CLI's configuration directory, absolute: `override`, else `DOCKER_CONFIG`, else
 * `~/.docker` (home from `HOME` or `USERPROFILE` in `environment`, else the operating system's).
 * The same rule as `@berth/credentials`, so contexts and credentials come from one place.
 *
 * @example
 * ```ts
 * dockerConfigDirectory({ DOCKER_CONFIG: '/etc/ci/docker' }); // '/etc/ci/docker'
 * dockerConfigDirectory({ HOME: '/home/me' }); // '/home/me/.docker'
 * ```
 */
export function dockerConfigDirectory(
  environment: Readonly<Record<string, string | undefined>>,
  override?: string,
): string {
  if (override !== undefined && override !== '') return resolve(override);
  const fromEnvironment = environment['DOCKER_CONFIG'];
  if (fromEnvironment !== undefined && fromEnvironment !== '') return resolve(fromEnvironment);
  const home = environment['HOME'] || environment['USERPROFILE'] || homedir();
  return join(home, '.docker');
}
