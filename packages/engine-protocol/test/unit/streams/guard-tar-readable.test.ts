import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { StreamDecodeError, StreamMessageError, TransportError } from '../../../src/errors/index.js';
import { guardTarReadable } from '../../../src/internal.js';
import { TarFeedReadable } from '../../../src/streams/guard-tar-readable.js';
import { concatBytes, fixture, randomSplits, sameBytes, utf8 } from './helpers.js';

const saved = fixture('save-small.tar');
const failureJson = '{"errorDetail":{"message":"no space left on device"},"error":"no space left on device"}\r\n';

/** Pipes the guarded stream into a collecting sink; resolves to what arrived and the failure. */
async function drain(stream: Readable): Promise<{ chunks: Buffer[]; error: unknown }> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  try {
    await pipeline(stream, sink);
  } catch (error) {
    return { chunks, error };
  }
  return { chunks, error: undefined };
}

describe('guardTarReadable', () => {
  it('pauses its source rarely under a slow consumer (about once per 1.5 MiB, not once per chunk), and delivers every byte', async () => {
    const chunk = 32 * 1024;
    const total = 20 * 1024 * 1024;
    let produced = 0;
    let pauses = 0;
    const source = new Readable({
      highWaterMark: 64 * 1024,
      read() {
        if (produced === 0) {
          produced += 512;
          this.push(Buffer.from(saved.subarray(0, 512)));
          return;
        }
        if (produced >= total) {
          this.push(Buffer.alloc(1024));
          this.push(null);
          return;
        }
        produced += chunk;
        this.push(Buffer.alloc(chunk, 1));
      },
    });
    source.on('pause', () => pauses++);
    let received = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(piece: Buffer, _encoding, callback) {
        received += piece.length;
        setImmediate(callback);
      },
    });
    await pipeline(guardTarReadable(source), slow);
    expect(received).toBe(produced + 1024);
    expect(pauses).toBeLessThan(total / (1024 * 1024));
  });


  it('passes a saved image through byte-identical, whatever the chunking', async () => {
    for (const { cuts, chunks } of randomSplits(saved, 11, 10, 20)) {
      const inputs = chunks.filter((chunk) => chunk.byteLength > 0).map((chunk) => Buffer.from(chunk));
      const { chunks: output, error } = await drain(guardTarReadable(Readable.from(inputs)));
      expect(error, cuts.join(',')).toBeUndefined();
      expect(sameBytes(concatBytes(output), saved), cuts.join(',')).toBe(true);
      expect(output.length, cuts.join(',')).toBeLessThanOrEqual(inputs.length);
    }
  });

  it('gathers tiny chunks that arrive together into chunks of up to 64 KiB, and hands socket-sized ones on whole, uncopied', async () => {
    const header = Buffer.from(saved.subarray(0, 512));
    const small = Array.from({ length: 2000 }, () => Buffer.alloc(1024, 7));
    const { chunks: output, error } = await drain(guardTarReadable(Readable.from([header, ...small, Buffer.alloc(1024)])));
    expect(error).toBeUndefined();
    expect(output.reduce((sum, chunk) => sum + chunk.length, 0)).toBe(512 + 2000 * 1024 + 1024);
    expect(output.length).toBeLessThanOrEqual(40);
    // 32 KiB pieces (what a socket hands over) are never copied: each output chunk is one of them.
    const pieces = Array.from({ length: 40 }, (_, index) => Buffer.alloc(32 * 1024, index + 1));
    pieces[0]?.set(header);
    const { chunks: whole, error: wholeError } = await drain(guardTarReadable(Readable.from([...pieces, Buffer.alloc(1024)])));
    expect(wholeError).toBeUndefined();
    const inputBuffers = new Set(pieces.map((piece) => piece.buffer));
    expect(whole.slice(0, pieces.length - 1).every((chunk) => inputBuffers.has(chunk.buffer as ArrayBuffer))).toBe(true);
  });

  it('fails with the appended error as a StreamMessageError, after exactly the archive bytes before it', async () => {
    const archive = saved.subarray(0, 5000);
    const stream = concatBytes([archive, utf8.encode(failureJson)]);
    for (const { cuts, chunks } of randomSplits(stream, 12, 10, 20)) {
      const { chunks: output, error } = await drain(guardTarReadable(Readable.from(chunks.map((chunk) => Buffer.from(chunk)))));
      expect(error, cuts.join(',')).toBeInstanceOf(StreamMessageError);
      expect((error as StreamMessageError).engineMessage).toBe('no space left on device');
      expect(sameBytes(concatBytes(output), archive), cuts.join(',')).toBe(true);
    }
  });

  it('fails with StreamDecodeError for an empty reply and for an archive cut short', async () => {
    for (const bytes of [new Uint8Array(0), saved.subarray(0, 4096)]) {
      const { error } = await drain(guardTarReadable(Readable.from(bytes.byteLength === 0 ? [] : [Buffer.from(bytes)])));
      expect(error).toBeInstanceOf(StreamDecodeError);
    }
  });

  it('maps a failure of the source with mapError', async () => {
    const source = new Readable({
      read() {
        this.push(Buffer.from(saved.subarray(0, 1024)));
        this.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      },
    });
    const mapped = new TransportError('mapped');
    const { error } = await drain(guardTarReadable(source, { mapError: () => mapped }));
    expect(error).toBe(mapped);
  });

  it('reads its source only as fast as the consumer: nothing flows before the first read, little while the consumer is full', async () => {
    let produced = 0;
    const source = new Readable({
      highWaterMark: 64 * 1024,
      read() {
        produced += 64 * 1024;
        this.push(Buffer.alloc(64 * 1024, 1));
      },
    });
    const guarded = guardTarReadable(source);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const beforeRead = produced;
    // Only the source's own read-ahead, nothing pulled by the guard yet.
    expect(beforeRead).toBeLessThanOrEqual(128 * 1024);
    guarded.once('data', () => guarded.pause());
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Paused: the guard's buffer (2 MiB before it pauses the source), the source's own, the tail.
    expect(produced).toBeLessThanOrEqual(beforeRead + 3 * 1024 * 1024);
    guarded.destroy();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(source.destroyed).toBe(true);
  });
});

