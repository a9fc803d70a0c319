import { InvalidArgumentError, type BuildImageParameters } from '@berth/engine-protocol';
import type { BuildContainerLimits, BuildOptions } from './build-options.js';
import { definedEntries } from '@berth/engine-protocol/internal';

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
    ...definedEntries({
      q: options.quiet,
      nocache: options.noCache,
      rm: options.removeIntermediateContainers,
      forcerm: options.forceRemoveIntermediateContainers,
    }),
    ...(options.pull === true ? { pull: '1' } : {}),
    ...(Object.keys(buildArguments).length === 0 ? {} : { buildargs: buildArguments }),
    ...definedEntries({
      memory: limits.memory,
      memswap: limits.memorySwap,
      cpushares: limits.cpuShares,
      cpusetcpus: limits.cpusetCpus,
      cpuperiod: limits.cpuPeriod,
      cpuquota: limits.cpuQuota,
      shmsize: options.sharedMemorySize,
      labels: options.labels,
      cachefrom: options.cacheFrom,
      target: options.target,
      networkmode: options.networkMode,
      squash: options.squash,
    }),
    ...(options.extraHosts === undefined ? {} : { extrahosts: extraHostList(options.extraHosts) }),
    ...definedEntries({ platform: options.platform, isolation: options.isolation, version: options.version }),
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
