import { describe, expect, it, vi } from 'vitest';
import { AbortedError, StreamDecodeError, StreamMessageError } from '../../../src/errors/index.js';
import { JsonMessageDecoder, decodeJsonMessages, type JsonMessage } from '../../../src/streams/index.js';
import { isErrorMessage, throwIfErrorMessage } from '../../../src/internal.js';
import {
  collect,
  collectSettled,
  fixture,
  fromChunks,
  hangingSource,
  oneByOne,
  randomSplits,
  splitAt,
  splitPatterns,
  trackedSource,
  utf8,
} from './helpers.js';

// Split-point sweeps are CPU-heavy; leave room for a loaded CI machine.
vi.setConfig({ testTimeout: 60_000 });

/** Decodes chunks with the class; returns the messages and the error (if any), like a consumer would see them. */
function decodeChunks(chunks: readonly (Uint8Array | string)[], options?: { maxMessageLength?: number }): { messages: JsonMessage[]; error: unknown } {
  const decoder = new JsonMessageDecoder(options);
  const messages: JsonMessage[] = [];
  try {
    for (const chunk of chunks) messages.push(...decoder.push(chunk));
    // end() may be called until it returns [] (it throws a pending error).
    for (let rest = decoder.end(); rest.length > 0; rest = decoder.end()) messages.push(...rest);
  } catch (error) {
    return { messages, error };
  }
  return { messages, error: undefined };
}

