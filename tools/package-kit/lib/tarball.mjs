// Packing a workspace package the way it is published (`pnpm pack`: `workspace:` ranges
// replaced, `files` applied) and reading the tarball back.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * Packs the package in `directory` into `destination` (a new temporary folder by default).
 * @returns {string} the tarball's path
 */
export function packPackage(directory, destination = mkdtempSync(path.join(tmpdir(), 'berth-pack-'))) {
  const before = new Set(readdirSync(destination));
  execFileSync('pnpm', ['pack', '--pack-destination', destination], { cwd: directory, stdio: ['ignore', 'ignore', 'pipe'] });
  const created = readdirSync(destination).filter((entry) => entry.endsWith('.tgz') && !before.has(entry));
  if (created.length !== 1) throw new Error(`pnpm pack in ${directory} made ${created.length} tarballs`);
  return path.join(destination, created[0]);
}

/**
 * The regular files of a .tgz made by npm or pnpm, with their contents; names without the
 * leading `package/`.
 * @returns {{ packedBytes: number, files: Map<string, Buffer> }}
 */
export function readTarball(tarballPath) {
  const packed = readFileSync(tarballPath);
  const archive = gunzipSync(packed);
  const files = new Map();
  let offset = 0;
  let longName;
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start, length) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const prefix = field(345, 155);
    const body = archive.subarray(offset + 512, offset + 512 + size);
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    longName = undefined;
    if (type === 'L') longName = body.toString('utf8').replace(/\0.*$/s, '');
    else if (type === '0' || type === '\0') files.set(name.replace(/^package\//, ''), Buffer.from(body));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return { packedBytes: packed.length, files };
}
