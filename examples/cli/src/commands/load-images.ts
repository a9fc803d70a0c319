import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { AbortedError } from '@berth/engine-protocol';
import { createProgressRenderer } from '@berth/terminal-progress';
import { CliError } from '../cli/cli-error.js';
import { flag, stringValue, type CommandDefinition } from '../cli/command.js';
import { progressFlags, progressOptions } from '../cli/progress-options.js';

export const loadImagesCommand: CommandDefinition = {
  name: 'load',
  usage: 'load [OPTIONS]',
  summary: 'Load images from a tar archive (read from STDIN by default)',
  arguments: { min: 0, max: 0 },
  options: {
    input: { type: 'string', short: 'i', description: 'Read from tar archive file, instead of STDIN' },
    ...progressFlags,
  },
  async run(context, parsed) {
    const input = stringValue(parsed, 'input');
    if (input === undefined && context.stdin.isTTY === true) {
      throw new CliError('requested load from stdin, but stdin is empty (use -i FILE or redirect)');
    }
    const path = input === undefined ? undefined : resolve(context.cwd, input);
    const total = path === undefined ? undefined : (await stat(path)).size;
    const source = path === undefined ? context.stdin : createReadStream(path);
    const docker = await context.docker();
    const renderer = createProgressRenderer({ ...progressOptions(context, parsed, 'load', 'stdout'), transferLabel: `Sending ${path === undefined ? 'archive' : basename(path)}` });
    // The archive streams through; counting its bytes shows the upload as it goes.
    async function* counted(): AsyncGenerator<Buffer> {
      let sent = 0;
      for await (const chunk of source) {
        const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
        sent += bytes.length;
        renderer.transfer(sent, total);
        yield bytes;
      }
    }
    const loading = docker.images.load(counted(), { signal: context.signal });
    try {
      for await (const event of loading) renderer.update(event);
      const images = await loading;
      renderer.finish('success');
      if (flag(parsed, 'quiet')) {
        for (const image of images) context.stdout.write(image.tags.length > 0 ? `Loaded image: ${image.tags.join(', ')}\n` : `Loaded image ID: ${image.id}\n`);
      }
    } catch (error) {
      renderer.finish(error instanceof AbortedError ? 'canceled' : 'failure');
      throw error;
    } finally {
      if ('destroy' in source && source !== context.stdin) (source as { destroy(): void }).destroy();
    }
  },
};
