import { Writable } from 'node:stream';
import { seededRandom } from '@berth/test-engine';
import { describe, expect, it, vi } from 'vitest';
import { AbortedError, StreamDecodeError, StreamMessageError } from '../../../src/errors/index.js';
import {
  MultiplexedFrameDecoder,
  decodeMultiplexedFrames,
  demultiplexToStreams,
  type Frame,
  type FrameStream,
} from '../../../src/streams/index.js';
import { collect, collectSettled, concatBytes, fixture, fromChunks, hangingSource, randomSplits, splitAt, splitPatterns, trackedSource, utf8 } from './helpers.js';

// Split-point sweeps are CPU-heavy; leave room for a loaded CI machine.
vi.setConfig({ testTimeout: 60_000 });

const TYPES: Record<FrameStream, number> = { stdin: 0, stdout: 1, stderr: 2, system: 3 };

function encodeFrame(stream: FrameStream | number, payload: Uint8Array | string): Uint8Array {
  const body = typeof payload === 'string' ? utf8.encode(payload) : payload;
  const frame = new Uint8Array(8 + body.byteLength);
  frame[0] = typeof stream === 'number' ? stream : TYPES[stream];
  new DataView(frame.buffer).setUint32(4, body.byteLength, false);
  frame.set(body, 8);
  return frame;
}

/** Frames in a comparable form (payload copied into a plain array). */
function plain(frames: readonly Frame[]): { stream: FrameStream; payload: number[] }[] {
  return frames.map((frame) => ({ stream: frame.stream, payload: Array.from(frame.payload) }));
}

function decodeChunks(chunks: readonly Uint8Array[], maxFrameSize?: number): { frames: Frame[]; error: unknown } {
  const decoder = new MultiplexedFrameDecoder({ maxFrameSize });
  const frames: Frame[] = [];
  try {
    for (const chunk of chunks) frames.push(...decoder.push(chunk));
    frames.push(...decoder.end());
  } catch (error) {
    return { frames, error };
  }
  return { frames, error: undefined };
}

describe('MultiplexedFrameDecoder on the recorded logs stream', () => {
  const bytes = fixture('logs-multiplexed.bin');
  const expected = [
    { stream: 'stdout', payload: Array.from(utf8.encode('out\n')) },
    { stream: 'stderr', payload: Array.from(utf8.encode('err\n')) },
    { stream: 'stdout', payload: Array.from(utf8.encode('done\n')) },
  ];

  it('decodes the three frames of `echo out; echo err 1>&2; echo done`', () => {
    const { frames, error } = decodeChunks([bytes]);
    expect(error).toBeUndefined();
    expect(plain(frames)).toEqual(expected);
  });

  it('decodes identically at every split point, one byte at a time, and on random multi-splits', () => {
    for (const { label, chunks } of splitPatterns(bytes, 17)) {
      const { frames, error } = decodeChunks(chunks);
      expect(error, label).toBeUndefined();
      expect(plain(frames), label).toEqual(expected);
    }
  });

  it('fails with StreamDecodeError for every truncation inside a frame, and never at a frame boundary', () => {
    const boundaries = new Set([0, 12, 24, 37]);
    expect(bytes.byteLength).toBe(37);
    for (let length = 0; length <= bytes.byteLength; length++) {
      for (const chunks of [[bytes.subarray(0, length)], splitAt(bytes.subarray(0, length), [Math.floor(length / 3)])]) {
        const { error } = decodeChunks(chunks);
        if (boundaries.has(length)) expect(error, `prefix ${length}`).toBeUndefined();
        else expect(error, `prefix ${length}`).toBeInstanceOf(StreamDecodeError);
      }
    }
  });
});

