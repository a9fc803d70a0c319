import { parseRepositoryTag } from '@berth/engine-protocol';
import type { CommandDefinition } from '../cli/command.js';

export const tagImageCommand: CommandDefinition = {
  name: 'tag',
  usage: 'tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
  summary: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
  arguments: { min: 2, max: 2 },
  options: {},
  async run(context, parsed) {
    const [source, target] = parsed.positionals as [string, string];
    const [repository, tag] = parseRepositoryTag(target);
    const docker = await context.docker();
    const image = await docker.images.get(source, { signal: context.signal });
    await image.tag(repository, tag || 'latest', { signal: context.signal });
  },
};
