import { humanSize } from '@berth/terminal-progress';
import { flag, type CommandDefinition } from '../cli/command.js';
import { displayId } from '../format/short-id.js';
import { formatTable } from '../format/table.js';
import { timeAgo } from '../format/time-ago.js';
import { outputFormat } from './list-images.js';

export const imageHistoryCommand: CommandDefinition = {
  name: 'history',
  usage: 'history [OPTIONS] IMAGE',
  summary: 'Show the history of an image (its layers, newest first)',
  arguments: { min: 1, max: 1 },
  options: {
    format: { type: 'string', description: 'Output format: table or json' },
    'no-trunc': { type: 'boolean', description: "Don't truncate output" },
    quiet: { type: 'boolean', short: 'q', description: 'Only show image IDs' },
  },
  async run(context, parsed) {
    const format = outputFormat(parsed);
    const docker = await context.docker();
    const image = await docker.images.get(parsed.positionals[0] as string, { signal: context.signal });
    const history = await image.history({ signal: context.signal });
    const noTrunc = flag(parsed, 'no-trunc');
    const rows = history.map((layer) => {
      const createdBy = (layer.CreatedBy ?? '').replace(/\s+/g, ' ');
      return {
        ID: layer.Id === '<missing>' ? '<missing>' : displayId(layer.Id, noTrunc),
        CreatedAt: new Date(layer.Created * 1000).toISOString(),
        CreatedSince: timeAgo(new Date(layer.Created * 1000)),
        CreatedBy: noTrunc || createdBy.length <= 45 ? createdBy : `${createdBy.slice(0, 44)}…`,
        Size: humanSize(layer.Size),
        Comment: layer.Comment ?? '',
      };
    });
    if (flag(parsed, 'quiet')) context.stdout.write(rows.map((row) => `${row.ID}\n`).join(''));
    else if (format === 'json') context.stdout.write(rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
    else context.stdout.write(formatTable(['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'], rows.map((row) => [row.ID, row.CreatedSince, row.CreatedBy, row.Size, row.Comment])));
  },
};
