import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AbortedError, InvalidArgumentError, StreamDecodeError, StreamMessageError } from '../../../src/errors/index.js';
import { TarStreamGuard, guardTarStream, rechunkBytes } from '../../../src/internal.js';
import { collect, collectSettled, concatBytes, everyTwoWaySplit, fixture, fromChunks, hangingSource, oneByOne, randomSplits, sameBytes, splitPatterns, trackedSource, utf8 } from './helpers.js';

// Split-point sweeps are CPU-heavy; leave room for a loaded CI machine.
vi.setConfig({ testTimeout: 60_000 });

function randomBytes(length: number, seed: number): Uint8Array {
  const random = seededRandom(seed).next;
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

describe('rechunkBytes', () => {
  const input = randomBytes(5000, 1);
  const chunkings = [
    { label: 'whole', chunks: [input] },
    { label: 'one by one', chunks: oneByOne(input) },
    ...randomSplits(input, 3, 10, 30).map(({ cuts, chunks }) => ({ label: `cuts ${cuts.join(',')}`, chunks })),
  ];

  for (const size of [1, 7, 512, 4999, 5000, 5001, 1_000_000]) {
    it(`cuts into chunks of exactly ${size} bytes (the last may be shorter), whatever the input chunking`, async () => {
      for (const { label, chunks } of chunkings) {
        const output = await collect(rechunkBytes(fromChunks(chunks), size));
        expect(sameBytes(concatBytes(output), input), label).toBe(true);
        expect(output.length, label).toBe(Math.ceil(input.byteLength / size));
        output.slice(0, -1).forEach((chunk) => expect(chunk.byteLength, label).toBe(size));
        expect(output.at(-1)?.byteLength, label).toBe(input.byteLength % size || Math.min(size, input.byteLength));
      }
    });
  }

  it('passes chunks through untouched (same objects, empty ones included) without chunkSize', async () => {
    const chunks = [input.subarray(0, 10), new Uint8Array(0), input.subarray(10)];
    const output = await collect(rechunkBytes(fromChunks(chunks)));
    expect(output).toHaveLength(3);
    output.forEach((chunk, i) => expect(chunk).toBe(chunks[i]));
  });

  it('yields nothing for an empty source, and skips empty chunks when re-chunking', async () => {
    expect(await collect(rechunkBytes(fromChunks([]), 8))).toEqual([]);
    const output = await collect(rechunkBytes(fromChunks([new Uint8Array(0), Uint8Array.of(1, 2, 3), new Uint8Array(0)]), 2));
    expect(output.map((chunk) => Array.from(chunk))).toEqual([[1, 2], [3]]);
  });

  for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '8' as unknown as number]) {
    it(`rejects chunkSize ${String(bad)} with InvalidArgumentError, without reading the source`, async () => {
      const source = trackedSource([input]);
      const { error } = await collectSettled(rechunkBytes(source, bad));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe('chunkSize');
      expect(source.pulled).toBe(0);
    });
  }

  it('is pull-based: reads the source only as far as the consumer goes', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        pulled++;
        yield new Uint8Array(1000);
      }
    }
    let taken = 0;
    for await (const chunk of rechunkBytes(endless(), 4096)) {
      expect(chunk.byteLength).toBe(4096);
      if (++taken === 3) break;
    }
    expect(pulled).toBeLessThanOrEqual(13);
  });
});

