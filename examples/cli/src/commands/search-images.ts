import { CliError } from '../cli/cli-error.js';
import { flag, stringValue, type CommandDefinition } from '../cli/command.js';
import { formatTable } from '../format/table.js';
import { outputFormat, parseFilters } from './list-images.js';

export const searchImagesCommand: CommandDefinition = {
  name: 'search',
  usage: 'search [OPTIONS] TERM',
  summary: 'Search a registry for images (REGISTRY/TERM searches that registry)',
  arguments: { min: 1, max: 1 },
  options: {
    limit: { type: 'string', description: 'Max number of search results' },
    filter: { type: 'string', short: 'f', multiple: true, description: 'Filter output based on conditions provided (stars=3, is-official=true)' },
    format: { type: 'string', description: 'Output format: table or json' },
    'no-trunc': { type: 'boolean', description: "Don't truncate output" },
  },
  async run(context, parsed) {
    const format = outputFormat(parsed);
    const limitText = stringValue(parsed, 'limit');
    const limit = limitText === undefined ? undefined : Number(limitText);
    if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1 || limit > 100)) {
      throw new CliError(`invalid --limit ${JSON.stringify(limitText)}: use a number from 1 to 100`, { exitCode: 125 });
    }
    const filters = parseFilters(parsed);
    const docker = await context.docker();
    const results = await docker.images.search(parsed.positionals[0] as string, {
      signal: context.signal,
      ...(limit === undefined ? {} : { limit }),
      ...(filters === undefined ? {} : { filters }),
    });
    const noTrunc = flag(parsed, 'no-trunc');
    const rows = results.map((result) => {
      const description = (result.description ?? '').replace(/\s+/g, ' ');
      return {
        Name: result.name ?? '',
        Description: noTrunc || description.length <= 45 ? description : `${description.slice(0, 44)}…`,
        StarCount: String(result.star_count ?? 0),
        IsOfficial: result.is_official ? '[OK]' : '',
      };
    });
    if (format === 'json') context.stdout.write(rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
    else context.stdout.write(formatTable(['NAME', 'DESCRIPTION', 'STARS', 'OFFICIAL'], rows.map((row) => [row.Name, row.Description, row.StarCount, row.IsOfficial])));
  },
};
