import { humanSize } from '@berth/terminal-progress';
import { flag, type CommandDefinition } from '../cli/command.js';
import { readLine } from '../cli/read-line.js';
import { parseFilters } from './list-images.js';

export const pruneImagesCommand: CommandDefinition = {
  name: 'prune',
  usage: 'prune [OPTIONS]',
  summary: 'Remove unused images',
  arguments: { min: 0, max: 0 },
  options: {
    all: { type: 'boolean', short: 'a', description: 'Remove all unused images, not just dangling ones' },
    force: { type: 'boolean', short: 'f', description: 'Do not prompt for confirmation' },
    filter: { type: 'string', multiple: true, description: 'Provide filter values (e.g. until=24h, label=k=v)' },
  },
  async run(context, parsed) {
    const all = flag(parsed, 'all');
    const filters = { ...parseFilters(parsed), ...(all ? { dangling: false } : {}) };
    if (!flag(parsed, 'force')) {
      const what = all ? 'all images without at least one container associated to them' : 'all dangling images';
      const answer = await readLine(context, `WARNING! This will remove ${what}.\nAre you sure you want to continue? [y/N] `);
      if (!/^y(es)?$/i.test(answer?.trim() ?? '')) return;
    }
    const docker = await context.docker();
    const { ImagesDeleted = [], SpaceReclaimed = 0 } = await docker.images.prune({ signal: context.signal, filters });
    if (ImagesDeleted.length > 0) {
      context.stdout.write('Deleted Images:\n');
      for (const item of ImagesDeleted) context.stdout.write(item.Untagged === undefined ? `deleted: ${item.Deleted ?? ''}\n` : `untagged: ${item.Untagged}\n`);
      context.stdout.write('\n');
    }
    context.stdout.write(`Total reclaimed space: ${humanSize(SpaceReclaimed)}\n`);
  },
};
