import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The docker CLI's configuration directory: `override`, else `DOCKER_CONFIG`, else
 * `~/.docker` (home from `HOME` or `USERPROFILE` in `environment`, else the operating system's).
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
  if (override !== undefined && override !== '') return override;
  const fromEnvironment = environment['DOCKER_CONFIG'];
  if (fromEnvironment !== undefined && fromEnvironment !== '') return fromEnvironment;
  const home = environment['HOME'] || environment['USERPROFILE'] || homedir();
  return join(home, '.docker');
}