describe('MultiplexedFrameDecoder on synthetic streams', () => {
  const random = seededRandom(2024).next;
  const big = Uint8Array.from({ length: 70_000 }, () => Math.floor(random() * 256));
  const headerLike = encodeFrame('stderr', 'not a real header');
  const frames: [FrameStream, Uint8Array | string][] = [
    ['stdout', ''],
    ['stdin', 'from stdin'],
    ['stderr', ''],
    ['stdout', headerLike],
    ['stderr', 'é ✓ 😀 split UTF-8 is the consumer’s business'],
    ['stdout', Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0)],
    ['stdout', ''],
  ];
  const small = concatBytes(frames.map(([stream, payload]) => encodeFrame(stream, payload)));
  const expectedSmall = frames.map(([stream, payload]) => ({
    stream,
    payload: Array.from(typeof payload === 'string' ? utf8.encode(payload) : payload),
  }));

  it('decodes zero-length frames, stdin frames and payloads that look like headers, at every split point', () => {
    for (const { label, chunks } of splitPatterns(small, 23)) {
      const { frames: decoded, error } = decodeChunks(chunks);
      expect(error, label).toBeUndefined();
      expect(plain(decoded), label).toEqual(expectedSmall);
    }
  });

  it('returns a zero-length frame as soon as its header is complete', () => {
    const decoder = new MultiplexedFrameDecoder();
    expect(decoder.push(encodeFrame('stdout', '').subarray(0, 7))).toEqual([]);
    expect(plain(decoder.push(Uint8Array.of(0)))).toEqual([{ stream: 'stdout', payload: [] }]);
    expect(decoder.end()).toEqual([]);
  });

  it('decodes a 70 kB frame between small ones on random splits (and in 1-byte chunks) without corrupting it', () => {
    const stream = concatBytes([small, encodeFrame('stdout', big), small]);
    const expected = [...expectedSmall, { stream: 'stdout', payload: Array.from(big) }, ...expectedSmall];
    for (const { cuts, chunks } of randomSplits(stream, 8, 20, 200)) {
      expect(plain(decodeChunks(chunks).frames), cuts.length.toString()).toEqual(expected);
    }
    const oneByte: Uint8Array[] = [];
    for (let i = 0; i < stream.byteLength; i++) oneByte.push(stream.subarray(i, i + 1));
    const started = performance.now();
    expect(plain(decodeChunks(oneByte).frames)).toEqual(expected);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('hands out payloads that stay valid after later pushes (no buffer reuse)', () => {
    const decoder = new MultiplexedFrameDecoder();
    const first = decoder.push(concatBytes([encodeFrame('stdout', 'abc'), encodeFrame('stderr', 'de').subarray(0, 9)]));
    const second = decoder.push(concatBytes([encodeFrame('stderr', 'de').subarray(9), encodeFrame('stdout', 'xyz')]));
    expect(plain([...first, ...second])).toEqual([
      { stream: 'stdout', payload: Array.from(utf8.encode('abc')) },
      { stream: 'stderr', payload: Array.from(utf8.encode('de')) },
      { stream: 'stdout', payload: Array.from(utf8.encode('xyz')) },
    ]);
  });

  const bad: { name: string; header: Uint8Array; message: RegExp }[] = [
    { name: 'stream type 4', header: Uint8Array.of(4, 0, 0, 0, 0, 0, 0, 1), message: /unknown stream type 4/ },
    { name: 'stream type 255', header: Uint8Array.of(255, 0, 0, 0, 0, 0, 0, 0), message: /unknown stream type 255/ },
    { name: 'a TTY stream (plain text)', header: utf8.encode('hello wo'), message: /unknown stream type 104 .*TTY/ },
    { name: 'non-zero padding', header: Uint8Array.of(1, 0, 1, 0, 0, 0, 0, 0), message: /non-zero padding/ },
  ];
  for (const { name, header, message } of bad) {
    it(`rejects ${name} with StreamDecodeError after the frames before it, at every split point`, () => {
      const stream = concatBytes([encodeFrame('stdout', 'ok'), header, encodeFrame('stdout', 'never')]);
      for (const { label, chunks } of splitPatterns(stream, 31)) {
        const { frames: decoded, error } = decodeChunks(chunks);
        expect(plain(decoded), label).toEqual([{ stream: 'stdout', payload: Array.from(utf8.encode('ok')) }]);
        expect(error, label).toBeInstanceOf(StreamDecodeError);
        expect((error as StreamDecodeError).shortMessage, label).toMatch(message);
        expect((error as StreamDecodeError).excerpt, label).toMatch(/^([0-9a-f]{2} ){7}[0-9a-f]{2}$/);
        expect((error as StreamDecodeError).message, label).toContain('Header at byte 10 of the stream.');
      }
    });
  }

  it('rejects a frame announcing more than maxFrameSize, before buffering it', () => {
    const decoder = new MultiplexedFrameDecoder({ maxFrameSize: 1024 });
    expect(() => decoder.push(Uint8Array.of(1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff))).toThrow(/4294967295 bytes, over the limit of 1024/);
    expect(decodeChunks([encodeFrame('stdout', new Uint8Array(1024))], 1024).error).toBeUndefined();
    expect(decodeChunks([encodeFrame('stdout', new Uint8Array(1025))], 1024).error).toBeInstanceOf(StreamDecodeError);
  });

  it('reports truncated headers and payloads precisely', () => {
    expect(() => decodeChunks([Uint8Array.of(1, 0, 0)]).error).not.toThrow();
    expect(decodeChunks([Uint8Array.of(1, 0, 0)]).error).toMatchObject({ shortMessage: expect.stringMatching(/inside a frame header: got 3 of 8 bytes/) });
    expect(decodeChunks([encodeFrame('stderr', 'hello').subarray(0, 10)]).error).toMatchObject({
      shortMessage: expect.stringMatching(/inside a stderr frame: got 2 of 5 payload bytes/),
    });
  });

  it('is sticky after an error and refuses push() after end()', () => {
    const decoder = new MultiplexedFrameDecoder();
    expect(() => decoder.push(Uint8Array.of(9, 0, 0, 0, 0, 0, 0, 0))).toThrow(StreamDecodeError);
    expect(() => decoder.push(encodeFrame('stdout', 'x'))).toThrow(StreamDecodeError);
    expect(() => decoder.end()).toThrow(StreamDecodeError);
    const ended = new MultiplexedFrameDecoder();
    ended.end();
    expect(() => ended.push(Uint8Array.of(1))).toThrow(/after end/);
  });
});

describe('decodeMultiplexedFrames', () => {
  it('yields the frames of the recorded logs stream', async () => {
    const frames = await collect(decodeMultiplexedFrames(fromChunks([fixture('logs-multiplexed.bin')])));
    expect(frames.map((frame) => `${frame.stream}:${new TextDecoder().decode(frame.payload)}`)).toEqual(['stdout:out\n', 'stderr:err\n', 'stdout:done\n']);
  });

  it('throws StreamMessageError on a system frame (after the frames before it) and closes the source', async () => {
    const source = trackedSource([encodeFrame('stdout', 'a'), encodeFrame('system', 'error from daemon: log driver failed\n'), encodeFrame('stdout', 'b')]);
    const { items, error } = await collectSettled(decodeMultiplexedFrames(source));
    expect(items.map((frame) => frame.stream)).toEqual(['stdout']);
    expect(error).toBeInstanceOf(StreamMessageError);
    expect((error as StreamMessageError).engineMessage).toBe('error from daemon: log driver failed');
    expect(source.returned).toBe(true);
  });

  it('yields system frames when raiseOnSystemError is false', async () => {
    const frames = await collect(decodeMultiplexedFrames(fromChunks([encodeFrame('system', 'x')]), { raiseOnSystemError: false }));
    expect(plain(frames)).toEqual([{ stream: 'system', payload: [0x78] }]);
  });

  it('throws StreamDecodeError on a truncated stream', async () => {
    const bytes = fixture('logs-multiplexed.bin');
    const { items, error } = await collectSettled(decodeMultiplexedFrames(fromChunks([bytes.subarray(0, 30)])));
    expect(items).toHaveLength(2);
    expect(error).toBeInstanceOf(StreamDecodeError);
  });

  it('aborts while waiting for data and releases the source', async () => {
    const source = hangingSource([encodeFrame('stdout', 'a')]);
    const controller = new AbortController();
    const pending = collect(decodeMultiplexedFrames(source, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(source.returnCalled).toBe(true);
  });
});

/** A Writable that takes `delay` ms per write, and records what it got. */
function slowWritable(highWaterMark: number, delay: number): Writable & { received: Uint8Array[]; drains: number; maxBuffered: number } {
  const writable = new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, callback) {
      setTimeout(() => {
        state.received.push(new Uint8Array(chunk));
        callback();
      }, delay);
    },
  });
  const state = Object.assign(writable, { received: [] as Uint8Array[], drains: 0, maxBuffered: 0 });
  writable.on('drain', () => state.drains++);
  const write = writable.write.bind(writable) as (chunk: Uint8Array) => boolean;
  state.write = ((chunk: Uint8Array) => {
    const result = write(chunk);
    state.maxBuffered = Math.max(state.maxBuffered, writable.writableLength);
    return result;
  }) as typeof writable.write;
  return state;
}

