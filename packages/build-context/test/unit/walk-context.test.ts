import { link, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { PatternMatcher } from '../../src/index.js';
import { walkContext } from '../../src/walk/walk-context.js';
import { putCharacterDevice, putDirectory, putFifo, putFile, putSocket, putSymlink, temporaryDirectory } from '../support/fixtures.js';

async function walk(root: string, patterns: readonly string[] = [], forced: readonly string[] = []): Promise<string[]> {
  const paths: string[] = [];
  for await (const entry of walkContext({ root, matcher: new PatternMatcher(patterns), forcedPaths: new Set(forced) })) {
    paths.push(entry.stats.isDirectory() ? `${entry.relativePath}/` : entry.relativePath);
  }
  return paths;
}

describe('walkContext', () => {
  it('walks depth first, siblings in byte order, a directory before its contents', async () => {
    const root = await temporaryDirectory();
    for (const path of ['a.txt', 'a/z', 'a/b/c', 'B', 'a-b', 'é', 'z', '_', 'a0']) await putFile(root, path);
    // filepath.WalkDir order: "a" < "a-b" < "a.txt" < "a0" byte-wise, and a/ is followed by its contents.
    expect(await walk(root)).toEqual(['B', '_', 'a/', 'a/b/', 'a/b/c', 'a/z', 'a-b', 'a.txt', 'a0', 'z', 'é']);
  });

  it('orders by UTF-8 bytes, not UTF-16 code units', async () => {
    const root = await temporaryDirectory();
    // U+FF5E sorts after U+1F600 in UTF-16 (0xFF5E > 0xD83D) but before it in UTF-8 (EF… < F0…).
    await putFile(root, '😀');
    await putFile(root, '～');
    expect(await walk(root)).toEqual(['～', '😀']);
  });

  it('drops an excluded directory with everything below it, without entering it', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'node_modules/x/index.js');
    await putFile(root, 'src/index.js');
    expect(await walk(root, ['node_modules'])).toEqual(['src/', 'src/index.js']);
  });

  it('enters an excluded directory for an exception below it, without an entry for the directory', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'vendor/keep/a.txt');
    await putFile(root, 'vendor/drop.txt');
    await putFile(root, 'vendor/keep.txt');
    expect(await walk(root, ['vendor', '!vendor/keep'])).toEqual(['vendor/keep/', 'vendor/keep/a.txt']);
    expect(await walk(root, ['vendor', '!vendor/keep.txt'])).toEqual(['vendor/keep.txt']);
  });

  it('does not enter an excluded directory for an exception that starts with a wildcard (as the CLI)', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'keep');
    await putFile(root, 'dir/keep');
    expect(await walk(root, ['**', '!**/keep'])).toEqual(['keep']);
  });

  it('keeps forced paths and enters their excluded parents', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'build/docker/Dockerfile');
    await putFile(root, 'build/docker/other');
    await putFile(root, '.dockerignore');
    expect(await walk(root, ['build', '.dockerignore'], ['.dockerignore', 'build/docker/Dockerfile'])).toEqual([
      '.dockerignore',
      'build/docker/Dockerfile',
    ]);
  });

  it('lists symbolic links without following them, and leaves out sockets, FIFOs and devices', async () => {
    const root = await temporaryDirectory();
    const outside = await temporaryDirectory();
    await putFile(outside, 'secret/file');
    await putSymlink(root, 'to-outside', join(outside, 'secret'));
    await putSymlink(root, 'dangling', 'nowhere');
    putFifo(root, 'fifo');
    putCharacterDevice(root, 'null');
    await putSocket(root, 'socket');
    await putFile(root, 'file');
    expect(await walk(root)).toEqual(['dangling', 'file', 'to-outside']);
  });

  it('yields every name of a hard-linked file (the archive decides which one is a link)', async () => {
    const root = await temporaryDirectory();
    const first = await putFile(root, 'a', 'same');
    await link(first, join(root, 'b'));
    expect(await walk(root)).toEqual(['a', 'b']);
  });

  it('names a file whose name is not valid UTF-8', async () => {
    const root = await temporaryDirectory();
    await writeFile(Buffer.concat([Buffer.from(`${root}/`), Buffer.from([0x62, 0xfe])]), '');
    await expect(walk(root)).rejects.toThrow(InvalidArgumentError);
    await expect(walk(root)).rejects.toThrow(/not valid UTF-8/);
  });

  it('walks an empty directory', async () => {
    const root = await temporaryDirectory();
    await putDirectory(root, 'empty');
    expect(await walk(root)).toEqual(['empty/']);
  });
});
