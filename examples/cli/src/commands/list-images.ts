import { humanSize } from '@berth/terminal-progress';
import { parseRepositoryTag, type FiltersInput } from '@berth/engine-protocol';
import { CliError } from '../cli/cli-error.js';
import { flag, listValue, stringValue, type CommandDefinition, type ParsedCommand } from '../cli/command.js';
import { displayId } from '../format/short-id.js';
import { formatTable } from '../format/table.js';
import { timeAgo } from '../format/time-ago.js';

/** `--filter key=value` flags as Berth filters (a key may repeat). */
export function parseFilters(parsed: ParsedCommand): FiltersInput | undefined {
  const filters: Record<string, string[]> = {};
  for (const item of listValue(parsed, 'filter')) {
    const separator = item.indexOf('=');
    if (separator <= 0) throw new CliError(`bad format of filter (expected name=value): ${item}`, { exitCode: 125 });
    (filters[item.slice(0, separator)] ??= []).push(item.slice(separator + 1));
  }
  return Object.keys(filters).length === 0 ? undefined : filters;
}

/** `--format`: `table` (default) or `json` (one object per line, like `docker … --format json`). */
export function outputFormat(parsed: ParsedCommand): 'table' | 'json' {
  const format = stringValue(parsed, 'format') ?? 'table';
  if (format !== 'table' && format !== 'json') throw new CliError(`unsupported --format ${JSON.stringify(format)}: use table or json`, { exitCode: 125 });
  return format;
}

/** `repository[:tag]` with `*` wildcards (the engine's reference filter) as a test of a row. */
function referenceMatcher(reference: string): (repository: string, tag: string) => boolean {
  const [repository, tag] = parseRepositoryTag(reference);
  const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
  const repositoryPattern = glob(repository);
  const tagPattern = tag === undefined || tag === '' ? undefined : glob(tag);
  return (rowRepository, rowTag) => repositoryPattern.test(rowRepository) && (tagPattern === undefined || tagPattern.test(rowTag));
}

export const listImagesCommand: CommandDefinition = {
  name: 'ls',
  aliases: ['images', 'list'],
  usage: 'ls [OPTIONS] [REPOSITORY[:TAG]]',
  summary: 'List images',
  arguments: { min: 0, max: 1 },
  options: {
    all: { type: 'boolean', short: 'a', description: 'Show all images (default hides intermediate images)' },
    quiet: { type: 'boolean', short: 'q', description: 'Only show image IDs' },
    filter: { type: 'string', short: 'f', multiple: true, description: 'Filter output based on conditions provided (dangling=true, label=k=v, reference=…)' },
    format: { type: 'string', description: 'Output format: table or json' },
    'no-trunc': { type: 'boolean', description: "Don't truncate output" },
  },
  async run(context, parsed) {
    const format = outputFormat(parsed);
    const filters = parseFilters(parsed);
    const docker = await context.docker();
    const name = parsed.positionals[0];
    const images = await docker.images.list({
      signal: context.signal,
      ...(name === undefined ? {} : { name }),
      ...(flag(parsed, 'all') ? { all: true } : {}),
      ...(filters === undefined ? {} : { filters }),
    });
    const noTrunc = flag(parsed, 'no-trunc');
    const wanted = name === undefined ? undefined : referenceMatcher(name);
    const rows = images
      .sort((a, b) => Date.parse(b.attrs.Created ?? '') - Date.parse(a.attrs.Created ?? ''))
      .flatMap((image) => {
        const names = image.tags.length > 0 ? image.tags : ['<none>:<none>'];
        return names.map((reference) => {
          const separator = reference.lastIndexOf(':');
          const created = new Date(image.attrs.Created ?? 0);
          return {
            ID: displayId(image.id, noTrunc),
            Repository: reference.slice(0, separator),
            Tag: reference.slice(separator + 1),
            CreatedAt: created.toISOString(),
            CreatedSince: timeAgo(created),
            Size: humanSize(image.attrs.Size ?? 0),
            Digest: image.attrs.RepoDigests?.[0]?.split('@')[1] ?? '<none>',
          };
        });
      })
      // An image listed for one of its names shows that name only, as in docker.
      .filter((row) => wanted === undefined || wanted(row.Repository, row.Tag));
    if (flag(parsed, 'quiet')) {
      context.stdout.write([...new Set(rows.map((row) => row.ID))].map((id) => `${id}\n`).join(''));
    } else if (format === 'json') {
      context.stdout.write(rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
    } else {
      context.stdout.write(formatTable(['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'], rows.map((row) => [row.Repository, row.Tag, row.ID, row.CreatedSince, row.Size])));
    }
  },
};
