import { chmod, chown, link, readlink, readdir, symlink, truncate, utimes } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AbortedError, InvalidArgumentError } from '@berth/engine-protocol';
import { packDirectory } from '../../src/index.js';
import {
  putCharacterDevice,
  putDirectory,
  putFifo,
  putFile,
  putSocket,
  putSymlink,
  temporaryDirectory,
} from '../support/fixtures.js';
import { listTar, type ListedEntry } from '../support/tar-listing.js';

const dockerfile = 'FROM scratch\nCOPY . /\n';

async function names(contextPath: string, options: Parameters<typeof packDirectory>[1] = {}): Promise<string[]> {
  const context = await packDirectory(contextPath, options);
  return (await listTar(context.stream)).map((entry) => entry.name);
}

function entryNamed(entries: readonly ListedEntry[], name: string): ListedEntry {
  const entry = entries.find((candidate) => candidate.name === name);
  if (entry === undefined) throw new Error(`no entry ${name} in ${entries.map((e) => e.name).join(', ')}`);
  return entry;
}

// Paths under `root` that this process has open right now.
async function openFilesUnder(root: string): Promise<string[]> {
  const open: string[] = [];
  for (const descriptor of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${descriptor}`).catch(() => '');
    if (target.startsWith(`${root}/`)) open.push(target);
  }
  return open;
}

describe('packDirectory: entries and headers', () => {
  it('writes the headers the Docker CLI writes: owner 0:0, no user names, permission bits, whole-second mtime', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'Dockerfile', dockerfile, { mtime: 1_700_000_000.9 });
    const script = await putFile(root, 'bin/run.sh', '#!/bin/sh\n');
    // chown clears setuid, so the mode comes after it.
    await chown(script, 1234, 5678);
    await chmod(script, 0o4755);
    await utimes(script, 1_600_000_000.2, 1_600_000_000.2);
    await putFile(root, 'locked', 'x', { mode: 0o000 });
    await putDirectory(root, 'bin', { mode: 0o750, mtime: 1_500_000_000 });
    await putDirectory(root, 'shared', { mode: 0o1777 });

    const context = await packDirectory(root);
    expect(context.stream).toBeInstanceOf(Readable);
    expect(context.dockerfile).toBe('Dockerfile');
    const entries = await listTar(context.stream);
    expect(entries.map((entry) => entry.name)).toEqual(['Dockerfile', 'bin/', 'bin/run.sh', 'locked', 'shared/']);
    for (const entry of entries) {
      expect([entry.uid, entry.gid, entry.uname, entry.gname]).toEqual([0, 0, '', '']);
    }
    expect(entryNamed(entries, 'Dockerfile')).toMatchObject({ type: 'file', mode: 0o644, mtime: 1_700_000_000, size: dockerfile.length });
    expect(entryNamed(entries, 'bin/run.sh')).toMatchObject({ type: 'file', mode: 0o4755, mtime: 1_600_000_000 });
    expect(entryNamed(entries, 'locked')).toMatchObject({ type: 'file', mode: 0o000, size: 1 });
    expect(entryNamed(entries, 'bin/')).toMatchObject({ type: 'directory', mode: 0o750, mtime: 1_500_000_000, size: 0 });
    expect(entryNamed(entries, 'shared/')).toMatchObject({ type: 'directory', mode: 0o1777 });
    expect(entryNamed(entries, 'bin/run.sh').content?.toString()).toBe('#!/bin/sh\n');
  });

  // Regression (issue 9, bug 9): a file dated before 1970 was archived with mtime 0.
  it('keeps a time before 1970, floored to whole seconds, in a PAX record as the docker CLI does', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'Dockerfile', dockerfile);
    // Dates: Node takes a negative number of seconds for "now".
    await utimes(await putFile(root, 'old.txt', 'old'), new Date(-302_443_199_500), new Date(-302_443_199_500));
    await utimes(await putFile(root, 'edge.txt', ''), new Date(-500), new Date(-500));
    await utimes(await putFile(root, 'epoch.txt', ''), new Date(0), new Date(0));
    const entries = await listTar((await packDirectory(root)).stream);
    expect(entryNamed(entries, 'old.txt').mtime).toBe(-302_443_200);
    expect(entryNamed(entries, 'edge.txt').mtime).toBe(-1);
    expect(entryNamed(entries, 'epoch.txt').mtime).toBe(0);
    expect(entryNamed(entries, 'old.txt').content?.toString()).toBe('old');
  });

  it('archives symbolic links as links with their target verbatim, never following them', async () => {
    const root = await temporaryDirectory();
    const outside = await temporaryDirectory();
    await putFile(outside, 'secret/key', 'do not send');
    await putFile(root, 'Dockerfile', dockerfile);
    await putFile(root, 'real/file', 'x');
    await putSymlink(root, 'relative', 'real/file');
    await putSymlink(root, 'absolute', join(outside, 'secret'));
    await putSymlink(root, 'escape', '../../etc/passwd');
    await putSymlink(root, 'dangling', 'missing');
    const longTarget = `${'d'.repeat(60)}/${'e'.repeat(60)}`;
    await putSymlink(root, 'long', longTarget);

    const entries = await listTar((await packDirectory(root)).stream);
    expect(entries.map((entry) => [entry.name, entry.type, entry.linkname])).toEqual([
      ['Dockerfile', 'file', null],
      ['absolute', 'symlink', join(outside, 'secret')],
      ['dangling', 'symlink', 'missing'],
      ['escape', 'symlink', '../../etc/passwd'],
      ['long', 'symlink', longTarget],
      ['real/', 'directory', null],
      ['real/file', 'file', null],
      ['relative', 'symlink', 'real/file'],
    ]);
    expect(entries.every((entry) => entry.content?.toString() !== 'do not send')).toBe(true);
  });

  it('archives a second name of a hard-linked file as a link to the first', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'Dockerfile', dockerfile);
    const first = await putFile(root, 'a/data', 'shared bytes');
    await link(first, join(root, 'b'));
    const entries = await listTar((await packDirectory(root)).stream);
    expect(entryNamed(entries, 'a/data')).toMatchObject({ type: 'file', size: 12 });
    expect(entryNamed(entries, 'b')).toMatchObject({ type: 'link', linkname: 'a/data', size: 0 });
  });

  it('leaves out sockets, FIFOs and devices', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'Dockerfile', dockerfile);
    putFifo(root, 'fifo');
    putCharacterDevice(root, 'null');
    await putSocket(root, 'socket');
    expect(await names(root)).toEqual(['Dockerfile']);
  });

  it('keeps long and non-ASCII names', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'Dockerfile', dockerfile);
    const long = `${'a'.repeat(120)}/${'b'.repeat(120)}.txt`;
    await putFile(root, long, 'long');
    await putFile(root, 'ünïcødé/文件.txt', 'utf8');
    const entries = await listTar((await packDirectory(root)).stream);
    expect(entries.map((entry) => entry.name)).toEqual(['Dockerfile', `${'a'.repeat(120)}/`, long, 'ünïcødé/', 'ünïcødé/文件.txt']);
    expect(entryNamed(entries, long).content?.toString()).toBe('long');
  });

  it('resolves a context path that is a symbolic link', async () => {
    const root = await temporaryDirectory();
    const holder = await temporaryDirectory();
    await putFile(root, 'Dockerfile', dockerfile);
    await putFile(root, 'app.js', '1');
    await symlink(root, join(holder, 'linked'));
    expect(await names(join(holder, 'linked'))).toEqual(['Dockerfile', 'app.js']);
  });
});

describe('packDirectory: .dockerignore', () => {
  it('applies the rules and always sends the Dockerfile and .dockerignore', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'Dockerfile', dockerfile);
    await putFile(root, '.dockerignore', '*\n');
    await putFile(root, 'app.js', '1');
    expect(await names(root)).toEqual(['.dockerignore', 'Dockerfile']);
  });

  it('sends a Dockerfile inside an excluded directory without the directory entry', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'docker/Dockerfile', dockerfile);
    await putFile(root, 'docker/notes.md', 'x');
    await putFile(root, '.dockerignore', 'docker\n');
    const context = await packDirectory(root, { dockerfile: join(root, 'docker/Dockerfile') });
    expect(context.dockerfile).toBe('docker/Dockerfile');
    expect((await listTar(context.stream)).map((entry) => entry.name)).toEqual(['.dockerignore', 'docker/Dockerfile']);
  });

  it('uses the dockerignore option instead of the file, and still sends the file', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'Dockerfile', dockerfile);
    await putFile(root, '.dockerignore', 'a.txt\n');
    await putFile(root, 'a.txt', 'a');
    await putFile(root, 'b.txt', 'b');
    expect(await names(root, { dockerignore: 'b.txt\n.dockerignore\n' })).toEqual(['.dockerignore', 'Dockerfile', 'a.txt']);
  });

  it('refuses a pattern the CLI refuses, before anything is produced', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'Dockerfile', dockerfile);
    await putFile(root, '.dockerignore', 'ok\n[z-a]\n');
    await expect(packDirectory(root)).rejects.toThrow(InvalidArgumentError);
    await expect(packDirectory(root)).rejects.toMatchObject({ argument: 'dockerignore' });
    await expect(packDirectory(root, { dockerignore: '!' })).rejects.toThrow(/illegal exclusion pattern/);
  });
});

describe('packDirectory: the Dockerfile', () => {
  it('falls back to "dockerfile" when there is no "Dockerfile"', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'dockerfile', dockerfile);
    expect((await packDirectory(root)).dockerfile).toBe('dockerfile');
  });

  it('resolves a relative dockerfile option against the current directory, like docker build -f', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'build/app.Dockerfile', dockerfile);
    const context = await packDirectory(root, { dockerfile: relative(process.cwd(), join(root, 'build/app.Dockerfile')) });
    expect(context.dockerfile).toBe('build/app.Dockerfile');
  });

  it('follows a Dockerfile symbolic link to its target inside the context', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'docker/real.Dockerfile', dockerfile);
    await putSymlink(root, 'Dockerfile', 'docker/real.Dockerfile');
    const context = await packDirectory(root);
    expect(context.dockerfile).toBe('docker/real.Dockerfile');
    expect((await listTar(context.stream)).map((entry) => [entry.name, entry.type])).toEqual([
      ['Dockerfile', 'symlink'],
      ['docker/', 'directory'],
      ['docker/real.Dockerfile', 'file'],
    ]);
  });

  it('adds a Dockerfile from outside the context under a generated name, listed in .dockerignore', async () => {
    const root = await temporaryDirectory();
    const elsewhere = await temporaryDirectory();
    const external = await putFile(elsewhere, 'app.Dockerfile', 'FROM scratch\nCOPY app.js /\n');
    await putFile(root, 'app.js', '1');
    const context = await packDirectory(root, { dockerfile: external });
    expect(context.dockerfile).toMatch(/^\.dockerfile\.[0-9a-f]{20}$/);
    const entries = await listTar(context.stream);
    expect(entries.map((entry) => entry.name)).toEqual(['app.js', context.dockerfile, '.dockerignore']);
    expect(entryNamed(entries, context.dockerfile)).toMatchObject({ type: 'file', mode: 0o600, uid: 0, gid: 0 });
    expect(entryNamed(entries, context.dockerfile).content?.toString()).toBe('FROM scratch\nCOPY app.js /\n');
    expect(entryNamed(entries, '.dockerignore').content?.toString()).toBe(`.dockerignore\n${context.dockerfile}\n`);
    expect(entryNamed(entries, '.dockerignore').mode).toBe(0o600);
  });

  it('appends the generated name to an existing .dockerignore in place', async () => {
    const root = await temporaryDirectory();
    await putFile(root, '.dockerignore', '*.log', { mode: 0o640, mtime: 1_650_000_000 });
    await putFile(root, 'a.log', 'x');
    await putFile(root, 'b.txt', 'x');
    const context = await packDirectory(root, { dockerfileContent: Readable.from([Buffer.from('FROM scratch\n')]) });
    const entries = await listTar(context.stream);
    expect(entries.map((entry) => entry.name)).toEqual(['.dockerignore', 'b.txt', context.dockerfile]);
    expect(entryNamed(entries, '.dockerignore')).toMatchObject({ mode: 0o640, mtime: 1_650_000_000 });
    expect(entryNamed(entries, '.dockerignore').content?.toString()).toBe(`*.log\n${context.dockerfile}\n`);
    expect(entryNamed(entries, context.dockerfile).content?.toString()).toBe('FROM scratch\n');
  });

  it('takes the Dockerfile as text', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'Dockerfile', 'FROM ignored\n');
    const context = await packDirectory(root, { dockerfileContent: 'FROM scratch\n' });
    const entries = await listTar(context.stream);
    expect(entryNamed(entries, context.dockerfile).content?.toString()).toBe('FROM scratch\n');
    expect(entryNamed(entries, 'Dockerfile').content?.toString()).toBe('FROM ignored\n');
  });

  it.each([
    ['a missing Dockerfile', { dockerfile: 'no/such/Dockerfile' }, 'dockerfile', /Cannot locate the Dockerfile/],
    ['a directory as Dockerfile', { dockerfile: '/' }, 'dockerfile', /not a regular file/],
    ['both dockerfile and dockerfileContent', { dockerfile: 'x', dockerfileContent: 'FROM scratch' }, 'dockerfileContent', /not both/],
  ] as const)('refuses %s', async (_, options, argument, message) => {
    const root = await temporaryDirectory();
    await expect(packDirectory(root, options)).rejects.toThrow(message);
    await expect(packDirectory(root, options)).rejects.toMatchObject({ argument });
  });

  it('refuses a context without Dockerfile', async () => {
    const root = await temporaryDirectory();
    await expect(packDirectory(root)).rejects.toThrow(new RegExp(`Cannot locate the Dockerfile "${join(root, 'Dockerfile')}"`));
  });
});

describe('packDirectory: validation of the context path', () => {
  it('names a missing context path', async () => {
    const root = await temporaryDirectory();
    const missing = join(root, 'nope');
    const failure = packDirectory(missing);
    await expect(failure).rejects.toThrow(InvalidArgumentError);
    await expect(packDirectory(missing)).rejects.toThrow(`"${missing}" does not exist`);
    await expect(packDirectory(missing)).rejects.toMatchObject({ argument: 'contextPath' });
  });

  it('names a context path that is a file', async () => {
    const root = await temporaryDirectory();
    const file = await putFile(root, 'Dockerfile', dockerfile);
    await expect(packDirectory(file)).rejects.toThrow(`"${file}" is not a directory`);
  });

  it('refuses an empty path', async () => {
    await expect(packDirectory('')).rejects.toMatchObject({ name: 'InvalidArgumentError', argument: 'contextPath' });
  });
});

describe('packDirectory: gzip', () => {
  it('compresses the same archive with gzip', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'Dockerfile', dockerfile);
    await putFile(root, 'data.bin', Buffer.alloc(100_000, 7));
    const plain = await listTar((await packDirectory(root)).stream);
    const compressed = await packDirectory(root, { gzip: true });
    const chunks: Buffer[] = [];
    for await (const chunk of compressed.stream) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    expect([...bytes.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    expect(bytes.length).toBeLessThan(10_000);
    expect(await listTar(bytes, { gzip: true })).toEqual(plain);
  });
});

describe('packDirectory: streaming, abort and file handles', () => {
  it('opens no file until the stream is read', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'Dockerfile', dockerfile);
    await putFile(root, 'a', 'a');
    const context = await packDirectory(root);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await openFilesUnder(root)).toEqual([]);
    expect(context.stream.readableLength).toBe(0);
    context.stream.destroy();
  });

  it('reads a big file only as fast as the consumer reads (bounded memory)', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'Dockerfile', dockerfile);
    const big = await putFile(root, 'big.bin');
    await truncate(big, 512 * 1024 * 1024);
    const context = await packDirectory(root);
    const before = process.memoryUsage().arrayBuffers;
    let received = 0;
    for await (const chunk of context.stream) {
      received += (chunk as Buffer).length;
      if (received > 4 * 1024 * 1024) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
    expect(context.stream.destroyed).toBe(true);
    expect(await openFilesUnder(root)).toEqual([]);
  });

  it('destroys the stream with AbortedError when the signal aborts mid-file, closing the file first', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'Dockerfile', dockerfile);
    const big = await putFile(root, 'big.bin');
    await truncate(big, 64 * 1024 * 1024);
    const controller = new AbortController();
    const context = await packDirectory(root, { signal: controller.signal });
    const closed = new Promise<void>((resolve) => context.stream.once('close', resolve));
    const failed = new Promise<unknown>((resolve) => context.stream.once('error', resolve));
    let received = 0;
    await new Promise<void>((resolve) => {
      const onData = (chunk: Buffer): void => {
        received += chunk.length;
        if (received > 1024 * 1024) {
          context.stream.pause();
          context.stream.off('data', onData);
          resolve();
        }
      };
      context.stream.on('data', onData);
    });
    expect(await openFilesUnder(root)).toEqual([big]);
    controller.abort(new Error('user cancelled'));
    const error = await failed;
    await closed;
    expect(error).toBeInstanceOf(AbortedError);
    expect((error as AbortedError).cause).toEqual(new Error('user cancelled'));
    expect(await openFilesUnder(root)).toEqual([]);
    expect(received).toBeLessThan(64 * 1024 * 1024);
  });

  it('rejects with AbortedError when the signal is already aborted', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'Dockerfile', dockerfile);
    await expect(packDirectory(root, { signal: AbortSignal.abort() })).rejects.toThrow(AbortedError);
  });

  it('closes the open file when the consumer destroys the stream', async () => {
    const root = await temporaryDirectory();
    await putFile(root, 'Dockerfile', dockerfile);
    const big = await putFile(root, 'big.bin');
    await truncate(big, 64 * 1024 * 1024);
    const context = await packDirectory(root);
    const iterator = context.stream[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await openFilesUnder(root)).toEqual([big]);
    const closed = new Promise<void>((resolve) => context.stream.once('close', resolve));
    context.stream.destroy();
    await closed;
    expect(await openFilesUnder(root)).toEqual([]);
  });
});
