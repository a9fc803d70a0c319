// Every subcommand of berth-images, in the order `--help` lists them.
import type { CommandDefinition } from '../cli/command.js';
import { buildImageCommand } from './build-image.js';
import { imageHistoryCommand } from './image-history.js';
import { inspectImagesCommand } from './inspect-images.js';
import { listImagesCommand } from './list-images.js';
import { loadImagesCommand } from './load-images.js';
import { loginCommand } from './login-registry.js';
import { pruneImagesCommand } from './prune-images.js';
import { pullImageCommand } from './pull-image.js';
import { pushImageCommand } from './push-image.js';
import { removeImagesCommand } from './remove-images.js';
import { saveImagesCommand } from './save-images.js';
import { searchImagesCommand } from './search-images.js';
import { tagImageCommand } from './tag-image.js';

export const commands: readonly CommandDefinition[] = [
  listImagesCommand,
  inspectImagesCommand,
  imageHistoryCommand,
  pullImageCommand,
  pushImageCommand,
  buildImageCommand,
  tagImageCommand,
  removeImagesCommand,
  pruneImagesCommand,
  saveImagesCommand,
  loadImagesCommand,
  loginCommand,
  searchImagesCommand,
];
