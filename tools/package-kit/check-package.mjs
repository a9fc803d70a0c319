#!/usr/bin/env node
// The second half of every published package's `lint` script (after publint), run in the
// package's folder after its build. It packs the package as it would be published and checks:
//
//   - package.json: the machinery-owned fields (lib/manifest.mjs; `pnpm package:fix` fixes them);
//   - the tarball holds what users need and nothing else: package.json, LICENSE (the
//     repository's), README/CHANGELOG when present, and the JavaScript and declarations of
//     both builds, each from a file in src/ (no .tsbuildinfo, no source maps, no stale output);
//   - its packed size is within the budget in size-budgets.json;
//   - arethetypeswrong finds no problem in any resolution mode (types for import and require);
//   - the API report of every entry point matches the committed one (api-report/).
//
// `--update` (or `pnpm api:update` at the root) rewrites the API reports instead of comparing.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { apiReports } from './lib/api-report.mjs';
import { manifestProblems } from './lib/manifest.mjs';
import { packPackage, readTarball } from './lib/tarball.mjs';
import { KIT_DIRECTORY, REPOSITORY_ROOT, currentPackage, readJson } from './lib/workspace.mjs';

const { values: flags } = parseArgs({ options: { update: { type: 'boolean', default: false } } });
const workspacePackage = currentPackage();
const problems = [];
const notes = [];

problems.push(...manifestProblems(workspacePackage.manifest, workspacePackage.relativeDirectory).map((line) => `package.json: ${line} (run \`pnpm package:fix\`)`));

const tarball = packPackage(workspacePackage.directory);
try {
  const { packedBytes, files } = readTarball(tarball);
  problems.push(...contentProblems(files));

  const budgets = readJson(path.join(KIT_DIRECTORY, 'size-budgets.json')).packedBytes;
  const budget = budgets[workspacePackage.name];
  const unpackedBytes = [...files.values()].reduce((sum, body) => sum + body.length, 0);
  notes.push(`${kilobytes(packedBytes)} packed${budget === undefined ? '' : ` of ${kilobytes(budget)}`}, ${kilobytes(unpackedBytes)} unpacked, ${files.size} files`);
  if (budget === undefined) {
    problems.push(`no packed-size budget: add "${workspacePackage.name}" to tools/package-kit/size-budgets.json (about 1.2 × ${packedBytes} bytes)`);
  } else if (packedBytes > budget) {
    problems.push(`packed size ${packedBytes} bytes is over its budget of ${budget} (tools/package-kit/size-budgets.json): find what grew, or raise the budget in the same change with the reason`);
  }

  const attw = path.join(KIT_DIRECTORY, 'node_modules/.bin/attw');
  // Every resolution mode, including node10 (TypeScript's old `moduleResolution: node`, through
  // main/types). node10 knows no exports map, so it cannot reach subpath entries: a package
  // with subpaths is held to the node16 and bundler modes only.
  const hasSubpaths = Object.keys(workspacePackage.manifest.exports ?? {}).some((key) => key !== '.' && key !== './package.json');
  try {
    execFileSync(attw, [tarball, '--format', 'ascii', ...(hasSubpaths ? ['--profile', 'node16'] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    notes.push('attw clean');
  } catch (error) {
    problems.push(`arethetypeswrong found problems:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  }
} finally {
  rmSync(path.dirname(tarball), { recursive: true, force: true });
}

for (const report of apiReports(workspacePackage, { update: flags.update })) {
  problems.push(...report.messages.map((message) => `api-extractor: ${message}`));
  if (!report.changed) continue;
  if (flags.update) notes.push(`${report.file} updated`);
  else problems.push(`the public API of "${report.subpath}" changed: run \`pnpm api:update\` and commit ${workspacePackage.relativeDirectory}/${report.file}`);
}

if (problems.length > 0) {
  console.error(`${workspacePackage.name}: ${problems.length} packaging problem(s)\n${problems.map((line) => `  - ${line}`).join('\n')}`);
  process.exit(1);
}
console.log(`${workspacePackage.name}: ${notes.join('; ')}`);

/** What may be in a tarball, and that nothing in it is stale. */
function contentProblems(files) {
  const found = [];
  const allowedAtRoot = new Set(['package.json', 'LICENSE', 'README.md', 'CHANGELOG.md']);
  for (const name of files.keys()) {
    if (allowedAtRoot.has(name) || name === 'dist/cjs/package.json') continue;
    const built = /^dist\/(?:cjs\/)?(.+)\.(?:js|d\.ts)$/.exec(name);
    if (built === null) {
      found.push(`the tarball should not contain ${name}`);
      continue;
    }
    if (!existsSync(path.join(workspacePackage.directory, 'src', `${built[1]}.ts`))) {
      found.push(`${name} has no source file src/${built[1]}.ts: stale build output (delete dist/ and build again)`);
    }
  }
  for (const name of files.keys()) {
    const javascript = /^(dist\/(?:cjs\/)?.+)\.js$/.exec(name);
    if (javascript !== null && !files.has(`${javascript[1]}.d.ts`)) found.push(`${name} has no declarations beside it`);
    const esm = /^dist\/(?!cjs\/)(.+)$/.exec(name);
    if (esm !== null && !files.has(`dist/cjs/${esm[1]}`)) found.push(`${name} has no CommonJS counterpart dist/cjs/${esm[1]}`);
  }
  if (files.get('dist/cjs/package.json')?.toString('utf8').includes('"commonjs"') !== true) {
    found.push('dist/cjs/package.json (type: commonjs) is missing: the build must run tools/package-kit/build-package.mjs');
  }
  const license = files.get('LICENSE');
  if (license === undefined) found.push('LICENSE is missing: the build copies the repository LICENSE into the package folder');
  else if (!license.equals(readFileSync(path.join(REPOSITORY_ROOT, 'LICENSE')))) found.push('LICENSE differs from the repository LICENSE: build again');
  return found;
}

function kilobytes(bytes) {
  return `${(bytes / 1000).toFixed(1)} kB`;
}
