import { lstat, mkdir, mkdtemp, readFile, readlink, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GrpcStatus } from '../../src/grpc/grpc-status.js';
import { encodeBytesMessage } from '../../src/messages/bytes-message.js';
import type { FileStat } from '../../src/messages/file-sync-packet.js';
import { fileSendMethods, type OutputStatistics } from '../../src/services/file-send-service.js';
import { sendAsEngine } from './support/fsutil-peer.js';
import { startGrpcPeer, type GrpcPeer } from './support/grpc-peer.js';

let workspace: string;
let peer: GrpcPeer | undefined;
beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'berth-file-send-'));
});
afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

const second = 1_000_000_000n;
function fileStat(path: string, mode: number, extra: Partial<FileStat> = {}): FileStat {
  return { path, mode, uid: 0, gid: 0, size: 0, modTime: 1_600_000_000n * second, linkname: '', devmajor: 0, devminor: 0, ...extra };
}

describe('FileSend: a local output', () => {
  it('writes directories, files, symbolic and hard links with their modes and times, keeping what was there', async () => {
    const destination = join(workspace, 'out-local');
    await mkdir(destination);
    await mkdir(join(destination, 'previous'));
    let received: OutputStatistics | undefined;
    peer = await startGrpcPeer(fileSendMethods({ type: 'local', dest: destination }, (statistics) => (received = statistics)));
    const call = peer.open('/moby.filesync.v1.FileSend/DiffCopy');
    const big = Buffer.alloc(100_000, 7);
    await sendAsEngine(call, [
      { stat: fileStat('app', 2 ** 31 + 0o755) },
      { stat: fileStat('app/bin', 2 ** 23 + 0o755, { size: 3 }), content: Buffer.from('elf') },
      { stat: fileStat('app/big', 0o600, { size: big.length }), content: big },
      { stat: fileStat('app/copy', 0o600, { linkname: 'app/big' }) },
      { stat: fileStat('current', 2 ** 27 + 0o777, { linkname: 'app/bin' }) },
      { stat: fileStat('fifo', 2 ** 25 + 0o644) },
    ]);
    expect(await call.status()).toEqual({ code: 0, message: '' });
    expect(received).toEqual({ entries: 6, files: 3, bytes: 100_003, skipped: 1, complete: true });
    expect((await readFile(join(destination, 'app/bin'))).toString()).toBe('elf');
    expect((await stat(join(destination, 'app/bin'))).mode & 0o7777).toBe(0o4755);
    expect((await stat(join(destination, 'app'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(destination, 'app'))).mtimeMs).toBe(1_600_000_000_000);
    expect((await readFile(join(destination, 'app/big'))).equals(big)).toBe(true);
    expect((await stat(join(destination, 'app/copy'))).ino).toBe((await stat(join(destination, 'app/big'))).ino);
    expect(await readlink(join(destination, 'current'))).toBe('app/bin');
    expect((await lstat(join(destination, 'previous'))).isDirectory()).toBe(true);
    await expect(lstat(join(destination, 'fifo'))).rejects.toThrow();
  });

  it('refuses paths that leave the destination or go through a symbolic link, telling the engine', async () => {
    const destination = join(workspace, 'out-escape');
    const outside = join(workspace, 'outside');
    await mkdir(outside, { recursive: true });
    await mkdir(destination);
    await symlink(outside, join(destination, 'link'));
    peer = await startGrpcPeer(fileSendMethods({ type: 'local', dest: destination }, () => undefined));
    for (const path of ['../escape', 'link/inside', '/absolute', 'a/../b']) {
      const call = peer.open('/moby.filesync.v1.FileSend/DiffCopy');
      await expect(sendAsEngine(call, [{ stat: fileStat(path, 0o644, { size: 1 }), content: Buffer.from('x') }]), path).rejects.toThrow(/error from receiver: refusing/);
      expect((await call.status()).code).toBe(GrpcStatus.invalidArgument);
    }
    await expect(lstat(join(outside, 'inside'))).rejects.toThrow();
    await expect(lstat(join(workspace, 'escape'))).rejects.toThrow();
  });
});

describe('FileSend: a tar output', () => {
  it('writes the bytes to a file, and to a stream it leaves open', async () => {
    const file = join(workspace, 'out.tar');
    let received: OutputStatistics | undefined;
    peer = await startGrpcPeer(fileSendMethods({ type: 'tar', dest: file }, (statistics) => (received = statistics)));
    const call = peer.open('/moby.filesync.v1.FileSend/DiffCopy', { 'exporter-md-image.name': 'x' });
    const parts = [Buffer.alloc(300_000, 1), Buffer.from('tail')];
    for (const part of parts) call.send(encodeBytesMessage(part));
    call.end();
    expect(await call.status()).toEqual({ code: 0, message: '' });
    expect((await readFile(file)).equals(Buffer.concat(parts))).toBe(true);
    expect(received?.bytes).toBe(300_004);

    await peer.close();
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    peer = await startGrpcPeer(fileSendMethods({ type: 'tar', dest: stream }, () => undefined));
    const second = peer.open('/moby.filesync.v1.FileSend/DiffCopy');
    second.send(encodeBytesMessage(Buffer.from('archive')));
    second.end();
    expect((await second.status()).code).toBe(0);
    expect(Buffer.concat(chunks).toString()).toBe('archive');
    expect(stream.writableEnded).toBe(false);
  });
});