describe('guardTarStream', () => {
  const saved = fixture('save-small.tar'); // a real `GET /v1.41/images/{name}/get` reply
  const failureJson = '{"errorDetail":{"message":"write /var/lib/docker/tmp/docker-export-1/layer.tar: no space left on device"},"error":"write /var/lib/docker/tmp/docker-export-1/layer.tar: no space left on device"}\r\n';
  const failureMessage = 'write /var/lib/docker/tmp/docker-export-1/layer.tar: no space left on device';
  let cliTar: Uint8Array | undefined;
  let workDir: string | undefined;

  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'berth-tar-'));
    writeFileSync(join(workDir, 'random.bin'), randomBytes(300_000, 9));
    writeFileSync(join(workDir, 'ends-with-brace.json'), '{"message":"I am a file, not an error"}');
    writeFileSync(join(workDir, 'ünïcode ✓.txt'), 'hé\r\n');
    // GNU tar is part of every Debian system; a unit test never skips, so a failure here fails.
    const result = spawnSync('tar', ['-cf', '-', '-C', workDir, '.'], { maxBuffer: 16 * 1024 * 1024 });
    if (result.status !== 0) throw new Error(`the tar CLI could not make the test archive: ${result.error?.message ?? result.stderr.toString()}`);
    cliTar = new Uint8Array(result.stdout);
  });
  afterAll(() => {
    if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
  });

  it('passes the saved image tar through byte-identical, at every split point (default and minimal tail)', async () => {
    expect(saved.byteLength % 512).toBe(0);
    for (const tailSize of [undefined, 1024]) {
      for (const { point, chunks } of everyTwoWaySplit(saved)) {
        const guard = new TarStreamGuard({ tailSize });
        const out = chunks.flatMap((chunk) => guard.push(chunk));
        const { remaining, error } = guard.end();
        expect(error, `split ${point}`).toBeUndefined();
        expect(sameBytes(concatBytes([...out, remaining]), saved), `split ${point}`).toBe(true);
      }
    }
    const output = await collect(guardTarStream(fromChunks(oneByOne(saved)), { tailSize: 1024 }));
    expect(sameBytes(concatBytes(output), saved)).toBe(true);
  });

  it('passes a tar made by the tar CLI through byte-identical (even with a file that is an error-like JSON)', async () => {
    const tar = cliTar as Uint8Array;
    for (const { label, chunks } of [{ label: 'whole', chunks: [tar] }, ...randomSplits(tar, 4, 20, 50).map(({ cuts, chunks: c }) => ({ label: cuts.join(','), chunks: c }))]) {
      const output = await collect(guardTarStream(fromChunks(chunks)));
      expect(sameBytes(concatBytes(output), tar), label).toBe(true);
    }
  });

  it('passes chunks on whole as the next ones arrive, holding back only the tail', async () => {
    const guard = new TarStreamGuard({ tailSize: 1024 });
    const first = new Uint8Array(64 * 1024);
    const second = new Uint8Array(64 * 1024);
    expect(guard.push(first)).toEqual([]);
    expect(guard.heldBytes).toBe(64 * 1024);
    const released = guard.push(second);
    // The same object, not a copy or a split view.
    expect(released.length).toBe(1);
    expect(released[0]).toBe(first);
    expect(guard.heldBytes).toBe(64 * 1024);
    // Small chunks stay held until they cover the tail.
    const small = new TarStreamGuard({ tailSize: 1024 });
    for (let i = 0; i < 4; i++) expect(small.push(new Uint8Array(300))).toEqual([]);
    expect(small.push(new Uint8Array(300)).map((chunk) => chunk.byteLength)).toEqual([300]);
    expect(small.heldBytes).toBe(1200);

    const source = hangingSource([new Uint8Array(100_000), new Uint8Array(20_000)]);
    const iterator = guardTarStream(source)[Symbol.asyncIterator]();
    const next = await iterator.next();
    expect(next.done).toBe(false);
    expect(next.value?.byteLength).toBe(100_000);
    await iterator.return();
    expect(source.returnCalled).toBe(true);
  });

  it('flush() releases all but the tail of a stalled stream, and the result is still byte-identical', () => {
    for (const { cuts, chunks } of randomSplits(saved, 21, 10, 8)) {
      const guard = new TarStreamGuard({ tailSize: 1024 });
      const out: Uint8Array[] = [];
      for (const chunk of chunks) {
        out.push(...guard.push(chunk));
        out.push(...guard.flush());
        expect(guard.heldBytes, cuts.join(',')).toBeLessThanOrEqual(1024);
      }
      const { remaining, error } = guard.end();
      expect(error).toBeUndefined();
      expect(sameBytes(concatBytes([...out, remaining]), saved), cuts.join(',')).toBe(true);
    }
  });

  const appendedCases = [
    { name: 'errorDetail + error with \\r\\n, after a partial tar cut mid-file', partial: 5000, json: failureJson, message: failureMessage, code: undefined },
    { name: 'errorDetail with a code', partial: 3072, json: '{"errorDetail":{"code":500,"message":"boom"},"error":"boom"}', message: 'boom', code: 500 },
    { name: 'a bare {"message"}', partial: 1536, json: '{"message":"reference does not exist"}\n', message: 'reference does not exist', code: undefined },
    { name: 'only "error"', partial: 777, json: '{"error":"legacy"}', message: 'legacy', code: undefined },
    {
      name: 'a message with braces, quotes, backslashes and unicode',
      partial: 4100,
      json: `${JSON.stringify({ errorDetail: { message: 'bad {path} "C:\\\\x\\" ✓ 😀 }' } })}\r\n \n`,
      message: 'bad {path} "C:\\\\x\\" ✓ 😀 }',
      code: undefined,
    },
    { name: 'an error right after the whole tar', partial: Number.POSITIVE_INFINITY, json: failureJson, message: failureMessage, code: undefined },
  ];
  for (const { name, partial, json, message, code } of appendedCases) {
    it(`throws StreamMessageError for an appended error (${name}), after yielding exactly the archive bytes before it`, async () => {
      const archive = saved.subarray(0, Math.min(partial, saved.byteLength));
      const stream = concatBytes([archive, utf8.encode(json)]);
      const patterns = [
        { label: 'whole', chunks: [stream] },
        { label: 'one by one', chunks: oneByOne(stream) },
        ...randomSplits(stream, 77, 15, 40).map(({ cuts, chunks }) => ({ label: cuts.join(','), chunks })),
      ];
      for (const tailSize of [undefined, 1024]) {
        for (const { label, chunks } of patterns) {
          const { items, error } = await collectSettled(guardTarStream(fromChunks(chunks), { tailSize }));
          expect(error, label).toBeInstanceOf(StreamMessageError);
          expect((error as StreamMessageError).engineMessage, label).toBe(message);
          expect((error as StreamMessageError).engineCode, label).toBe(code);
          expect((error as StreamMessageError).rawMessage, label).toEqual(JSON.parse(json));
          expect(sameBytes(concatBytes(items), archive), label).toBe(true);
        }
      }
    });
  }

  it('detects the appended error at every split point of a small failed save', () => {
    const archive = saved.subarray(0, 2500);
    const stream = concatBytes([archive, utf8.encode(failureJson)]);
    for (const { label, chunks } of splitPatterns(stream, 5)) {
      const guard = new TarStreamGuard({ tailSize: 1024 });
      const out = chunks.flatMap((chunk) => guard.push(chunk));
      const { remaining, error } = guard.end();
      expect(error, label).toBeInstanceOf(StreamMessageError);
      expect(sameBytes(concatBytes([...out, remaining]), archive), label).toBe(true);
    }
  });

  it('fails with StreamDecodeError when an appended error is longer than the held-back tail', async () => {
    const long = JSON.stringify({ errorDetail: { message: 'x'.repeat(3000) } });
    // Cut in small chunks, so that the start of the error is released before its end arrives.
    const { error } = await collectSettled(guardTarStream(fromChunks([saved.subarray(0, 1000), ...randomSplits(utf8.encode(long), 5, 1, 40)[0]!.chunks]), { tailSize: 1024 }));
    expect(error).toBeInstanceOf(StreamDecodeError);
    expect((error as StreamDecodeError).shortMessage).toMatch(/not a multiple of 512/);
  });

  it('fails with StreamDecodeError for trailing non-tar JSON that is not an error, or invalid JSON, when not block-aligned', async () => {
    for (const trailer of ['{"status":"not an error"}', '{"message": 42}', '{"a":1,}', '[1]}', '}']) {
      const { error } = await collectSettled(guardTarStream(fromChunks([saved, utf8.encode(trailer)])));
      expect(error, trailer).toBeInstanceOf(StreamDecodeError);
    }
  });

  // Regression (issue 8, failure 10): a save answered 200 with an empty body, or with bytes that
  // are not a whole tar, used to pass as a successful (empty or truncated) archive.
  const notWhole: ReadonlyArray<readonly [string, Uint8Array, RegExp]> = [
    ['an empty body', new Uint8Array(0), /empty archive/],
    ['an archive cut at a block boundary', saved.subarray(0, 4096), /no end-of-archive marker/],
    ['an archive cut inside a block', saved.subarray(0, 5000), /not a multiple of 512/],
    ['trailing text after a whole archive', concatBytes([saved, utf8.encode('not json')]), /not a multiple of 512/],
    ['block-aligned bytes ending in a non-error "}"', concatBytes([new Uint8Array(512 - 9), utf8.encode('{"a":"b"}')]), /does not start with a tar header/],
    ['zeros only', new Uint8Array(2048), /holds no entries/],
    ['a header with a wrong checksum', concatBytes([Uint8Array.from(saved.subarray(0, 100)), new Uint8Array(412).fill(1), saved.subarray(512)]), /does not start with a tar header/],
  ];
  for (const [label, bytes, message] of notWhole) {
    it(`fails with StreamDecodeError for ${label}, at any chunking`, async () => {
      for (const { label: cut, chunks } of [{ label: 'whole', chunks: [bytes] }, ...randomSplits(bytes, 3, 5, 6)]) {
        const { error } = await collectSettled(guardTarStream(fromChunks(chunks as Uint8Array[])));
        expect(error, `${label}, ${cut}`).toBeInstanceOf(StreamDecodeError);
        expect((error as StreamDecodeError).shortMessage, `${label}, ${cut}`).toMatch(message);
      }
    });
  }

  it('rejects a tailSize below 1024 or not an integer', () => {
    for (const tailSize of [0, 1023, 1024.5, Number.NaN]) {
      expect(() => new TarStreamGuard({ tailSize })).toThrow(InvalidArgumentError);
    }
  });

  it('refuses push() after end() and a second end()', () => {
    const guard = new TarStreamGuard();
    guard.end();
    expect(() => guard.push(Uint8Array.of(1))).toThrow(/after end/);
    expect(() => guard.end()).toThrow(/twice/);
  });

  it('aborts while waiting for data, and releases the source', async () => {
    const source = hangingSource([new Uint8Array(10)]);
    const controller = new AbortController();
    const pending = collect(guardTarStream(source, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(source.returnCalled).toBe(true);
  });

  describe('memory bound', () => {
    const CHUNK = 64 * 1024;
    const TOTAL = 50 * 1024 * 1024;

    /** 50 MB of tar-like blocks made on the fly (each chunk a fresh buffer), hashed as produced. */
    function* generate(hash: ReturnType<typeof createHash>, trailer?: Uint8Array): Generator<Uint8Array> {
      for (let offset = 0; offset < TOTAL; offset += CHUNK) {
        const chunk = new Uint8Array(CHUNK);
        // Data everywhere but the last 1024 bytes (the end-of-archive marker stays zeros).
        if (offset + CHUNK < TOTAL) chunk.fill((offset / CHUNK) % 251);
        else chunk.fill(7, 0, CHUNK - 1024);
        // A real header first: the guard checks that the stream is a tar.
        if (offset === 0) chunk.set(saved.subarray(0, 512));
        hash.update(chunk);
        yield chunk;
      }
      if (trailer !== undefined) yield trailer;
    }

    it('streams 50 MB in 64 KiB chunks with a constant, bounded hold-back', async () => {
      const producedHash = createHash('sha256');
      const receivedHash = createHash('sha256');
      let produced = 0;
      let received = 0;
      let maxLag = 0;
      async function* source(): AsyncGenerator<Uint8Array> {
        for (const chunk of generate(producedHash)) {
          produced += chunk.byteLength;
          yield chunk;
        }
      }
      for await (const chunk of guardTarStream(source())) {
        received += chunk.byteLength;
        receivedHash.update(chunk);
        maxLag = Math.max(maxLag, produced - received);
      }
      expect(received).toBe(TOTAL);
      expect(receivedHash.digest('hex')).toBe(producedHash.digest('hex'));
      // Never more than the tail and one chunk behind the source.
      expect(maxLag).toBeLessThanOrEqual(16 * 1024 + CHUNK);

      const guard = new TarStreamGuard();
      for (const chunk of generate(createHash('sha256'))) guard.push(chunk);
      expect(guard.maxHeldBytes).toBeLessThanOrEqual(16 * 1024 + CHUNK);
      expect(guard.totalBytes).toBe(TOTAL);
      expect(guard.end().error).toBeUndefined();
    });

    it('detects an error appended after 50 MB, having delivered exactly the 50 MB before it', async () => {
      let received = 0;
      const { error } = await collectSettled(
        (async function* () {
          for await (const chunk of guardTarStream(fromChunks(generate(createHash('sha256'), utf8.encode(failureJson))))) {
            received += chunk.byteLength;
            yield chunk.byteLength;
          }
        })(),
      );
      expect(error).toBeInstanceOf(StreamMessageError);
      expect((error as StreamMessageError).engineMessage).toBe(failureMessage);
      expect(received).toBe(TOTAL);
    });
  });
});
