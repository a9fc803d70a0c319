import { NotFoundError } from '@berth/engine-protocol';
import { CliError } from '../cli/cli-error.js';
import type { CommandDefinition } from '../cli/command.js';

export const inspectImagesCommand: CommandDefinition = {
  name: 'inspect',
  usage: 'inspect IMAGE [IMAGE...]',
  summary: 'Display detailed information on one or more images (JSON)',
  arguments: { min: 1, max: Number.POSITIVE_INFINITY },
  options: {},
  async run(context, parsed) {
    const docker = await context.docker();
    const found: unknown[] = [];
    const missing: string[] = [];
    for (const name of parsed.positionals) {
      try {
        found.push((await docker.images.get(name, { signal: context.signal })).attrs);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        missing.push(name);
      }
    }
    context.stdout.write(`${JSON.stringify(found, null, 4)}\n`);
    // Like docker: what was found is printed, then one error for what was not.
    if (missing.length > 0) throw new CliError(`Error: No such image: ${missing.join(', ')}`);
  },
};
