import { describeError } from '../cli/describe-error.js';
import { CliError } from '../cli/cli-error.js';
import { flag, type CommandDefinition } from '../cli/command.js';

export const removeImagesCommand: CommandDefinition = {
  name: 'rm',
  aliases: ['rmi', 'remove'],
  usage: 'rm [OPTIONS] IMAGE [IMAGE...]',
  summary: 'Remove one or more images',
  arguments: { min: 1, max: Number.POSITIVE_INFINITY },
  options: {
    force: { type: 'boolean', short: 'f', description: 'Force removal of the image' },
    'no-prune': { type: 'boolean', description: 'Do not delete untagged parents' },
  },
  async run(context, parsed) {
    const docker = await context.docker();
    let failures = 0;
    for (const name of parsed.positionals) {
      try {
        const removed = await docker.images.remove(name, { signal: context.signal, force: flag(parsed, 'force'), noPrune: flag(parsed, 'no-prune') });
        for (const item of removed) context.stdout.write(item.Untagged === undefined ? `Deleted: ${item.Deleted ?? ''}\n` : `Untagged: ${item.Untagged}\n`);
      } catch (error) {
        if (context.signal.aborted) throw error;
        // Like docker: report each failure and go on with the other images.
        failures += 1;
        context.stderr.write(`${describeError(error, { engineAddress: undefined })}\n`);
      }
    }
    if (failures > 0) throw new CliError('', { exitCode: 1 });
  },
};
