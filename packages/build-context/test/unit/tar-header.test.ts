// The tar writer against two independent readers of the format: tar-stream (the library this
// package used to write with, so the bytes must be the same as before) and GNU tar.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '@berth/test-engine';
import { pack as tarStreamPack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { ArchiveProducer, type ArchiveItem } from '../../src/tar/archive-producer.js';
import { planHeader, writeHeader, type EntryHeader, type EntryType } from '../../src/tar/tar-header.js';
import { temporaryDirectory } from '../support/fixtures.js';
import { listTar } from '../support/tar-listing.js';

const segments = ['a', 'src', 'ünï', 'x'.repeat(40), 'y'.repeat(99), 'z'.repeat(101), 'dir with space', '✓', 'q'.repeat(155)];

function randomItems(seed: number, count: number): ArchiveItem[] {
  const random = seededRandom(seed).next;
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const items: ArchiveItem[] = [];
  for (let i = 0; i < count; i++) {
    const depth = 1 + Math.floor(random() * 4);
    let name = Array.from({ length: depth }, () => pick(segments)).join('/') + `-${i}`;
    const type = pick<EntryType>(['file', 'file', 'file', 'directory', 'symlink', 'link']);
    if (type === 'directory') name += '/';
    const size = type === 'file' ? pick([0, 1, 511, 512, 513, 4096, 70_000, 600_000, Math.floor(random() * 5000)]) : 0;
    const linkname = type === 'symlink' || type === 'link' ? pick(['target', '../up', 'l'.repeat(100), 'm'.repeat(101), 'ünï/✓']) : undefined;
    const header: EntryHeader = {
      name,
      mode: pick([0o100644, 0o100755, 0o104755, 0o40755, 0o41777, 0o120777, 0o100000]),
      uid: 0,
      gid: 0,
      uname: '',
      gname: '',
      mtime: pick([0, 1, 1_500_000_000, 1_700_000_000, 2_147_483_647]),
      type,
      size,
      ...(linkname === undefined ? {} : { linkname }),
    };
    const content = type === 'file' ? Buffer.alloc(size, i % 251) : undefined;
    items.push(content === undefined ? { header } : { header, content });
  }
  return items;
}

async function produce(items: readonly ArchiveItem[]): Promise<Buffer> {
  const producer = new ArchiveProducer(items);
  const signal = new AbortController().signal;
  const chunks: Buffer[] = [];
  for (let chunk = await producer.next(signal); chunk !== null; chunk = await producer.next(signal)) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function withTarStream(items: readonly ArchiveItem[]): Promise<Buffer> {
  const pack = tarStreamPack();
  for (const { header, content } of items) {
    pack.entry({ ...header, mtime: new Date(header.mtime * 1000), ...(header.linkname === undefined ? {} : { linkname: header.linkname }) }, content === undefined ? undefined : Buffer.from(content));
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

describe('the tar writer', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`writes the same bytes as tar-stream for random entries (seed ${seed}): ustar, prefix split, PAX names and link targets`, async () => {
      const items = randomItems(seed, 60);
      const ours = await produce(items);
      const reference = await withTarStream(items);
      expect(ours.length).toBe(reference.length);
      expect(ours.equals(reference)).toBe(true);
    });
  }

  it('is read back by GNU tar with every name, link target, mode and size', async () => {
    const items = randomItems(7, 80);
    const directory = await temporaryDirectory();
    const archive = join(directory, 'a.tar');
    writeFileSync(archive, await produce(items));
    const listed = execFileSync('tar', ['--numeric-owner', '--full-time', '-tvf', archive], { encoding: 'utf8' }).trimEnd().split('\n');
    expect(listed).toHaveLength(items.length);
    const entries = await listTar(await produce(items));
    expect(entries.map((entry) => entry.name)).toEqual(items.map((item) => item.header.name));
    expect(entries.map((entry) => entry.size)).toEqual(items.map((item) => item.header.size));
    expect(entries.map((entry) => entry.linkname ?? undefined)).toEqual(items.map((item) => item.header.linkname));
  });

  it('writes sizes of 8 GiB and more in base-256, and smaller ones in octal', () => {
    const header: EntryHeader = { name: 'huge', mode: 0o100644, uid: 0, gid: 0, uname: '', gname: '', mtime: 0, type: 'file', size: 2 ** 33 + 5 };
    const block = Buffer.alloc(512);
    writeHeader(planHeader(header), block, 0);
    expect(block[124]).toBe(0x80);
    expect(block.readBigUInt64BE(128)).toBe(2n ** 33n + 5n);
    writeHeader(planHeader({ ...header, size: 2 ** 33 - 1 }), block, 0);
    expect(block.toString('latin1', 124, 136)).toBe('77777777777 ');
  });
});
