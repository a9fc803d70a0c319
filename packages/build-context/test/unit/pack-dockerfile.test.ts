import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AbortedError, InvalidArgumentError } from '@berth/engine-protocol';
import { packDockerfile } from '../../src/index.js';
import { listTar } from '../support/tar-listing.js';

describe('packDockerfile', () => {
  it('makes a context holding only the Dockerfile', async () => {
    const before = Math.floor(Date.now() / 1000);
    const context = await packDockerfile('FROM scratch\nLABEL a=b\n');
    expect(context.dockerfile).toBe('Dockerfile');
    const entries = await listTar(context.stream);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ name: 'Dockerfile', type: 'file', mode: 0o644, uid: 0, gid: 0, uname: '', gname: '', size: 23 });
    expect(entries[0]?.content?.toString()).toBe('FROM scratch\nLABEL a=b\n');
    expect(entries[0]?.mtime).toBeGreaterThanOrEqual(before);
  });

  it('reads the Dockerfile from a stream', async () => {
    const context = await packDockerfile(Readable.from([Buffer.from('FROM '), Buffer.from('scratch\n')]));
    const [entry] = await listTar(context.stream);
    expect(entry?.content?.toString()).toBe('FROM scratch\n');
  });

  it('gzips on request', async () => {
    const context = await packDockerfile(new TextEncoder().encode('FROM scratch\n'), { gzip: true });
    const chunks: Buffer[] = [];
    for await (const chunk of context.stream) chunks.push(chunk as Buffer);
    const [entry] = await listTar(Buffer.concat(chunks), { gzip: true });
    expect(entry?.name).toBe('Dockerfile');
  });

  it('refuses content that is neither text, bytes nor a stream', async () => {
    await expect(packDockerfile(42 as unknown as string)).rejects.toThrow(InvalidArgumentError);
  });

  it('names a failing stream', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('disk on fire'));
      },
    });
    await expect(packDockerfile(failing)).rejects.toMatchObject({ name: 'InvalidArgumentError', argument: 'content' });
  });

  it('honours an aborted signal', async () => {
    await expect(packDockerfile('FROM scratch', { signal: AbortSignal.abort() })).rejects.toThrow(AbortedError);
  });
});