describe('TarFeedReadable (the save reply stream fed by undici)', () => {
  /** One "socket read": tar bytes split into HTTP chunks, framing included, and the views a parser hands over. */
  function socketRead(parts: Uint8Array[], framing: (index: number) => string): { read: Buffer; pieces: Buffer[] } {
    const segments: Buffer[] = [];
    const offsets: Array<[number, number]> = [];
    let offset = 0;
    parts.forEach((part, index) => {
      if (index > 0) {
        const frame = Buffer.from(framing(index), 'latin1');
        segments.push(frame);
        offset += frame.length;
      }
      segments.push(Buffer.from(part));
      offsets.push([offset, part.byteLength]);
      offset += part.byteLength;
    });
    const read = Buffer.concat(segments);
    return { read, pieces: offsets.map(([start, length]) => Buffer.from(read.buffer, read.byteOffset + start, length)) };
  }

  it('rejoins the pieces of one socket read cut at chunk framing into one chunk, byte-exact, without a new buffer', async () => {
    const archive = Buffer.from(saved);
    const cuts = [0, 700, 1900, 4000, archive.length];
    const parts = cuts.slice(1).map((end, index) => archive.subarray(cuts[index], end));
    const { read, pieces } = socketRead(parts, (index) => `\r\n${(parts[index] as Uint8Array).byteLength.toString(16)}\r\n`);
    const stream = new TarFeedReadable().joinAdjacentPieces().guardTar();
    stream.attach({ pause() {}, resume() {}, abort() {} });
    const collected = drain(stream);
    for (const piece of pieces) stream.feed(piece);
    await Promise.resolve();
    stream.feedEnd();
    const { chunks, error } = await collected;
    expect(error).toBeUndefined();
    expect(sameBytes(concatBytes(chunks), archive)).toBe(true);
    expect(chunks.every((chunk) => chunk.buffer === read.buffer)).toBe(true);
    expect(chunks.length).toBeLessThanOrEqual(2); // the guard's tail may go on separately
  });

  it('keeps pieces apart when what lies between them is not chunk framing, and never rejoins unless asked', async () => {
    const archive = Buffer.from(saved);
    const parts = [archive.subarray(0, 3000), archive.subarray(3000)];
    for (const [join, framing] of [
      [true, 'XXXXXXX'],
      [false, '\r\n800\r\n'],
    ] as const) {
      const { read, pieces } = socketRead(parts, () => framing);
      const before = Buffer.from(read);
      const stream = new TarFeedReadable().guardTar();
      if (join) stream.joinAdjacentPieces();
      stream.attach({ pause() {}, resume() {}, abort() {} });
      const collected = drain(stream);
      for (const piece of pieces) stream.feed(piece);
      stream.feedEnd();
      const { chunks, error } = await collected;
      expect(error).toBeUndefined();
      expect(sameBytes(concatBytes(chunks), archive)).toBe(true);
      expect(read.equals(before), `join=${join}`).toBe(true); // nothing was moved
    }
  });
});
