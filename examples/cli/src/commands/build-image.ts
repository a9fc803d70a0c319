import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { ping } from '@berth/engine-protocol';
import type { Docker } from '@berth/docker';
import type { BuildOptions } from '@berth/images';
import { renderProgress } from '@berth/terminal-progress';
import { CliError } from '../cli/cli-error.js';
import { flag, listValue, stringValue, type CommandContext, type CommandDefinition, type ParsedCommand } from '../cli/command.js';
import { progressFlags, progressOptions } from '../cli/progress-options.js';

/**
 * Which builder, by the docker CLI's own rule: `DOCKER_BUILDKIT` when set; else BuildKit when
 * the engine says it is its default (`Builder-Version: 2`) or it is not a Windows engine.
 * `--classic` wins over all of it.
 */
export async function chooseBuilder(context: CommandContext, docker: Docker, classic: boolean): Promise<'1' | '2'> {
  if (classic) return '1';
  const variable = context.environment['DOCKER_BUILDKIT'];
  if (variable !== undefined && variable !== '') {
    if (['1', 'true'].includes(variable.toLowerCase())) return '2';
    if (['0', 'false'].includes(variable.toLowerCase())) return '1';
    throw new CliError(`DOCKER_BUILDKIT environment variable expects boolean value: ${JSON.stringify(variable)}`);
  }
  const pong = await ping(docker.client, { signal: context.signal });
  if (pong.builderVersion === '2') return '2';
  return pong.osType === 'windows' ? '1' : '2';
}

/** `KEY=value` pairs; a bare `KEY` takes its value from the environment (skipped when unset), like docker. */
function keyValues(context: CommandContext, items: readonly string[], what: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of items) {
    const separator = item.indexOf('=');
    if (separator === 0) throw new CliError(`invalid ${what} ${JSON.stringify(item)}: expected KEY=value`, { exitCode: 125 });
    if (separator === -1) {
      const value = context.environment[item];
      if (value !== undefined) result[item] = value;
    } else {
      result[item.slice(0, separator)] = item.slice(separator + 1);
    }
  }
  return result;
}

function buildOptions(context: CommandContext, parsed: ParsedCommand, version: '1' | '2'): BuildOptions {
  const contextArgument = parsed.positionals[0] as string;
  const file = stringValue(parsed, 'file');
  const tags = listValue(parsed, 'tag');
  const target = stringValue(parsed, 'target');
  const platform = stringValue(parsed, 'platform');
  const network = stringValue(parsed, 'network');
  const labels = keyValues(context, listValue(parsed, 'label'), 'label');
  const source: BuildOptions =
    contextArgument === '-'
      ? // A context tar on stdin; -f names the Dockerfile inside it.
        { file: context.stdin as unknown as Readable, customContext: true, ...(file === undefined ? {} : { dockerfile: file }) }
      : // -f is a path on this machine, relative to the working directory (docker's rule).
        { path: resolve(context.cwd, contextArgument), ...(file === undefined ? {} : { dockerfile: resolve(context.cwd, file) }) };
  return {
    ...source,
    version,
    signal: context.signal,
    buildArgs: keyValues(context, listValue(parsed, 'build-arg'), 'build-arg'),
    // No intermediate container may outlive the build, even a failed or interrupted one.
    forceRemoveIntermediateContainers: true,
    ...(tags.length === 0 ? {} : { tag: tags }),
    ...(target === undefined ? {} : { target }),
    ...(platform === undefined ? {} : { platform }),
    ...(network === undefined ? {} : { networkMode: network }),
    ...(Object.keys(labels).length === 0 ? {} : { labels }),
    ...(flag(parsed, 'no-cache') ? { noCache: true } : {}),
    ...(flag(parsed, 'pull') ? { pull: true } : {}),
  };
}

export const buildImageCommand: CommandDefinition = {
  name: 'build',
  usage: 'build [OPTIONS] PATH | -',
  summary: 'Build an image from a Dockerfile (BuildKit when the engine supports it; --classic for the classic builder)',
  arguments: { min: 1, max: 1 },
  options: {
    tag: { type: 'string', short: 't', multiple: true, description: "Name and optionally a tag in the 'name:tag' format" },
    file: { type: 'string', short: 'f', description: "Name of the Dockerfile (default: 'PATH/Dockerfile')" },
    'build-arg': { type: 'string', multiple: true, description: 'Set build-time variables' },
    target: { type: 'string', description: 'Set the target build stage to build' },
    platform: { type: 'string', description: 'Set platform if server is multi-platform capable' },
    'no-cache': { type: 'boolean', description: 'Do not use cache when building the image' },
    pull: { type: 'boolean', description: 'Always attempt to pull a newer version of the image' },
    network: { type: 'string', description: 'Set the networking mode for the RUN instructions during build (default, none, host)' },
    label: { type: 'string', multiple: true, description: 'Set metadata for an image' },
    classic: { type: 'boolean', description: 'Use the classic builder (also: DOCKER_BUILDKIT=0)' },
    ...progressFlags,
  },
  async run(context, parsed) {
    const docker = await context.docker();
    const version = await chooseBuilder(context, docker, flag(parsed, 'classic'));
    const building = docker.images.build(buildOptions(context, parsed, version));
    const { image } = await renderProgress(building, progressOptions(context, parsed, 'build', 'stderr'));
    if (flag(parsed, 'quiet')) context.stdout.write(`${image.id}\n`);
  },
};
