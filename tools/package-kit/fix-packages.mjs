#!/usr/bin/env node
// `pnpm package:fix`: writes the machinery-owned package.json fields (exports for both module
// systems, main/types, files, build and lint scripts, repository/homepage/bugs/license,
// internal ranges) of every published package. Run it after adding a package or an entry point.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalManifest } from './lib/manifest.mjs';
import { publishedPackages } from './lib/workspace.mjs';

for (const workspacePackage of publishedPackages()) {
  const fixed = canonicalManifest(workspacePackage.manifest, workspacePackage.relativeDirectory);
  const before = `${JSON.stringify(workspacePackage.manifest, null, 2)}\n`;
  const after = `${JSON.stringify(fixed, null, 2)}\n`;
  if (before === after) continue;
  writeFileSync(path.join(workspacePackage.directory, 'package.json'), after);
  console.log(`fixed ${workspacePackage.relativeDirectory}/package.json`);
}
