import { InvalidArgumentError, type BuildImageParameters, type PlatformInput } from '@berth/engine-protocol';
import { formatPlatformString } from '@berth/engine-protocol/internal';

/**
 * The Dockerfile frontend's options for a build sent to the engine's BuildKit controller, made
 * from the build's parameters the way the engine makes them for `POST /build` (moby's
 * builder-next): `filename`, `target`, `build-arg:*`, `label:*`, `no-cache`,
 * `image-resolve-mode`, `platform` (several, comma-separated), `force-network-mode`, `add-hosts`,
 * `shm-size`, `cache-from`. Throws `InvalidArgumentError` for a network mode BuildKit lacks.
 *
 * @example
 * ```ts
 * frontendAttributesOf({ target: 'app', nocache: true }, 'Dockerfile', ['linux/amd64', 'linux/arm64']);
 * // { filename: 'Dockerfile', target: 'app', 'no-cache': '', 'image-resolve-mode': 'default', platform: 'linux/amd64,linux/arm64' }
 * ```
 * @internal
 */
export function frontendAttributesOf(
  parameters: Omit<BuildImageParameters, 'body' | 'registryConfig' | 'remote' | 'dockerfile'>,
  dockerfile: string | undefined,
  platforms: readonly PlatformInput[],
): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (dockerfile !== undefined && dockerfile !== '.') attributes['filename'] = dockerfile;
  if (parameters.target !== undefined) attributes['target'] = parameters.target;
  for (const [key, value] of Object.entries(parameters.buildargs ?? {})) attributes[`build-arg:${key}`] = value;
  for (const [key, value] of Object.entries(parameters.labels ?? {})) attributes[`label:${key}`] = value;
  if (parameters.nocache === true) attributes['no-cache'] = '';
  attributes['image-resolve-mode'] = parameters.pull === undefined ? 'default' : 'pull';
  if (platforms.length > 0) attributes['platform'] = platforms.map((platform) => formatPlatformString(platform)).join(',');
  switch (parameters.networkmode) {
    case undefined:
    case '':
    case 'default':
      break;
    case 'host':
    case 'none':
      attributes['force-network-mode'] = parameters.networkmode;
      break;
    default:
      throw new InvalidArgumentError(`BuildKit runs steps with network mode default, host or none, not "${parameters.networkmode}".`, { argument: 'networkMode' });
  }
  const hosts = typeof parameters.extrahosts === 'string' ? [parameters.extrahosts] : parameters.extrahosts ?? [];
  if (hosts.length > 0) {
    attributes['add-hosts'] = hosts
      .map((entry) => {
        const colon = entry.indexOf(':');
        return `${entry.slice(0, colon)}=${entry.slice(colon + 1)}`;
      })
      .join(',');
  }
  if (parameters.shmsize !== undefined && parameters.shmsize > 0) attributes['shm-size'] = String(parameters.shmsize);
  if (parameters.cachefrom !== undefined && parameters.cachefrom.length > 0) attributes['cache-from'] = parameters.cachefrom.join(',');
  return attributes;
}
