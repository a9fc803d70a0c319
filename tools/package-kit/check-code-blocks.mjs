#!/usr/bin/env node
// Type-checks the TypeScript people read: every ```ts block in the READMEs and docs/*.md, and
// every TSDoc `@example` in the published packages (lib/code-blocks.mjs finds them). Run by
// `pnpm docs:check` and by the lint of @berth/package-kit.
//
// How a block is compiled:
//   - As an ES module (top-level await allowed) with `strict`, against the built packages, the
//     way a user's project sees them.
//   - Markdown blocks must be complete programs: they import what they use.
//   - An @example may leave out its imports, as TSDoc examples do. A name it uses and does not
//     declare is imported from, in this order: its own source file, its package's main entry,
//     another source file of its package, the main entry of a @berth package its package
//     depends on, a few Node.js and undici names (NODE_NAMES). The variables an example may take
//     as given (`client`, `docker`, … in example-variables.json) are declared with their types.
//   - ```ts fragment marks a block that is intentionally not a program; it is listed, not
//     compiled. Nothing is skipped silently.
//   - code-blocks-baseline.json lists the blocks that failed when this check was introduced
//     (by file and a hash of the code), to be fixed, not added to: a block outside it must
//     compile, so an example that is written or edited must compile. A listed block that now
//     compiles, or is gone, must leave the list: `pnpm docs:check --prune-baseline`.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { allCodeBlocks } from './lib/code-blocks.mjs';
import { compileBlocks } from './lib/compile-blocks.mjs';
import { KIT_DIRECTORY } from './lib/workspace.mjs';

const { values: flags } = parseArgs({
  options: { verbose: { type: 'boolean', default: false }, 'prune-baseline': { type: 'boolean', default: false } },
});
const BASELINE_FILE = path.join(KIT_DIRECTORY, 'code-blocks-baseline.json');
const baseline = JSON.parse(readFileSync(BASELINE_FILE, 'utf8'));

const { blocks, unfenced } = allCodeBlocks();
const checked = blocks.filter((block) => !block.fragment);
const fragments = blocks.filter((block) => block.fragment);
const failures = compileBlocks(blocks);

const blockKey = (block) => `${block.file} ${createHash('sha256').update(block.code).digest('hex').slice(0, 12)}`;
const known = new Map(baseline.failing.map((entry) => [`${entry.file} ${entry.hash}`, entry]));
const failingKeys = new Set(failures.map(({ block }) => blockKey(block)));
const newFailures = failures.filter(({ block }) => !known.has(blockKey(block)));
const leftBaseline = [...known.keys()].filter((key) => !failingKeys.has(key));

for (const { block, messages } of newFailures) {
  console.error(`✗ ${block.file}:${block.line} (${block.origin === 'example' ? '@example' : 'Markdown'})`);
  for (const message of messages) console.error(`    ${message}`);
}
if (flags.verbose) {
  for (const { block, messages } of failures.filter(({ block }) => known.has(blockKey(block)))) {
    console.log(`  known failure (code-blocks-baseline.json): ${block.file}:${block.line}\n    ${messages.join('\n    ')}`);
  }
}
for (const place of unfenced) {
  console.error(`✗ ${place.file}:${place.line}: an @example without a \`\`\`ts block: fence its code (or mark it \`\`\`ts fragment)`);
}
if (flags.verbose) for (const block of fragments) console.log(`  fragment (not compiled): ${block.file}:${block.line}`);

if (flags['prune-baseline'] && leftBaseline.length > 0) {
  baseline.failing = baseline.failing.filter((entry) => failingKeys.has(`${entry.file} ${entry.hash}`));
  writeFileSync(BASELINE_FILE, `${JSON.stringify(baseline, null, 2)}\n`);
  console.log(`code-blocks-baseline.json: ${leftBaseline.length} entr${leftBaseline.length === 1 ? 'y' : 'ies'} removed (fixed or gone)`);
} else if (leftBaseline.length > 0) {
  console.error(`✗ code-blocks-baseline.json lists ${leftBaseline.length} block(s) that now compile or are gone: run \`pnpm docs:check --prune-baseline\``);
  for (const key of leftBaseline) console.error(`    ${key}`);
}

const summary =
  `${checked.length - failures.length} of ${checked.length} code blocks compile; ` +
  `${failures.length - newFailures.length} known failures to fix (code-blocks-baseline.json); ` +
  `${fragments.length} marked fragment (not compiled)`;
if (newFailures.length > 0 || unfenced.length > 0 || (leftBaseline.length > 0 && !flags['prune-baseline'])) {
  console.error(`${summary}; ${newFailures.length} new failure(s), ${unfenced.length} unfenced @example(s)`);
  process.exit(1);
}
console.log(summary);