/** The oracle for recorded fixtures: the daemon ends every object with \r\n. */
function parseCrlfLines(bytes: Uint8Array): unknown[] {
  return new TextDecoder()
    .decode(bytes)
    .split('\r\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as unknown);
}

const recorded = [
  { name: 'build-classic.jsonl', count: 17 },
  { name: 'build-failing.jsonl', count: 13 },
  { name: 'import.jsonl', count: 1 },
  { name: 'load.jsonl', count: 3 },
  { name: 'pull-failing.body', count: 1 },
];

describe('JsonMessageDecoder on recorded engine streams', () => {
  for (const { name, count } of recorded) {
    describe(name, () => {
      const bytes = fixture(name);
      const expected = name.endsWith('.jsonl') ? parseCrlfLines(bytes) : [JSON.parse(new TextDecoder().decode(bytes)) as unknown];

      it('decodes whole into the same objects as a line-by-line parse', () => {
        const { messages, error } = decodeChunks([bytes]);
        expect(error).toBeUndefined();
        expect(messages).toHaveLength(count);
        expect(messages).toEqual(expected);
      });

      it('decodes identically at every split point, one byte at a time, and on random multi-splits', () => {
        const whole = decodeChunks([bytes]).messages;
        for (const { label, chunks } of splitPatterns(bytes, 7)) {
          const { messages, error } = decodeChunks(chunks);
          expect(error, label).toBeUndefined();
          expect(messages, label).toEqual(whole);
        }
      });

      it('decodes identically from string chunks split at every character', () => {
        const text = new TextDecoder().decode(bytes);
        const whole = decodeChunks([bytes]).messages;
        for (const { label, chunks } of splitPatterns(text, 11)) {
          expect(decodeChunks(chunks).messages, label).toEqual(whole);
        }
      });

      it('fails with StreamDecodeError for every truncation that cuts an object, and never otherwise', () => {
        const text = new TextDecoder().decode(bytes);
        // Offsets (in bytes) where a complete object (plus the whitespace after it) ends.
        const boundaries = new Set<number>([0]);
        let offset = 0;
        for (const line of text.split(/(?<=\r\n)/)) {
          offset += utf8.encode(line).byteLength;
          boundaries.add(offset);
          // Cut right after "}" or between \r and \n: only whitespace is missing.
          if (line.endsWith('}\r\n')) boundaries.add(offset - 2).add(offset - 1);
          if (line.endsWith('}\n')) boundaries.add(offset - 1);
        }
        for (let length = 0; length <= bytes.byteLength; length++) {
          const { messages, error } = decodeChunks(splitAt(bytes.subarray(0, length), [Math.floor(length / 2)]));
          if (boundaries.has(length)) {
            expect(error, `prefix ${length}`).toBeUndefined();
          } else {
            expect(error, `prefix ${length}`).toBeInstanceOf(StreamDecodeError);
            expect(messages.length, `prefix ${length}`).toBeLessThan(expected.length);
          }
        }
      });
    });
  }

  it('keeps the UTF-8 build output of the classic build intact (multi-byte characters split everywhere)', () => {
    const bytes = fixture('build-classic.jsonl');
    const streams = (chunks: Uint8Array[]): string =>
      decodeChunks(chunks)
        .messages.map((message) => message.stream ?? '')
        .join('');
    const expected = 'hé ünïcode ✓ {quoted} back\\slash\n';
    expect(streams([bytes])).toContain(expected);
    expect(streams(oneByOne(bytes))).toContain(expected);
    const last = decodeChunks([bytes]).messages.at(-3);
    expect(last?.aux).toEqual({ ID: 'sha256:3294076610dbfcdd019a71ce46d73876acb29d05e22fb747e9aec576ee53e518' });
  });

  it('decodes the load progress (status, id, progressDetail, legacy progress bar)', () => {
    const [first, , last] = decodeChunks([fixture('load.jsonl')]).messages;
    expect(first).toEqual({
      status: 'Loading layer',
      progressDetail: { current: 10240, total: 10240 },
      progress: '[==================================================>]  10.24kB/10.24kB',
      id: '2a9e0f9b9ec4',
    });
    expect(last).toEqual({ stream: 'Loaded image: berth-fixture-import:1\n' });
  });

  it('yields the HTTP error body of the failed pull (status 500) as a plain message: the status is for the request layer', () => {
    const { messages } = decodeChunks([fixture('pull-failing.body')]);
    expect(messages).toEqual([{ message: 'Get "http://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused' }]);
    expect(isErrorMessage(messages[0] ?? {})).toBe(false);
  });
});

describe('JsonMessageDecoder on adversarial synthetic streams', () => {
  const objects: JsonMessage[] = [
    { status: 'braces { } }} {{ in a string' },
    { stream: 'quote \\" escaped \\\\" and "real" quotes \\', id: 'x' },
    { stream: 'backslash at end \\' },
    { status: 'unicode: é ü ✓ 中文 😀 𝄞', id: '😀' },
    { aux: { nested: { deep: [1, { a: '}' }, [2, [3]]] }, empty: {}, list: [] } },
    { progressDetail: { current: 1, total: 2, start: 1700000000, units: 'items', hidecounts: true } },
    { status: '\u0000\u001f control chars and \u2028 separators' },
    { aux: 'AAAA/+base64==' },
    {},
    { future: { field: true }, n: -1.5e-3, ok: null },
  ];
  const texts = objects.map((object) => JSON.stringify(object));
  const separators = ['', '\r\n', '\n', ' ', '\t', '\r\n\r\n', ' \n\t\r\n ', '', '\n\n\n', ''];
  const stream = texts.map((text, i) => text + (separators[i] ?? '')).join('') + '\r\n';
  // Also escape forms the daemon uses (\u003e) and slashes.
  const escaped = '{"stream":" ---\\u003e 57627100e294\\n","id":"a\\/b","e":"\\u007b\\u007d"}';
  const full = `  \r\n${stream}${escaped}{"status":"glued"}{"status":"glued again"}\r\n`;
  const expected = [...objects, { stream: ' ---> 57627100e294\n', id: 'a/b', e: '{}' }, { status: 'glued' }, { status: 'glued again' }];
  const bytes = utf8.encode(full);

  it('decodes concatenated objects without separators, strings with braces, quotes and backslashes', () => {
    const { messages, error } = decodeChunks([bytes]);
    expect(error).toBeUndefined();
    expect(messages).toEqual(expected);
  });

  it('decodes identically at every byte split point, one byte at a time, and on random multi-splits', () => {
    for (const { label, chunks } of splitPatterns(bytes, 42)) {
      const { messages, error } = decodeChunks(chunks);
      expect(error, label).toBeUndefined();
      expect(messages, label).toEqual(expected);
    }
  });

  it('decodes identically from string chunks, even with surrogate pairs cut in two', () => {
    for (const { label, chunks } of splitPatterns(full, 43)) {
      expect(decodeChunks(chunks).messages, label).toEqual(expected);
    }
  });

  it('decodes several objects per chunk and returns them in the push that completes them', () => {
    const decoder = new JsonMessageDecoder();
    expect(decoder.push('{"a":1}\r\n{"b":2}{"c"')).toEqual([{ a: 1 }, { b: 2 }]);
    expect(decoder.push(':3')).toEqual([]);
    expect(decoder.push('}\r')).toEqual([{ c: 3 }]);
    expect(decoder.push('\n')).toEqual([]);
    expect(decoder.end()).toEqual([]);
    expect(decoder.end()).toEqual([]);
  });

  it('reassembles every multi-byte UTF-8 character cut at each inner byte', () => {
    for (const char of ['é', '✓', '😀', '𝄞', '中']) {
      const encoded = utf8.encode(`{"s":"${char}"}`);
      for (let point = 1; point < encoded.byteLength; point++) {
        expect(decodeChunks(splitAt(encoded, [point])).messages).toEqual([{ s: char }]);
      }
    }
  });

  it('replaces invalid UTF-8 inside a string with U+FFFD instead of failing', () => {
    const bytes = Uint8Array.of(...utf8.encode('{"s":"a'), 0xff, 0xc3, ...utf8.encode('b"}'));
    expect(decodeChunks([bytes]).messages).toEqual([{ s: 'a\uFFFD\uFFFDb' }]);
  });

  it('is linear: a 4 MB message pushed in 1 KiB chunks and 20 000 small messages in one chunk decode fast', () => {
    const big = utf8.encode(JSON.stringify({ aux: 'x{"}\\'.repeat(1024 * 1024) }));
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < big.byteLength; i += 1024) chunks.push(big.subarray(i, i + 1024));
    let started = performance.now();
    const { messages } = decodeChunks(chunks);
    expect(messages).toHaveLength(1);
    expect((messages[0]?.aux as string).length).toBe(5 * 1024 * 1024);
    expect(performance.now() - started).toBeLessThan(10_000);

    const many = '{"status":"Downloading","id":"abc","progressDetail":{"current":1,"total":2}}\r\n'.repeat(20_000);
    started = performance.now();
    expect(decodeChunks([many]).messages).toHaveLength(20_000);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('JsonMessageDecoder on malformed input', () => {
  const cases: { name: string; input: string; before: number; excerpt?: string; message?: RegExp }[] = [
    { name: 'plain text', input: 'hello world', before: 0, excerpt: 'hello world', message: /got "h"/ },
    { name: 'an HTML error page', input: '<html><body>502 Bad Gateway</body></html>', before: 0, excerpt: '<html>' },
    { name: 'a top-level array', input: '[{"status":"x"}]', before: 0, message: /got "\["/ },
    { name: 'a top-level string', input: '"status"', before: 0 },
    { name: 'a top-level number', input: '42', before: 0 },
    { name: 'a top-level null', input: 'null', before: 0 },
    { name: 'a lone closing brace', input: '}', before: 0, message: /Unexpected "}"/ },
    { name: 'a closing brace after an object', input: '{"a":1}}', before: 1, message: /Unexpected "}"/ },
    { name: 'text after objects', input: '{"a":1}\r\n{"b":2}\r\nEOF', before: 2, excerpt: 'EOF' },
    { name: 'a NUL byte between objects', input: '{"a":1}\u0000{"b":2}', before: 1, message: /control character U\+0000/ },
    { name: 'a byte-order mark between objects', input: '{"a":1}\uFEFF{"b":2}', before: 1 },
    { name: 'a missing value', input: '{"a":}', before: 0, excerpt: '{"a":}', message: /Invalid JSON/ },
    { name: 'a trailing comma', input: '{"a":1,}', before: 0 },
    { name: 'a missing colon', input: '{"a" 1}', before: 0 },
    { name: 'single quotes', input: "{'a':1}", before: 0 },
    { name: 'a raw newline in a string', input: '{"a":"x\ny"}', before: 0 },
    { name: 'a bad escape', input: '{"a":"\\x41"}', before: 0 },
    { name: 'mismatched brackets that balance', input: '{"a":[1}]', before: 0 },
    { name: 'a bare word value', input: '{"a":undefined}', before: 0 },
    { name: 'an invalid object after valid ones', input: '{"a":1}{"b":2}{"c":nope}{"d":4}', before: 2, excerpt: '{"c":nope}' },
    { name: 'a status that is not a string', input: '{"status":5}', before: 0, message: /"status" is not a string/ },
    { name: 'a stream that is an object', input: '{"stream":{}}', before: 0 },
    { name: 'a progressDetail that is an array', input: '{"progressDetail":[1]}', before: 0, message: /"progressDetail" is not an object/ },
    { name: 'a progressDetail.current that is a string', input: '{"progressDetail":{"current":"1"}}', before: 0 },
    { name: 'a progressDetail.hidecounts that is a number', input: '{"progressDetail":{"hidecounts":1}}', before: 0 },
    { name: 'an errorDetail that is a string', input: '{"errorDetail":"boom"}', before: 0, message: /"errorDetail" is not an object/ },
    { name: 'an errorDetail.code that is a string', input: '{"errorDetail":{"code":"1"}}', before: 0 },
    { name: 'an error that is an object', input: '{"error":{"message":"x"}}', before: 0 },
  ];

  for (const { name, input, before, excerpt, message } of cases) {
    it(`rejects ${name} with StreamDecodeError, at every split point, after yielding the ${before} valid message(s) before it`, () => {
      const whole = decodeChunks([input]);
      expect(whole.error).toBeInstanceOf(StreamDecodeError);
      const error = whole.error as StreamDecodeError;
      expect(whole.messages).toHaveLength(before);
      if (excerpt !== undefined) expect(error.excerpt).toContain(excerpt);
      if (message !== undefined) expect(error.shortMessage).toMatch(message);
      for (const { label, chunks } of splitPatterns(utf8.encode(input), 3)) {
        const split = decodeChunks(chunks);
        expect(split.error, label).toBeInstanceOf(StreamDecodeError);
        expect(split.messages, label).toEqual(whole.messages);
        expect((split.error as StreamDecodeError).shortMessage, label).toBe(error.shortMessage);
      }
    });
  }

  it('accepts null for known fields by dropping them', () => {
    expect(decodeChunks(['{"status":null,"errorDetail":null,"progressDetail":{"current":null},"aux":null,"x":null}']).messages).toEqual([
      { progressDetail: {}, x: null },
    ]);
  });

  it('cuts the excerpt of a huge malformed message to 200 characters', () => {
    const { error } = decodeChunks([`{"a":${'1'.repeat(10_000)},}`]);
    expect(error).toBeInstanceOf(StreamDecodeError);
    expect((error as StreamDecodeError).excerpt?.length).toBeLessThanOrEqual(201);
  });

  it('reports the character offset of the bad input', () => {
    const { error } = decodeChunks(['{"a":1}\r\n', 'oops']);
    expect((error as StreamDecodeError).message).toContain('At character 9 of the stream.');
  });

  const truncated = ['{', '{"status":"Downl', '{"a":{"b":1}', '{"a":"\\', '{"a":"}', '{"a":[1,{"b":"]"}', '{"a":1}\r\n{"b"'];
  for (const input of truncated) {
    it(`rejects the truncated stream ${JSON.stringify(input)} at end(), whatever the split`, () => {
      for (const { label, chunks } of splitPatterns(utf8.encode(input), 5)) {
        const { error } = decodeChunks(chunks);
        expect(error, label).toBeInstanceOf(StreamDecodeError);
        expect((error as StreamDecodeError).shortMessage, label).toMatch(/ended in the middle of a message/);
      }
    });
  }

  it('rejects a stream ending with an incomplete UTF-8 character after the last object', () => {
    const { messages, error } = decodeChunks([utf8.encode('{"a":1}\r\n'), Uint8Array.of(0xe2, 0x9c)]);
    expect(messages).toEqual([{ a: 1 }]);
    expect(error).toBeInstanceOf(StreamDecodeError);
  });

  it('accepts an empty stream and a whitespace-only stream', () => {
    expect(decodeChunks([])).toEqual({ messages: [], error: undefined });
    expect(decodeChunks([' \r\n\t\n'])).toEqual({ messages: [], error: undefined });
  });

  it('bounds memory: a message longer than maxMessageLength fails as soon as it is exceeded', () => {
    const decoder = new JsonMessageDecoder({ maxMessageLength: 1000 });
    expect(decoder.push('{"a":"')).toEqual([]);
    expect(() => decoder.push('x'.repeat(2000))).toThrow(/longer than the limit of 1000/);
    // An exactly-at-limit message is fine.
    const exact = `{"a":"${'y'.repeat(1000 - 8)}"}`;
    expect(exact.length).toBe(1000);
    expect(decodeChunks(oneByOne(exact), { maxMessageLength: 1000 }).messages).toHaveLength(1);
    expect(decodeChunks(oneByOne(`${exact} `.replace('"}', 'z"}')), { maxMessageLength: 1000 }).error).toBeInstanceOf(StreamDecodeError);
  });

  it('never hangs on a stream that opens an object and never closes it (bounded by maxMessageLength)', () => {
    const decoder = new JsonMessageDecoder({ maxMessageLength: 64 * 1024 });
    const chunk = '{"a":['.repeat(1000);
    let thrown: unknown;
    for (let i = 0; i < 1000 && thrown === undefined; i++) {
      try {
        decoder.push(chunk);
      } catch (error) {
        thrown = error;
      }
    }
    expect(thrown).toBeInstanceOf(StreamDecodeError);
  });

  it('is sticky: after an error, push and end throw the same error', () => {
    const decoder = new JsonMessageDecoder();
    let first: unknown;
    try {
      decoder.push('nope');
    } catch (error) {
      first = error;
    }
    expect(first).toBeInstanceOf(StreamDecodeError);
    expect(() => decoder.push('{}')).toThrow(first as Error);
    expect(() => decoder.end()).toThrow(first as Error);
  });

  it('returns the messages before a bad byte in the same chunk, and throws on the next call', () => {
    const decoder = new JsonMessageDecoder();
    expect(decoder.push('{"a":1}{"b":2}]')).toEqual([{ a: 1 }, { b: 2 }]);
    expect(() => decoder.end()).toThrow(StreamDecodeError);
  });

  it('refuses push() after end() and a bad maxMessageLength', () => {
    const decoder = new JsonMessageDecoder();
    decoder.end();
    expect(() => decoder.push('{}')).toThrow(/after end/);
    expect(() => new JsonMessageDecoder({ maxMessageLength: 0 })).toThrow(RangeError);
    expect(() => new JsonMessageDecoder({ maxMessageLength: 1.5 })).toThrow(RangeError);
  });
});

describe('decodeJsonMessages', () => {
  const failing = fixture('build-failing.jsonl');
  const engineMessage = "The command '/bin/sh -c false' returned a non-zero code: 1";

  it('yields every message of a successful build', async () => {
    const messages = await collect(decodeJsonMessages(fromChunks(oneByOne(fixture('build-classic.jsonl')))));
    expect(messages).toHaveLength(17);
    expect(messages.at(-1)).toEqual({ stream: 'Successfully tagged berth-fixture-streams:1\n' });
  });

  it('throws StreamMessageError with the engine message and code for the failing build, after yielding the messages before it, at every split', async () => {
    for (const { label, chunks } of splitPatterns(failing, 99)) {
      const { items, error } = await collectSettled(decodeJsonMessages(fromChunks(chunks)));
      expect(items, label).toHaveLength(12);
      expect(items.some((message) => isErrorMessage(message)), label).toBe(false);
      expect(error, label).toBeInstanceOf(StreamMessageError);
      const streamError = error as StreamMessageError;
      expect(streamError.engineMessage).toBe(engineMessage);
      expect(streamError.engineCode).toBe(1);
      expect(streamError.rawMessage).toEqual({ errorDetail: { code: 1, message: engineMessage }, error: engineMessage });
      expect(streamError.message).toContain(engineMessage);
    }
  });

  it('yields the error message as data when raiseOnError is false', async () => {
    const messages = await collect(decodeJsonMessages(fromChunks([failing]), { raiseOnError: false }));
    expect(messages).toHaveLength(13);
    expect(messages.at(-1)?.errorDetail).toEqual({ code: 1, message: engineMessage });
  });

  it('stops at the error: messages after it are not yielded and the source is closed', async () => {
    const source = trackedSource(['{"status":"a"}\r\n', '{"error":"only legacy field"}\r\n', '{"status":"after"}\r\n', '{"status":"later"}\r\n']);
    const { items, error } = await collectSettled(decodeJsonMessages(source));
    expect(items).toEqual([{ status: 'a' }]);
    expect(error).toBeInstanceOf(StreamMessageError);
    expect((error as StreamMessageError).engineMessage).toBe('only legacy field');
    expect((error as StreamMessageError).engineCode).toBeUndefined();
    expect(source.pulled).toBe(2);
    expect(source.returned).toBe(true);
  });

  it('throws StreamMessageError for an error in the same chunk as good messages, after yielding them', async () => {
    const { items, error } = await collectSettled(
      decodeJsonMessages(fromChunks(['{"status":"a"}{"status":"b"}{"errorDetail":{"message":"x","code":7}}{"status":"c"}'])),
    );
    expect(items).toEqual([{ status: 'a' }, { status: 'b' }]);
    expect(error).toMatchObject({ engineMessage: 'x', engineCode: 7 });
  });

  it('throws StreamDecodeError on malformed input after yielding the messages before it', async () => {
    const { items, error } = await collectSettled(decodeJsonMessages(fromChunks(['{"status":"a"}\r\n<html>'])));
    expect(items).toEqual([{ status: 'a' }]);
    expect(error).toBeInstanceOf(StreamDecodeError);
  });

  it('throws StreamDecodeError on a truncated stream', async () => {
    const { items, error } = await collectSettled(decodeJsonMessages(fromChunks([failing.subarray(0, failing.byteLength - 30)])));
    expect(items).toHaveLength(12);
    expect(error).toBeInstanceOf(StreamDecodeError);
  });

  it('aborts with AbortedError while the source is waiting, and releases the source', async () => {
    const source = hangingSource(['{"status":"a"}\r\n']);
    const controller = new AbortController();
    const seen: JsonMessage[] = [];
    const done = (async () => {
      for await (const message of decodeJsonMessages(source, { signal: controller.signal })) seen.push(message);
    })();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toEqual([{ status: 'a' }]);
    controller.abort(new Error('user gave up'));
    await expect(done).rejects.toBeInstanceOf(AbortedError);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(source.returnCalled).toBe(true);
  });

  it('does not read from the source when the signal is already aborted', async () => {
    const source = trackedSource(['{"status":"a"}']);
    await expect(collect(decodeJsonMessages(source, { signal: AbortSignal.abort() }))).rejects.toBeInstanceOf(AbortedError);
    expect(source.pulled).toBe(0);
  });

  it('closes the source when the consumer breaks early', async () => {
    const source = trackedSource(['{"status":"a"}', '{"status":"b"}', '{"status":"c"}']);
    for await (const message of decodeJsonMessages(source)) {
      expect(message).toEqual({ status: 'a' });
      break;
    }
    expect(source.returned).toBe(true);
    expect(source.pulled).toBe(1);
  });

  it('propagates an error of the source itself', async () => {
    async function* broken(): AsyncGenerator<string> {
      yield '{"status":"a"}';
      throw new Error('socket hang up');
    }
    const { items, error } = await collectSettled(decodeJsonMessages(broken()));
    expect(items).toEqual([{ status: 'a' }]);
    expect(error).toEqual(new Error('socket hang up'));
  });

  it('handles random splits of a mixed stream through the async generator', async () => {
    const text = `${new TextDecoder().decode(fixture('build-classic.jsonl'))}{"errorDetail":{"message":"late ✓ failure"},"error":"late ✓ failure"}`;
    for (const { cuts, chunks } of randomSplits(utf8.encode(text), 5, 30, 40)) {
      const { items, error } = await collectSettled(decodeJsonMessages(fromChunks(chunks)));
      expect(items, cuts.join(',')).toHaveLength(17);
      expect((error as StreamMessageError).engineMessage, cuts.join(',')).toBe('late ✓ failure');
    }
  });
});

describe('throwIfErrorMessage / isErrorMessage', () => {
  it('does nothing for ordinary messages', () => {
    expect(() => throwIfErrorMessage({ status: 'Pull complete', id: 'abc' })).not.toThrow();
    expect(() => throwIfErrorMessage({ stream: 'error: this is build output, not a failure\n' })).not.toThrow();
    expect(isErrorMessage({ status: 'x' })).toBe(false);
  });

  it('prefers errorDetail.message, falls back to error, then to a generic text', () => {
    const cases: [JsonMessage, string, number | undefined][] = [
      [{ errorDetail: { message: 'detail', code: 2 }, error: 'legacy' }, 'detail', 2],
      [{ errorDetail: { code: 3 }, error: 'legacy' }, 'legacy', 3],
      [{ error: 'legacy only' }, 'legacy only', undefined],
      [{ errorDetail: {} }, 'The engine reported an error without a message.', undefined],
      [{ error: '' }, '', undefined],
    ];
    for (const [message, engineMessage, code] of cases) {
      expect(isErrorMessage(message)).toBe(true);
      let thrown: unknown;
      try {
        throwIfErrorMessage(message);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(StreamMessageError);
      expect(thrown).toMatchObject({ engineMessage, engineCode: code, rawMessage: message });
    }
  });
});
