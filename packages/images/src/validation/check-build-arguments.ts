import { InvalidArgumentError } from '@berth/engine-protocol';
import type { BuildOptions } from '../build/build-options.js';
import { requireReference } from './image-names.js';
import { optionsObject } from './options-object.js';
import { checkBoolean, checkInteger, checkOperationOptions, checkPlatform, checkRegistryConfig, checkString, checkStringList, checkStringMap } from './option-values.js';

const booleanOptions = ['customContext', 'gzip', 'quiet', 'noCache', 'removeIntermediateContainers', 'forceRemoveIntermediateContainers', 'pull', 'squash', 'useConfigProxy'] as const;
const stringOptions = ['path', 'remote', 'dockerfile', 'target', 'networkMode', 'isolation'] as const;

/**
 * Refuses bad arguments of `ImageCollection.build` before anything starts, with an
 * `InvalidArgumentError` naming the option: every tag goes through the same name check as pull
 * and push (`UPPER:x` is refused here), build arguments and labels must be maps of strings (a
 * number, a BigInt or a circular structure is refused), and so on for each option's type.
 *
 * @example
 * ```ts
 * checkBuildArguments({ path: '.', tag: 'app:v1', buildArgs: { VERSION: '1' } });
 * ```
 * @internal
 */
export function checkBuildArguments(options: BuildOptions | undefined): void {
  if (options === undefined) {
    throw new InvalidArgumentError('build needs options with a source: path, file or remote.', { argument: 'options' });
  }
  const checked = optionsObject(options);
  const tags: unknown[] = checked.tag === undefined ? [] : Array.isArray(checked.tag) ? checked.tag : [checked.tag];
  for (const tag of tags) requireReference(tag, 'tag', { digest: false });
  for (const name of booleanOptions) checkBoolean(checked[name], name);
  for (const name of stringOptions) checkString(checked[name], name);
  checkStringMap(checked.buildArgs, 'buildArgs');
  checkStringMap(checked.labels, 'labels');
  checkStringList(checked.cacheFrom, 'cacheFrom');
  checkInteger(checked.sharedMemorySize, 'sharedMemorySize');
  checkPlatform(checked.platform, 'platform');
  if (checked.version !== undefined && checked.version !== '1' && checked.version !== '2') {
    throw new InvalidArgumentError(`version must be '1' (classic) or '2' (BuildKit), got ${JSON.stringify(String(checked.version)).slice(0, 20)}.`, { argument: 'version' });
  }
  if (checked.encoding !== undefined && checked.encoding !== 'gzip' && checked.encoding !== 'identity') {
    throw new InvalidArgumentError("encoding must be 'gzip' or 'identity'.", { argument: 'encoding' });
  }
  const limits: unknown = checked.containerLimits;
  if (limits !== undefined) {
    if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) {
      throw new InvalidArgumentError('containerLimits must be an object.', { argument: 'containerLimits' });
    }
    for (const [name, value] of Object.entries(limits)) {
      if (name === 'cpusetCpus') checkString(value, 'containerLimits.cpusetCpus');
      else checkInteger(value, `containerLimits.${name}`);
    }
  }
  checkRegistryConfig(checked.authConfigs, 'authConfigs');
  checkOperationOptions(checked);
}
