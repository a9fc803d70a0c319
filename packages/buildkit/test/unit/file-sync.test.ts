import { execFileSync } from 'node:child_process';
import { chmod, link, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DirectorySource } from '../../src/filesync/directory-source.js';
import { localDirectory } from '../../src/filesync/local-directory.js';
import { memoryDirectory } from '../../src/filesync/memory-directory.js';
import { walkForSync, type SyncFilters } from '../../src/filesync/sync-walk.js';
import { GrpcStatus } from '../../src/grpc/grpc-status.js';
import { fileSyncMethods, type DirectoryTransferStatistics, type FileSyncEvent } from '../../src/services/file-sync-service.js';
import { checkListingOrder, receiveAsEngine } from './support/fsutil-peer.js';
import { startGrpcPeer, type GrpcPeer } from './support/grpc-peer.js';

let workspace: string;
let peer: GrpcPeer | undefined;

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'berth-file-sync-'));
});
afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(workspace, 'tree-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

const noFilters: SyncFilters = { includePatterns: [], excludePatterns: [], followPaths: [] };

async function listed(source: DirectorySource, filters: Partial<SyncFilters> = {}): Promise<string[]> {
  const paths: string[] = [];
  for await (const entry of walkForSync(source, { ...noFilters, ...filters }, new AbortController().signal)) paths.push(entry.stat.path);
  return paths;
}

/** A source that records which directories were read. */
function recording(source: DirectorySource): DirectorySource & { readonly listedDirectories: string[] } {
  const listedDirectories: string[] = [];
  return {
    ...source,
    description: source.description,
    async list(path) {
      listedDirectories.push(path);
      return source.list(path);
    },
    entry: (path) => source.entry(path),
    read: (path, signal) => source.read(path, signal),
    listedDirectories,
  };
}

describe('walkForSync: what a FileSync request lists, in fsutil order', () => {
  it('lists depth first in byte order with Go file modes, owner 0:0, links as links, hard links once, and no FIFOs', async () => {
    const root = await tree({ 'B.txt': 'B', 'a/x.txt': 'xx', 'a/sub/y': 'y', 'a.b': 'ab', b: 'b', h1: 'same inode' });
    await link(join(root, 'h1'), join(root, 'h2'));
    await symlink('a/x.txt', join(root, 'l'));
    execFileSync('mkfifo', [join(root, 'pipe')]);
    await chmod(join(root, 'a'), 0o750);
    await chmod(join(root, 'b'), 0o4755);
    const entries = [];
    for await (const entry of walkForSync(await localDirectory(root), noFilters, new AbortController().signal)) entries.push(entry);
    const paths = entries.map((entry) => entry.stat.path);
    expect(paths).toEqual(['B.txt', 'a', 'a/sub', 'a/sub/y', 'a/x.txt', 'a.b', 'b', 'h1', 'h2', 'l']);
    checkListingOrder(paths);
    const byPath = new Map(entries.map((entry) => [entry.stat.path, entry]));
    expect(byPath.get('a')?.stat.mode).toBe(2 ** 31 + 0o750);
    expect(byPath.get('b')?.stat.mode).toBe(2 ** 23 + 0o755);
    expect(byPath.get('a/x.txt')?.stat).toMatchObject({ mode: 0o644 & ~process.umask(), size: 2, uid: 0, gid: 0, linkname: '' });
    expect(byPath.get('l')?.stat).toMatchObject({ mode: 2 ** 27 + 0o777, linkname: 'a/x.txt', size: 'a/x.txt'.length });
    expect(byPath.get('h2')?.stat).toMatchObject({ linkname: 'h1', size: 0 });
    expect(byPath.get('h1')?.stat).toMatchObject({ linkname: '', size: 'same inode'.length });
    expect(typeof byPath.get('b')?.stat.modTime).toBe('bigint');
    expect(entries.filter((entry) => entry.requestable).map((entry) => entry.stat.path)).toEqual(['B.txt', 'a/sub/y', 'a/x.txt', 'a.b', 'b', 'h1', 'h2']);
  });

  it('does not enter a directory excluded without exceptions', async () => {
    const source = recording(await localDirectory(await tree({ 'keep.txt': 'k', 'node_modules/x/y.js': 'y', 'docs/a.md': 'a' })));
    // `*.md` matches top-level names only: `*` does not cross `/`.
    expect(await listed(source, { excludePatterns: ['node_modules', '*.md'] })).toEqual(['docs', 'docs/a.md', 'keep.txt']);
    expect(source.listedDirectories).not.toContain('node_modules');
  });

  it('lists an excluded directory only for what an exception brings back, just before it', async () => {
    const source = recording(await localDirectory(await tree({ 'docs/keep.md': 'k', 'docs/other.md': 'o', 'docs/deep/x.md': 'x', 'other/z': 'z', top: 't' })));
    expect(await listed(source, { excludePatterns: ['docs', 'other', '!docs/keep.md'] })).toEqual(['docs', 'docs/keep.md', 'top']);
    // `other` cannot have anything brought back: not entered.
    expect(source.listedDirectories).not.toContain('other');
  });

  it('enters every excluded directory when an exception has wildcards', async () => {
    const source = recording(await localDirectory(await tree({ 'docs/keep.md': 'k', 'docs/other.txt': 'o', 'other/z.md': 'z' })));
    expect(await listed(source, { excludePatterns: ['docs', 'other', '!**/*.md'] })).toEqual(['docs', 'docs/keep.md', 'other', 'other/z.md']);
    expect(source.listedDirectories).toEqual(expect.arrayContaining(['docs', 'other']));
  });

  it('follows symbolic links of followpaths and does not walk directories no path can be in', async () => {
    const root = await tree({ 'docker/Dockerfile.prod': 'FROM scratch', 'node_modules/a/b.js': 'x', '.dockerignore': 'node_modules' });
    await symlink('docker/Dockerfile.prod', join(root, 'Dockerfile'));
    const source = recording(await localDirectory(root));
    expect(await listed(source, { followPaths: ['Dockerfile', 'Dockerfile.dockerignore', '.dockerignore'] })).toEqual([
      '.dockerignore',
      'Dockerfile',
      'docker',
      'docker/Dockerfile.prod',
    ]);
    expect(source.listedDirectories).not.toContain('node_modules');
  });

  it('applies include patterns with wildcards (walking everything) and lists parents of what matches', async () => {
    const source = await localDirectory(await tree({ 'src/a.ts': 'a', 'src/a.js': 'a', 'src/lib/b.ts': 'b', 'test/c.ts': 'c', 'README.md': 'r' }));
    expect(await listed(source, { includePatterns: ['src/**/*.ts'] })).toEqual(['src', 'src/a.ts', 'src/lib', 'src/lib/b.ts']);
    expect(await listed(source, { includePatterns: ['src'], excludePatterns: ['**/*.js'] })).toEqual(['src', 'src/a.ts', 'src/lib', 'src/lib/b.ts']);
  });

  it('serves in-memory files as one flat directory', async () => {
    const source = memoryDirectory({ Dockerfile: 'FROM scratch\n', '.dockerignore': '*.tmp\n' });
    expect(await listed(source)).toEqual(['.dockerignore', 'Dockerfile']);
    expect(() => memoryDirectory({ 'a/b': 'x' })).toThrow(/Invalid in-memory file name/);
  });
});

describe('FileSync.DiffCopy served to the engine', () => {
  async function serve(directories: Record<string, DirectorySource>): Promise<{ statistics: Record<string, DirectoryTransferStatistics>; events: FileSyncEvent[] }> {
    const statistics: Record<string, DirectoryTransferStatistics> = {};
    const events: FileSyncEvent[] = [];
    peer = await startGrpcPeer(fileSyncMethods(new Map(Object.entries(directories)), statistics, (event) => events.push(event)));
    return { statistics, events };
  }

  it('lists everything, sends only the files the engine asks for, and ends with status OK', async () => {
    const root = await tree({ 'a.txt': 'a'.repeat(200_000), 'b.txt': 'bbb', 'dir/c.txt': 'c', 'skip.log': 'log' });
    const { statistics, events } = await serve({ context: await localDirectory(root) });
    const call = peer!.open('/moby.filesync.v1.FileSync/DiffCopy', { 'dir-name': 'context', 'exclude-patterns': ['*.log'] });
    const received = await receiveAsEngine(call, (stat) => stat.path !== 'b.txt');
    expect(received.stats.map((stat) => stat.path)).toEqual(['a.txt', 'b.txt', 'dir', 'dir/c.txt']);
    expect([...received.files.keys()]).toEqual(expect.arrayContaining(['a.txt', 'dir/c.txt']));
    expect(received.files.has('b.txt')).toBe(false);
    expect(received.files.get('a.txt')?.toString()).toBe('a'.repeat(200_000));
    expect(await call.status()).toEqual({ code: 0, message: '' });
    expect(statistics['context']).toEqual({ requests: 1, entriesListed: 4, filesSent: 2, bytesSent: 200_001 });
    expect(events.filter((event) => event.type === 'sent').map((event) => event.path).sort()).toEqual(['a.txt', 'dir/c.txt']);
    expect(events.some((event) => event.path === 'skip.log')).toBe(false);
  });

  it('decodes URL-escaped patterns of engines that mark them "-encoded"', async () => {
    const root = await tree({ 'données/x': 'x', 'keep': 'k' });
    await serve({ context: await localDirectory(root) });
    const call = peer!.open('/moby.filesync.v1.FileSync/DiffCopy', {
      'dir-name': 'context',
      'exclude-patterns': [encodeURIComponent('données')],
      'exclude-patterns-encoded': '1',
    });
    expect((await receiveAsEngine(call, () => false)).stats.map((stat) => stat.path)).toEqual(['keep']);
  });

  it('answers NOT_FOUND for a directory the session does not serve, INVALID_ARGUMENT for a bad pattern', async () => {
    await serve({ context: memoryDirectory({}) });
    const unknown = peer!.open('/moby.filesync.v1.FileSync/DiffCopy', { 'dir-name': 'secrets' });
    unknown.end();
    expect(await unknown.status()).toMatchObject({ code: GrpcStatus.notFound, message: expect.stringContaining('"secrets"') });
    const invalid = peer!.open('/moby.filesync.v1.FileSync/DiffCopy', { 'dir-name': 'context', 'exclude-patterns': '[' });
    await expect(receiveAsEngine(invalid)).rejects.toThrow(/error from sender: .*\[/);
    expect((await invalid.status()).code).toBe(GrpcStatus.invalidArgument);
  });

  it('reports a directory it cannot read to the engine (error packet) and fails the call', async () => {
    if (process.getuid?.() === 0) {
      // root reads everything; an unreadable directory cannot be made. Use a vanished source instead.
      const failing: DirectorySource = { ...memoryDirectory({}), list: async () => Promise.reject(Object.assign(new Error('EIO: i/o error, scandir'), { code: 'EIO' })) };
      await serve({ context: failing });
    } else {
      const root = await tree({ 'locked/x': 'x' });
      await chmod(join(root, 'locked'), 0);
      await serve({ context: await localDirectory(root) });
    }
    const call = peer!.open('/moby.filesync.v1.FileSync/DiffCopy', { 'dir-name': 'context' });
    await expect(receiveAsEngine(call)).rejects.toThrow(/error from sender/);
    expect((await call.status()).code).toBe(GrpcStatus.unknown);
  });
});

describe('localDirectory', () => {
  it('refuses a missing path and a file', async () => {
    await expect(localDirectory(join(workspace, 'missing'))).rejects.toThrow(/does not exist/);
    const root = await tree({ file: 'x' });
    await expect(localDirectory(join(root, 'file'))).rejects.toThrow(/not a directory/);
    expect((await readFile(join(root, 'file'))).toString()).toBe('x');
  });
});
