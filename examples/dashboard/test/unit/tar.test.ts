import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tarOf } from '../../src/client/tar.js';

describe('the browser-side tar writer', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'ex-dashboard-tar-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('writes an archive GNU tar reads back byte for byte, long and non-ASCII paths included', async () => {
    const longPath = `${'deep/'.repeat(30)}file.txt`;
    const files = [
      { path: 'Dockerfile', content: new Blob(['FROM scratch\nCOPY . /\n']) },
      { path: 'dir/äöü.txt', content: new Blob(['unicode name\n']) },
      { path: longPath, content: new Blob([new Uint8Array(1500).fill(65)]) },
      { path: 'empty', content: new Blob([]) },
    ];
    const archive = join(directory, 'context.tar');
    await writeFile(archive, new Uint8Array(await tarOf(files, Date.UTC(2024, 0, 1)).arrayBuffer()));
    const listing = execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).trim().split('\n');
    expect(listing).toEqual(['Dockerfile', 'dir/äöü.txt', longPath, 'empty']);
    const out = join(directory, 'out');
    execFileSync('mkdir', [out]);
    execFileSync('tar', ['-xf', archive, '-C', out]);
    expect(await readFile(join(out, 'Dockerfile'), 'utf8')).toBe('FROM scratch\nCOPY . /\n');
    expect(await readFile(join(out, 'dir', 'äöü.txt'), 'utf8')).toBe('unicode name\n');
    expect((await readFile(join(out, longPath))).length).toBe(1500);
    expect((await tarOf(files).arrayBuffer()).byteLength % 512).toBe(0);
  });

  it('refuses paths that leave the context or do not fit', () => {
    expect(() => tarOf([{ path: '../secret', content: new Blob([]) }])).toThrow(/Refusing the path/);
    expect(() => tarOf([{ path: '/etc/passwd', content: new Blob([]) }])).toThrow(/Refusing the path/);
    expect(() => tarOf([{ path: 'x'.repeat(120), content: new Blob([]) }])).toThrow(/too long/);
  });
});
