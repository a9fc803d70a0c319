// Where things are: the repository root and its published packages (every folder under
// packages/ whose package.json is not private). New packages are found without registering.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const KIT_DIRECTORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPOSITORY_ROOT = path.resolve(KIT_DIRECTORY, '../..');

/**
 * @typedef {{ name: string, directory: string, relativeDirectory: string, manifest: Record<string, any> }} WorkspacePackage
 */

/** @returns {Record<string, any>} */
export function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** @returns {WorkspacePackage} */
export function readPackage(directory) {
  const manifest = readJson(path.join(directory, 'package.json'));
  return {
    name: manifest.name,
    directory,
    relativeDirectory: path.relative(REPOSITORY_ROOT, directory).split(path.sep).join('/'),
    manifest,
  };
}

/** Every published package, in folder order. @returns {WorkspacePackage[]} */
export function publishedPackages() {
  const root = path.join(REPOSITORY_ROOT, 'packages');
  return readdirSync(root)
    .sort()
    .map((entry) => path.join(root, entry))
    .filter((directory) => existsSync(path.join(directory, 'package.json')))
    .map(readPackage)
    .filter((workspacePackage) => workspacePackage.manifest.private !== true);
}

/** The package whose folder holds `directory` (the current one by default). */
export function currentPackage(directory = process.cwd()) {
  return readPackage(directory);
}

/** `@berth/transport-unix` → `transport-unix`. */
export function unscopedName(name) {
  return name.replace(/^@[^/]+\//, '');
}
