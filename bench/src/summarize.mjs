// Prints the compact summary table of a results file: node src/summarize.mjs results/latest.json
import { readFileSync } from 'node:fs';
import { formatSummary } from './lib/report.mjs';

process.stdout.write(formatSummary(JSON.parse(readFileSync(process.argv[2] ?? new URL('../results/latest.json', import.meta.url), 'utf8'))));
