import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadImages } from '../../../src/index.js';
import { knownBodyLength } from '../../../src/client/known-body-length.js';
import { startLoopbackEngine } from '../support/loopback-engine.js';

describe('Content-Length of a streamed file body', () => {
  it('is the file size for a whole-file read stream, and unknown for anything else', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'berth-length-'));
    try {
      const file = join(folder, 'archive.tar');
      await writeFile(file, Buffer.alloc(3000, 1));
      expect(await knownBodyLength(createReadStream(file))).toBe(3000);
      expect(await knownBodyLength(createReadStream(file, { start: 10 }))).toBeUndefined();
      expect(await knownBodyLength(createReadStream(file, { end: 99 }))).toBeUndefined();
      expect(await knownBodyLength(createReadStream(folder))).toBeUndefined();
      expect(await knownBodyLength(Readable.from([Buffer.alloc(5)]))).toBeUndefined();
      expect(await knownBodyLength(Buffer.alloc(5))).toBeUndefined();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('is sent for a load from a file (no chunked encoding), and a stream of unknown length stays chunked', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'berth-length-'));
    const received: Array<{ length: string | undefined; chunked: boolean; bytes: number }> = [];
    const engine = await startLoopbackEngine((request, response) => {
      if (!request.url?.includes('/images/load')) return undefined;
      let bytes = 0;
      request.on('data', (chunk: Buffer) => (bytes += chunk.length));
      request.on('end', () => {
        received.push({ length: request.headers['content-length'], chunked: request.headers['transfer-encoding'] === 'chunked', bytes });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"stream":"Loaded image: app:v1\\n"}\r\n');
      });
      return true;
    }, { apiVersion: '1.45' });
    try {
      const file = join(folder, 'archive.tar');
      await writeFile(file, Buffer.alloc(300_000, 2));
      for await (const message of await loadImages(engine.client, { body: createReadStream(file) })) void message;
      for await (const message of await loadImages(engine.client, { body: Readable.from([Buffer.alloc(1000, 3)]) })) void message;
      expect(received).toEqual([
        { length: '300000', chunked: false, bytes: 300_000 },
        { length: undefined, chunked: true, bytes: 1000 },
      ]);
    } finally {
      await engine.client.close();
      await engine.stop();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
