// What the scenarios run on, made by the bench itself: images with one layer of random
// (incompressible) bytes, their saved archives, and a generated build context.
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { formatSize } from './context.mjs';
import { seededRandom } from './progress-stream.mjs';

const run = promisify(execFile);

/** Tag of the image with a random layer of `size` bytes. @param {number} size */
export function randomImageName(size) {
  return `berth-bench/random:${formatSize(size).replace(/[ .]/g, '')}`;
}

/**
 * Builds (once per engine) an image of the seed image plus a layer of `size` random bytes.
 *
 * @param {import('./context.mjs').BenchContext} ctx
 * @param {number} size
 */
export async function ensureRandomImage(ctx, size) {
  const name = randomImageName(size);
  const present = await ctx.docker(['image', 'inspect', '--format', '{{.Id}}', name]).catch(() => '');
  if (present.trim() !== '') return name;
  ctx.log(`  building ${name} (${formatSize(size)} of random bytes)…`);
  const directory = await mkdtemp(join(ctx.workDir, 'image-'));
  try {
    await writeFile(join(directory, 'Dockerfile'), `FROM ${ctx.engine.seedImage}\nRUN head -c ${size} /dev/urandom > /random.bin\n`);
    await ctx.docker(['build', '-q', '--network', 'none', '-t', name, directory]);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
  return name;
}

/**
 * The archive `docker save` makes of the image, in the work folder (made once, with curl).
 *
 * @param {import('./context.mjs').BenchContext} ctx
 * @param {number} size
 */
export async function ensureSavedArchive(ctx, size) {
  const name = await ensureRandomImage(ctx, size);
  const file = join(ctx.workDir, `save-${formatSize(size).replace(/[ .]/g, '')}.tar`);
  if (existsSync(file) && statSync(file).size > size) return { name, file };
  ctx.log(`  saving ${name} to ${file}…`);
  await run('curl', ['-sS', '--fail', '--unix-socket', ctx.engine.socketPath, '-o', file, `http://localhost/v${ctx.apiVersion}/images/${encodeURIComponent(name)}/get`]);
  return { name, file };
}

/**
 * A build context like a web app's: 22,450 files (22,000 after the `.dockerignore`, which drops
 * `*.tmp` files) in 1,400 directories, about 124 MB, mostly small files (log-normal sizes) and a
 * few large ones, and a Dockerfile that copies everything. Made once, seeded.
 *
 * @param {string} workDir
 */
export async function ensureContext(workDir) {
  const root = join(workDir, 'context-22k-v2');
  const marker = join(root, '.complete');
  if (existsSync(marker)) return root;
  await rm(root, { recursive: true, force: true });
  const random = seededRandom(22_000);
  let total = 0;
  let files = 0;
  const directories = [''];
  for (let d = 0; d < 1400; d++) {
    const parent = directories[Math.floor(random() * directories.length)] ?? '';
    const name = `${parent === '' ? '' : `${parent}/`}${['lib', 'src', 'dist', 'pkg', 'mod', 'test', 'node_modules', 'types'][d % 8]}-${d}`;
    directories.push(name);
    await mkdir(join(root, name), { recursive: true });
  }
  const content = Buffer.alloc(16 * 1024 * 1024);
  for (let i = 0; i < content.length; i++) content[i] = Math.floor(random() * 256);
  while (files < 22_450) {
    const directory = directories[Math.floor(random() * directories.length)] ?? '';
    // Log-normal around 2 KiB, a long tail; 10 files of 1–3 MB.
    const size = files < 10 ? Math.floor(1_000_000 + random() * 2_000_000) : Math.min(4_000_000, Math.floor(Math.exp(7.6 + 1.3 * gaussian(random))));
    // One file in 50 is a .tmp that the .dockerignore drops.
    const extension = files % 50 === 49 ? '.tmp' : ['.js', '.ts', '.json', '.map', '.md', '.d.ts'][files % 6];
    const offset = Math.floor(random() * (content.length - size));
    await writeFile(join(root, directory, `file-${files}${extension}`), content.subarray(offset, offset + size));
    total += size;
    files++;
  }
  await writeFile(join(root, 'Dockerfile'), 'FROM scratch\nCOPY . /context/\n');
  await writeFile(join(root, '.dockerignore'), '**/*.tmp\n!**/keep.tmp\n.complete\n');
  await writeFile(marker, `${files} files, ${total} bytes\n`);
  return root;
}

/** @param {() => number} random */
function gaussian(random) {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
