import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { NotFoundError, saveImages, StreamMessageError } from '../../../src/index.js';
import { fixture } from '../streams/helpers.js';
import { eventually, outcomeOf } from '@berth/test-engine';
import { startLoopbackEngine } from '../support/loopback-engine.js';

const saved = fixture('save-small.tar');
const piece = Buffer.alloc(64 * 1024, 0x61);

/** Writes `total` bytes of a valid tar (the fixture's first header, then filler, then the end marker), honouring backpressure; counts what it wrote. */
function writeArchive(response: ServerResponse, total: number, written: { bytes: number }): void {
  response.writeHead(200, { 'content-type': 'application/x-tar' });
  response.write(Buffer.from(saved.subarray(0, 512)));
  written.bytes = 512;
  const pump = (): void => {
    while (written.bytes < total) {
      written.bytes += piece.length;
      if (!response.write(piece)) {
        response.once('drain', pump);
        return;
      }
    }
    written.bytes += 1024;
    response.end(Buffer.alloc(1024));
  };
  pump();
}

// The save reply goes from undici's parser straight into the stream the caller reads
// (dispatch-byte-stream.ts): these pin what undici's own body stream used to provide.
describe('saveImages stream (dispatched byte stream)', () => {
  it('holds back the engine while the consumer is paused, then delivers every byte', async () => {
    const written = { bytes: 0 };
    const total = 64 * 1024 * 1024;
    const engine = await startLoopbackEngine((request, response) => {
      if (!request.url?.includes('/get')) return undefined;
      writeArchive(response, total, written);
      return true;
    }, { apiVersion: '1.45' });
    try {
      const archive = await saveImages(engine.client, { names: 'app' });
      let received = 0;
      await new Promise<void>((resolve) => {
        archive.once('data', (chunk: Buffer) => {
          received += chunk.length;
          archive.pause();
          resolve();
        });
      });
      // The stream buffers 2 MiB before it pauses the parser (plus what the socket holds).
      await eventually(() => written.bytes >= 2 * 1024 * 1024, 'the engine filled the stream buffer of the paused consumer');
      // Let the engine write all it can while nobody reads: the socket buffers and the stream's
      // 2 MiB fill up, then its writes stop, far short of the archive.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(written.bytes).toBeLessThan(total / 2);
      const rest = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          received += chunk.length;
          callback();
        },
      });
      await pipeline(archive, rest);
      expect(received).toBe(written.bytes);
      expect(written.bytes).toBeGreaterThan(total);
    } finally {
      await engine.client.close();
      await engine.stop();
    }
  });

  it('closes the connection when the consumer stops early, and when the engine appends an error the stream fails with it', async () => {
    const engine = await startLoopbackEngine((request, response) => {
      if (request.url?.includes('/endless/')) {
        writeArchive(response, Number.MAX_SAFE_INTEGER, { bytes: 0 });
        return true;
      }
      if (request.url?.includes('/broken/')) {
        response.writeHead(200, { 'content-type': 'application/x-tar' });
        response.end(Buffer.concat([Buffer.from(saved.subarray(0, 2048)), Buffer.from('{"errorDetail":{"message":"disk full"},"error":"disk full"}\r\n')]));
        return true;
      }
      if (request.url?.includes('/missing/')) {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"No such image: missing"}');
        return true;
      }
      return undefined;
    }, { apiVersion: '1.45' }); // pinned: no ping connection stays open
    try {
      const endless = await saveImages(engine.client, { names: 'endless' });
      let chunks = 0;
      for await (const chunk of endless) if (chunk && ++chunks === 3) break;
      await eventually(() => engine.openConnections() === 0, 'the engine side closed the connection the consumer left');

      const broken = await saveImages(engine.client, { names: 'broken' });
      const reading = await outcomeOf((async () => {
        for await (const chunk of broken) void chunk;
      })());
      expect(reading.error).toBeInstanceOf(StreamMessageError);
      expect((reading.error as StreamMessageError).engineMessage).toBe('disk full');

      const missing = await outcomeOf(saveImages(engine.client, { names: 'missing' }));
      expect(missing.error).toBeInstanceOf(NotFoundError);
      expect((missing.error as NotFoundError).message).toContain('No such image: missing');
    } finally {
      await engine.client.close();
      await engine.stop();
    }
  });
});
