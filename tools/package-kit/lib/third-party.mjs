// The third-party packages a set of published packages needs at run time, as installed in this
// workspace (so: the lockfile's versions), found by walking node_modules the way Node resolves.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { readJson } from './workspace.mjs';

function findInstalled(name, fromDirectory) {
  for (let directory = fromDirectory; ; directory = path.dirname(directory)) {
    const candidate = path.join(directory, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return realpathSync(candidate);
    if (path.dirname(directory) === directory) return undefined;
  }
}

/**
 * @param {{ directory: string, manifest: Record<string, any> }[]} packages
 * @returns {{ name: string, version: string, directory: string }[]} sorted by name; throws
 *   when one name is installed at two versions (one override per name cannot express that)
 */
export function thirdPartyClosure(packages) {
  const found = new Map();
  const queue = [];
  const enqueue = (manifest, directory, includeOptional) => {
    const names = { ...manifest.dependencies, ...(includeOptional ? manifest.optionalDependencies : {}) };
    for (const name of Object.keys(names)) {
      if (name.startsWith('@berth/')) continue;
      const installed = findInstalled(name, directory);
      if (installed === undefined) {
        if (manifest.optionalDependencies?.[name] !== undefined) continue; // not for this platform
        throw new Error(`${name} (needed by ${manifest.name}) is not installed: run pnpm install`);
      }
      queue.push(installed);
    }
  };
  for (const workspacePackage of packages) enqueue(workspacePackage.manifest, workspacePackage.directory, true);
  while (queue.length > 0) {
    const directory = queue.shift();
    const manifest = readJson(path.join(directory, 'package.json'));
    const seen = found.get(manifest.name);
    if (seen !== undefined) {
      if (seen.version !== manifest.version) {
        throw new Error(`${manifest.name} is installed at ${seen.version} and ${manifest.version}`);
      }
      continue;
    }
    found.set(manifest.name, { name: manifest.name, version: manifest.version, directory });
    enqueue(manifest, directory, true);
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}
