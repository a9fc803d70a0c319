import { InvalidArgumentError } from '@berth/engine-protocol';
import type { BuildOptions } from './build-options.js';

// Options only BuildKit has; each makes a build without `version` a BuildKit build.
const buildkitOnlyOptions = ['secrets', 'ssh', 'outputs', 'platforms', 'cacheTo', 'syncContext', 'onFileSync'] as const;

/**
 * Which builder runs a build: `version` when given; BuildKit when a BuildKit-only option is
 * given; else the engine's default (`defaultBuilder()`, the `Builder-Version` of `/_ping`).
 * Throws `InvalidArgumentError` for BuildKit-only options with `version: '1'`, before any
 * request.
 *
 * @example
 * ```ts
 * await chooseBuilder({ path: '.', secrets: { token: { env: 'TOKEN' } } }, async () => (await ping(client)).builderVersion); // 'buildkit'
 * ```
 * @internal
 */
export async function chooseBuilder(options: BuildOptions, defaultBuilder: () => Promise<string | undefined>): Promise<'classic' | 'buildkit'> {
  const given = buildkitOnlyOptionsOf(options);
  if (options.version === '1') {
    if (given.length > 0) {
      throw new InvalidArgumentError(`${given.join(', ')} need${given.length === 1 ? 's' : ''} BuildKit, but version is '1' (the classic builder).`, {
        argument: given[0] as string,
        details: "Leave version out, or set version: '2'.",
      });
    }
    return 'classic';
  }
  if (options.version === '2' || given.length > 0) return 'buildkit';
  if (options.version !== undefined) {
    throw new InvalidArgumentError(`version must be '1' or '2', got ${JSON.stringify(options.version)}.`, { argument: 'version' });
  }
  return (await defaultBuilder()) === '2' ? 'buildkit' : 'classic';
}

/**
 * The BuildKit-only options a build gives (`secrets`, `ssh`, `outputs`, …), by name.
 *
 * @example
 * ```ts
 * buildkitOnlyOptionsOf({ path: '.', ssh: { default: true } }); // ['ssh']
 * ```
 * @internal
 */
export function buildkitOnlyOptionsOf(options: BuildOptions): string[] {
  return buildkitOnlyOptions.filter((name) => options[name] !== undefined);
}
