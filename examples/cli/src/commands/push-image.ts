import { parseRepositoryTag } from '@berth/engine-protocol';
import { renderProgress } from '@berth/terminal-progress';
import { flag, type CommandDefinition } from '../cli/command.js';
import { progressFlags, progressOptions } from '../cli/progress-options.js';

export const pushImageCommand: CommandDefinition = {
  name: 'push',
  usage: 'push [OPTIONS] NAME[:TAG]',
  summary: 'Upload an image to a registry',
  arguments: { min: 1, max: 1 },
  options: {
    'all-tags': { type: 'boolean', short: 'a', description: 'Push all tags of the repository' },
    ...progressFlags,
  },
  async run(context, parsed) {
    const [repository, tag] = parseRepositoryTag(parsed.positionals[0] as string);
    const docker = await context.docker();
    // Like docker: no tag means `latest`, unless every tag is asked for.
    const pushing = docker.images.push(repository, {
      signal: context.signal,
      ...(flag(parsed, 'all-tags') ? {} : { tag: tag || 'latest' }),
    });
    const result = await renderProgress(pushing, progressOptions(context, parsed, 'push', 'stdout'));
    if (flag(parsed, 'quiet')) context.stdout.write(`${repository}:${result.tag}\n`);
  },
};
