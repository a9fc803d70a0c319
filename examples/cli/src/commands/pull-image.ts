import { parseReference } from '@berth/engine-protocol';
import { renderProgress } from '@berth/terminal-progress';
import { flag, stringValue, type CommandDefinition } from '../cli/command.js';
import { progressFlags, progressOptions } from '../cli/progress-options.js';

export const pullImageCommand: CommandDefinition = {
  name: 'pull',
  usage: 'pull [OPTIONS] NAME[:TAG|@DIGEST]',
  summary: 'Download an image from a registry',
  arguments: { min: 1, max: 1 },
  options: {
    'all-tags': { type: 'boolean', short: 'a', description: 'Download all tagged images in the repository' },
    platform: { type: 'string', description: 'Set platform if server is multi-platform capable (os[/arch[/variant]])' },
    ...progressFlags,
  },
  async run(context, parsed) {
    const name = parsed.positionals[0] as string;
    const platform = stringValue(parsed, 'platform');
    const allTags = flag(parsed, 'all-tags');
    const docker = await context.docker();
    const pulling = docker.images.pull(name, { signal: context.signal, allTags, ...(platform === undefined ? {} : { platform }) });
    await renderProgress(pulling, progressOptions(context, parsed, 'pull', 'stdout'));
    // Like docker: the full name of what was pulled.
    const reference = parseReference(name);
    context.stdout.write(`${allTags ? reference.name : `${reference.name}${reference.digest ? `@${reference.digest}` : `:${reference.tag ?? 'latest'}`}`}\n`);
  },
};
