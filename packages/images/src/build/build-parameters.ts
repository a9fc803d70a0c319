import { InvalidArgumentError, type BuildImageParameters } from '@berth/engine-protocol';
import type { BuildContainerLimits, BuildOptions } from './build-options.js';

const limitKeys: readonly (keyof BuildContainerLimits)[] = ['memory', 'memorySwap', 'cpuShares', 'cpusetCpus', 'cpuPeriod', 'cpuQuota'];

/**
 * Maps the build options (camelCase) to the engine's query parameters, without the context and
 * credentials. `buildArguments` are the final build arguments (proxy settings merged in).
 * Throws `InvalidArgumentError` for an unknown container limit or a malformed extra host.
 *
 * @example
 * ```ts
 * toBuildParameters({ tag: ['app:1', 'app:latest'], noCache: true, networkMode: 'none' }, {});
 * // { t: ['app:1', 'app:latest'], nocache: true, networkmode: 'none' }
 * ```
 * @internal
 */
export function toBuildParameters(
  options: BuildOptions,
  buildArguments: Readonly<Record<string, string>>,
): Omit<BuildImageParameters, 'body' | 'registryConfig' | 'remote' | 'dockerfile'> {
  const limits = options.containerLimits ?? {};
  for (const key of Object.keys(limits)) {
    if (!(limitKeys as readonly string[]).includes(key)) {
      throw new InvalidArgumentError(`Unknown container limit "${key}".`, {
        argument: 'containerLimits',
        details: `Known limits: ${limitKeys.join(', ')}.`,
      });
    }
  }
  const tags = options.tag === undefined ? undefined : typeof options.tag === 'string' ? [options.tag] : [...options.tag];
  return {
    ...(tags === undefined || tags.length === 0 ? {} : { t: tags }),
    ...(options.quiet === undefined ? {} : { q: options.quiet }),
    ...(options.noCache === undefined ? {} : { nocache: options.noCache }),
    ...(options.removeIntermediateContainers === undefined ? {} : { rm: options.removeIntermediateContainers }),
    ...(options.forceRemoveIntermediateContainers === undefined ? {} : { forcerm: options.forceRemoveIntermediateContainers }),
    ...(options.pull === true ? { pull: '1' } : {}),
    ...(Object.keys(buildArguments).length === 0 ? {} : { buildargs: buildArguments }),
    ...(limits.memory === undefined ? {} : { memory: limits.memory }),
    ...(limits.memorySwap === undefined ? {} : { memswap: limits.memorySwap }),
    ...(limits.cpuShares === undefined ? {} : { cpushares: limits.cpuShares }),
    ...(limits.cpusetCpus === undefined ? {} : { cpusetcpus: limits.cpusetCpus }),
    ...(limits.cpuPeriod === undefined ? {} : { cpuperiod: limits.cpuPeriod }),
    ...(limits.cpuQuota === undefined ? {} : { cpuquota: limits.cpuQuota }),
    ...(options.sharedMemorySize === undefined ? {} : { shmsize: options.sharedMemorySize }),
    ...(options.labels === undefined ? {} : { labels: options.labels }),
    ...(options.cacheFrom === undefined ? {} : { cachefrom: options.cacheFrom }),
    ...(options.target === undefined ? {} : { target: options.target }),
    ...(options.networkMode === undefined ? {} : { networkmode: options.networkMode }),
    ...(options.squash === undefined ? {} : { squash: options.squash }),
    ...(options.extraHosts === undefined ? {} : { extrahosts: extraHostList(options.extraHosts) }),
    ...(options.platform === undefined ? {} : { platform: options.platform }),
    ...(options.isolation === undefined ? {} : { isolation: options.isolation }),
    ...(options.version === undefined ? {} : { version: options.version }),
  };
}

function extraHostList(hosts: NonNullable<BuildOptions['extraHosts']>): string[] {
  const entries = Array.isArray(hosts)
    ? [...(hosts as readonly string[])]
    : Object.entries(hosts as Readonly<Record<string, string>>).map(([host, address]) => `${host}:${address}`);
  for (const entry of entries) {
    if (typeof entry !== 'string' || !/^[^:\s]+:\S+$/.test(entry)) {
      throw new InvalidArgumentError(`Invalid extra host ${JSON.stringify(entry)}: expected "host:ip".`, { argument: 'extraHosts' });
    }
  }
  return entries;
}
