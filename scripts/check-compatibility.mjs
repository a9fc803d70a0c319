#!/usr/bin/env node
// Checks docs/compatibility.md's CI table against what scripts/test.sh really ran: test.sh
// appends one line per green suite to a ledger (`engine|store|api|node|suite`); every table
// row must have run and every run must be in the table. Exit 1 with the differences otherwise.
//
// usage: node scripts/check-compatibility.mjs <ledger>
import { readFileSync } from 'node:fs';

const [ledgerPath] = process.argv.slice(2);
if (!ledgerPath) {
  console.error('usage: node scripts/check-compatibility.mjs <ledger>');
  process.exit(2);
}

const documentPath = new URL('../docs/compatibility.md', import.meta.url);
const document = readFileSync(documentPath, 'utf8');
const block = /<!-- ci-matrix:start -->([\s\S]*?)<!-- ci-matrix:end -->/.exec(document)?.[1];
if (block === undefined) {
  console.error('docs/compatibility.md has no ci-matrix block');
  process.exit(1);
}

/** `engine|store|api|node` → suites, from the table (the header and rule rows skipped). */
const documented = new Map();
for (const line of block.split('\n')) {
  const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
  if (cells.length !== 5 || cells[0] === 'engine' || cells[0].startsWith('---')) continue;
  const [engine, store, api, node, suites] = cells;
  documented.set([engine, store, api, node].join('|'), suites);
}

const ran = new Map();
for (const line of readFileSync(ledgerPath, 'utf8').split('\n')) {
  if (line.trim() === '') continue;
  const [engine, store, api, node, suite] = line.split('|');
  const key = [engine, store, api, node].join('|');
  ran.set(key, [...(ran.get(key) ?? []), suite]);
}

const problems = [];
for (const [key, suites] of documented) {
  const runs = ran.get(key);
  if (runs === undefined) problems.push(`documented but not run in CI: ${key} (${suites})`);
  else for (const suite of runs) if (!suites.includes(suite)) problems.push(`ran ${suite} on ${key}, which the table does not list`);
}
for (const [key, suites] of ran) if (!documented.has(key)) problems.push(`ran in CI but not documented: ${key} (${suites.join(', ')})`);

if (problems.length > 0) {
  console.error(`docs/compatibility.md disagrees with this CI run:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`docs/compatibility.md matches this CI run (${documented.size} rows).`);
