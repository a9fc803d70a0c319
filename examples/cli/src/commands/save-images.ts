import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AbortedError, saveImages } from '@berth/engine-protocol';
import { countBytes, createProgressRenderer } from '@berth/terminal-progress';
import { CliError } from '../cli/cli-error.js';
import { stringValue, type CommandDefinition } from '../cli/command.js';
import { progressFlags, progressOptions } from '../cli/progress-options.js';

export const saveImagesCommand: CommandDefinition = {
  name: 'save',
  usage: 'save [OPTIONS] IMAGE [IMAGE...]',
  summary: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
  arguments: { min: 1, max: Number.POSITIVE_INFINITY },
  options: {
    output: { type: 'string', short: 'o', description: 'Write to a file, instead of STDOUT' },
    ...progressFlags,
  },
  async run(context, parsed) {
    const output = stringValue(parsed, 'output');
    if (output === undefined && context.stdout.isTTY === true) {
      throw new CliError('cowardly refusing to save to a terminal. Use the -o flag or redirect');
    }
    const names = [...parsed.positionals];
    const docker = await context.docker();
    const renderer = createProgressRenderer({ ...progressOptions(context, parsed, 'save', 'stderr'), transferLabel: `Saving ${names.join(', ')}` });
    // Written next to the target and renamed at the end, so a failed or interrupted save never
    // leaves a partial archive under the requested name (nor a temporary file).
    const target = output === undefined ? undefined : resolve(context.cwd, output);
    const temporary = target === undefined ? undefined : join(dirname(target), `.${basename(target)}.berth-${process.pid}.partial`);
    try {
      const archive = await saveImages(docker.client, { names }, { signal: context.signal });
      const counter = countBytes((bytes) => renderer.transfer(bytes));
      if (temporary === undefined || target === undefined) {
        await pipeline(archive, counter, context.stdout, { signal: context.signal });
      } else {
        await pipeline(archive, counter, createWriteStream(temporary, { flags: 'wx' }), { signal: context.signal });
        await rename(temporary, target);
      }
      renderer.finish('success');
    } catch (error) {
      renderer.finish(error instanceof AbortedError || context.signal.aborted ? 'canceled' : 'failure');
      if (temporary !== undefined) await rm(temporary, { force: true });
      throw error;
    }
  },
};
