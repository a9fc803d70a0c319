// Install size: what `npm install` puts in node_modules for a user of Berth's images +
// transport-unix (the packed workspace packages, their dependencies from the registry),
// against dockerode and @docker/node-sdk. Needs the npm registry; one repetition.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));
const berthPackages = ['engine-protocol', 'build-context', 'images', 'transport-unix'];

export default {
  id: 'footprint',
  order: 80,
  description: 'install size (npm install into an empty folder): Berth images + transport-unix, dockerode, @docker/node-sdk',
  /** @param {import('../lib/context.mjs').BenchContext} ctx */
  async prepare(ctx) {
    const packed = await mkdtemp(join(ctx.workDir, 'packed-'));
    const tarballs = [];
    for (const name of berthPackages) {
      const { stdout } = await run('pnpm', ['pack', '--pack-destination', packed], { cwd: join(repositoryRoot, 'packages', name) });
      tarballs.push(stdout.trim().split('\n').pop() ?? '');
    }
    const install = (/** @type {string[]} */ specs) => async () => {
      const directory = await mkdtemp(join(ctx.workDir, 'install-'));
      try {
        const start = process.hrtime.bigint();
        await run('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', '--ignore-scripts', '--no-package-lock', '--prefix', directory, ...specs], { maxBuffer: 16 * 2 ** 20 });
        const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
        const bytes = await diskUsage(join(directory, 'node_modules'));
        const packages = (await run('npm', ['ls', '--all', '--parseable', '--prefix', directory])).stdout.trim().split('\n').length - 1;
        return { wallMs, cpuMs: 0, peakRssMiB: 0, reported: { bytes, packages } };
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    };
    return [
      {
        id: 'footprint',
        title: 'install size (node_modules after npm install, production dependencies)',
        floor: 'dockerode',
        reps: 1,
        primary: { label: 'install size', unit: 'MB', value: (/** @type {any} */ m) => m.reported.bytes / 1e6 },
        notes: (/** @type {any[]} */ runs) => `${runs[0]?.reported.packages} packages`,
        contenders: [
          { name: 'Berth images + transport-unix', run: install(tarballs) },
          { name: 'dockerode', run: install(['dockerode@5.0.1']) },
          { name: '@docker/node-sdk', run: install(['@docker/node-sdk@0.0.17']) },
        ],
      },
    ];
  },
};

/** Bytes of the files under `directory` (apparent sizes, like `du -sb`). @param {string} directory */
async function diskUsage(directory) {
  let total = 0;
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) total += await diskUsage(path);
    else if (entry.isFile()) total += (await stat(path)).size;
  }
  return total;
}