describe('demultiplexToStreams', () => {
  it('writes stdout (and stdin) frames to stdout, stderr frames to stderr, and counts bytes', async () => {
    const out = slowWritable(1024, 0);
    const err = slowWritable(1024, 0);
    const source = fromChunks([fixture('logs-multiplexed.bin'), encodeFrame('stdin', 'in'), encodeFrame('stderr', '')]);
    const result = await demultiplexToStreams(source, out, err);
    expect(result).toEqual({ stdoutBytes: 4 + 5 + 2, stderrBytes: 4 });
    expect(out.writableEnded || err.writableEnded).toBe(false); // not ended without `end: true`
    await Promise.all([new Promise<void>((resolve) => out.end(resolve)), new Promise<void>((resolve) => err.end(resolve))]);
    expect(new TextDecoder().decode(concatBytes(out.received))).toBe('out\ndone\nin');
    expect(new TextDecoder().decode(concatBytes(err.received))).toBe('err\n');
  });

  it('respects backpressure: stops reading the source until the slow writable drains', async () => {
    const highWaterMark = 16;
    const out = slowWritable(highWaterMark, 2);
    const err = slowWritable(highWaterMark, 2);
    const payload = 'x'.repeat(10);
    const frameCount = 40;
    let pulled = 0;
    let maxAhead = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < frameCount; i++) {
        pulled++;
        // Frames read but not yet written by the writable, in payload bytes.
        const written = concatBytes([...out.received, ...err.received]).byteLength;
        maxAhead = Math.max(maxAhead, (pulled - 1) * payload.length - written);
        yield encodeFrame(i % 3 === 0 ? 'stderr' : 'stdout', payload);
      }
    }
    const result = await demultiplexToStreams(source(), out, err, { end: true });
    expect(result.stdoutBytes + result.stderrBytes).toBe(frameCount * payload.length);
    expect(out.writableFinished && err.writableFinished).toBe(true);
    expect(concatBytes([...out.received, ...err.received]).byteLength).toBe(frameCount * payload.length);
    // It waited for 'drain' many times, and the writables never held more than about one high-water mark.
    expect(out.drains + err.drains).toBeGreaterThan(5);
    expect(out.maxBuffered).toBeLessThanOrEqual(highWaterMark + payload.length);
    expect(err.maxBuffered).toBeLessThanOrEqual(highWaterMark + payload.length);
    expect(maxAhead).toBeLessThanOrEqual(2 * (highWaterMark + payload.length));
  });

  it('without backpressure a naive loop would have buffered everything (control for the test above)', async () => {
    const out = slowWritable(16, 2);
    for (let i = 0; i < 40; i++) out.write(utf8.encode('x'.repeat(10)));
    expect(out.maxBuffered).toBe(400);
    await new Promise<void>((resolve) => out.end(resolve));
  });

  it('rejects with the writable error when the output fails, and closes the source', async () => {
    const failing = new Writable({
      highWaterMark: 4,
      write(_chunk, _encoding, callback) {
        setTimeout(() => callback(new Error('disk full')), 1);
      },
    });
    failing.on('error', () => undefined);
    const source = trackedSource(Array.from({ length: 100 }, () => encodeFrame('stdout', 'abcdefgh')));
    await expect(demultiplexToStreams(source, failing, failing)).rejects.toThrow(/disk full|closed/);
    expect(source.returned).toBe(true);
    expect(source.pulled).toBeLessThan(100);
  });

  it('rejects with StreamMessageError on a system frame and StreamDecodeError on a bad stream', async () => {
    const out = slowWritable(1024, 0);
    await expect(demultiplexToStreams(fromChunks([encodeFrame('system', 'boom')]), out, out)).rejects.toBeInstanceOf(StreamMessageError);
    await expect(demultiplexToStreams(fromChunks([utf8.encode('tty text')]), out, out)).rejects.toBeInstanceOf(StreamDecodeError);
  });

  it('aborts while waiting for drain', async () => {
    const out = new Writable({ highWaterMark: 1, write() {} }); // never calls back: never drains
    const controller = new AbortController();
    const pending = demultiplexToStreams(fromChunks([encodeFrame('stdout', 'abc'), encodeFrame('stdout', 'def')]), out, out, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    expect(out.listenerCount('drain')).toBe(0);
  });
});
