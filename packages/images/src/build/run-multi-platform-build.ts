import { UnsupportedOptionError, type BuildImageParameters } from '@berth/engine-protocol';
import type { BuildResult, ExportedBuildResult } from '../image-collection-options.js';
import type { ProgressEvent } from '../progress/progress-event.js';
import type { BuildOptions } from './build-options.js';
import type { BuildEnvironment } from './run-build.js';

/** @internal */
export async function runMultiPlatformBuild(
  _context: BuildEnvironment,
  _options: BuildOptions,
  _parameters: Omit<BuildImageParameters, 'body' | 'registryConfig' | 'remote' | 'dockerfile'>,
  _emit: (event: ProgressEvent) => void,
): Promise<BuildResult | ExportedBuildResult> {
  throw new UnsupportedOptionError({ option: 'platforms', requiredVersion: '1.51', apiVersion: 'unknown', endpoint: 'ImageBuild' });
}
