// The bench: every scenario file in src/scenarios, each contender in its own process, on one
// engine, in one run. Prints Markdown tables and writes results/latest.json and latest.md.
//
//   node src/run.mjs [--scenarios=save,load] [--sizes=100M,1G,4G] [--reps=5] [--contenders=berth,undici] [--interim] [--list]
import { readdir, mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createContext, parseSize } from './lib/context.mjs';
import { acquireEngine } from './lib/engine.mjs';
import { assertMeasurable } from './lib/measure-process.mjs';
import { formatReport } from './lib/report.mjs';
import { runCase } from './lib/runner.mjs';

const options = parseArguments(process.argv.slice(2));
const log = (/** @type {string} */ text) => process.stderr.write(`${text}\n`);
const scenarioDirectory = new URL('./scenarios/', import.meta.url);
const scenarios = [];
for (const file of (await readdir(scenarioDirectory)).filter((name) => name.endsWith('.mjs')).sort()) {
  const module = await import(new URL(file, scenarioDirectory).href);
  scenarios.push({ file, ...module.default });
}
scenarios.sort((a, b) => (a.order ?? 100) - (b.order ?? 100));
if (options.list) {
  for (const scenario of scenarios) process.stdout.write(`${scenario.id.padEnd(14)} ${scenario.description}\n`);
  process.exit(0);
}
const chosen = options.scenarios ? scenarios.filter((scenario) => options.scenarios.includes(scenario.id)) : scenarios.filter((scenario) => !scenario.optIn);
if (options.scenarios) {
  for (const id of options.scenarios) if (!scenarios.some((scenario) => scenario.id === id)) throw new Error(`no scenario ${id} (see --list)`);
}
assertMeasurable();

const startedAt = new Date();
const loadAtStart = os.loadavg()[0];
// Scenarios that talk to no engine (cold import) say `needsEngine: false`: run alone, they start none.
const needsEngine = chosen.some((scenario) => scenario.needsEngine !== false);
const engine = needsEngine ? acquireEngine() : { socketPath: '', seedImage: '', startedHere: false, stop() {} };
const stop = () => {
  engine.stop();
  process.exit(130);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
const workDir = fileURLToPath(new URL('../.work/', import.meta.url));
await mkdir(workDir, { recursive: true });
const dockerCli = ['/usr/local/bin/docker', '/usr/bin/docker'].find((path) => existsSync(path)) ?? 'docker';
try {
  const base = { engine, apiVersion: '1.41', dockerCli, workDir, sizes: options.sizes, reps: options.reps, log };
  let context = createContext(base);
  const engineFact = async (/** @type {string[]} */ args) => (needsEngine ? (await context.docker(args)).trim() : 'none');
  const apiVersion = await engineFact(['version', '--format', '{{.Server.APIVersion}}']);
  const engineVersion = await engineFact(['version', '--format', '{{.Server.Version}}']);
  const storageDriver = await engineFact(['info', '--format', '{{.Driver}}']);
  context = createContext({ ...base, apiVersion });
  const cases = [];
  for (const scenario of chosen) {
    log(`scenario ${scenario.id}: preparing…`);
    const scenarioCases = await scenario.prepare(context);
    try {
      for (const scenarioCase of scenarioCases) {
        log(`${scenarioCase.title}`);
        if (options.contenders) {
          // The floor always runs: every ratio divides by it.
          scenarioCase.contenders = scenarioCase.contenders.filter(
            (contender) => contender.name === scenarioCase.floor || options.contenders.some((part) => contender.name.toLowerCase().includes(part.toLowerCase())),
          );
        }
        cases.push(...(await runCase(scenarioCase, options.reps, log)));
      }
    } finally {
      await scenario.cleanup?.(context);
    }
  }
  const finishedAt = new Date();
  const results = {
    schema: 2,
    interim: options.interim,
    startedAt: startedAt.toISOString(),
    durationSeconds: Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000),
    reps: options.reps,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadAverage1m: { atStart: Math.round(loadAtStart * 100) / 100, atEnd: Math.round(os.loadavg()[0] * 100) / 100 },
    },
    engine: { version: engineVersion, apiVersion, storageDriver, harness: !needsEngine ? 'none (no scenario needed one)' : engine.startedHere ? 'started by this run' : 'from BERTH_TEST_DOCKER_SOCKET' },
    cases,
  };
  const resultsDirectory = new URL('../results/', import.meta.url);
  await mkdir(resultsDirectory, { recursive: true });
  const name = options.out ?? (options.interim ? 'interim' : 'latest');
  await writeFile(new URL(`${name}.json`, resultsDirectory), `${JSON.stringify(results, null, 2)}\n`);
  const report = formatReport(results);
  await writeFile(new URL(`${name}.md`, resultsDirectory), report);
  process.stdout.write(report);
  log(`results: ${fileURLToPath(new URL(`${name}.json`, resultsDirectory))}`);
} finally {
  engine.stop();
}

/** @param {string[]} args */
function parseArguments(args) {
  /** @type {{ scenarios: string[] | undefined, contenders: string[] | undefined, sizes: number[], reps: number, interim: boolean, list: boolean, out: string | undefined }} */
  const parsed = { scenarios: undefined, contenders: undefined, sizes: ['100M', '1G', '4G'].map(parseSize), reps: 5, interim: false, list: false, out: undefined };
  for (const arg of args) {
    const [key, value = ''] = arg.replace(/^--/, '').split('=');
    if (key === 'scenarios') parsed.scenarios = value.split(',').filter(Boolean);
    else if (key === 'contenders') parsed.contenders = value.split(',').filter(Boolean);
    else if (key === 'sizes') parsed.sizes = value.split(',').filter(Boolean).map(parseSize);
    else if (key === 'reps') parsed.reps = Math.max(1, Number.parseInt(value, 10));
    else if (key === 'interim') parsed.interim = true;
    else if (key === 'list') parsed.list = true;
    else if (key === 'out') parsed.out = value;
    else throw new Error(`unknown option ${arg}: --scenarios=a,b --sizes=100M,1G,4G --reps=5 --contenders=a,b --interim --out=name --list`);
  }
  return parsed;
}

