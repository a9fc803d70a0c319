// Seeded, bounded fuzzing of the JSON message decoder (issue 8): valid progress streams, then
// mutated ones (bytes inserted, deleted, flipped; truncation; glued or pretty-printed objects;
// nulls and wrong types; non-ASCII), each cut at random places. For every input:
// - the only error is a typed StreamDecodeError (never a TypeError, RangeError, …);
// - the outcome does not depend on where the stream was cut (one chunk, every random cut,
//   bytes or text), which checks the batch, per-line and scanner paths against each other;
// - the work is bounded: JSON.parse runs a number of times linear in the input's size (a hang
//   or quadratic blow-up fails the count, not a clock).
import { seededRandom } from '@berth/test-engine';
import { describe, expect, it, vi } from 'vitest';
import { StreamDecodeError } from '../../../src/errors/index.js';
import { JsonMessageDecoder, type JsonMessage } from '../../../src/streams/index.js';
import { randomSplits, utf8 } from './helpers.js';

vi.setConfig({ testTimeout: 120_000 });

interface Outcome {
  messages: JsonMessage[];
  error: string | undefined;
}

function decode(chunks: readonly (Uint8Array | string)[]): Outcome {
  const decoder = new JsonMessageDecoder({ maxMessageLength: 4096 });
  const messages: JsonMessage[] = [];
  try {
    for (const chunk of chunks) messages.push(...decoder.push(chunk));
    for (let rest = decoder.end(); rest.length > 0; rest = decoder.end()) messages.push(...rest);
  } catch (error) {
    if (!(error instanceof StreamDecodeError)) throw new Error(`untyped error: ${String(error)}`, { cause: error });
    // The excerpt is cut at the chunk's end, so it may differ between cuts; the rest may not.
    return { messages, error: error.message.replace(/\nInput: .*$/s, '') };
  }
  return { messages, error: undefined };
}

function generator(seed: number) {
  const random = seededRandom(seed).next;
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  const word = (): string => pick(['Downloading', 'Extracting', 'Pull complete', 'Waiting', 'é✓😀', 'a"b\\c', '{}[]', '\u0000\u001f', '']);
  const message = (): unknown =>
    pick<() => unknown>([
      () => ({ status: word(), id: Math.floor(random() * 1e6).toString(16), progressDetail: { current: Math.floor(random() * 1e9), total: 1e9 } }),
      () => ({ status: word(), progress: `[=>  ] ${random()}` }),
      () => ({ stream: `${word()}\n` }),
      () => ({ aux: { ID: `sha256:${'a'.repeat(64)}` } }),
      () => ({ errorDetail: { message: word(), code: 1 }, error: word() }),
      () => ({ status: null, id: null, progressDetail: null, aux: null }),
      () => ({ status: 5 }),
      () => ({ progressDetail: { current: 'x' } }),
      () => ({ nested: { deep: [1, [2, { three: [] }]] }, big: 1e308, small: -1e-308 }),
      () => [1, 2],
      () => 'text',
    ])();
  const separator = (): string => pick(['\r\n', '\r\n', '\r\n', '\n', '', ' ', '\r\n\r\n', '\t\n ']);
  const serialize = (value: unknown): string => (random() < 0.1 ? JSON.stringify(value, null, 2) : JSON.stringify(value));
  const mutate = (text: string): string => {
    let result = text;
    const mutations = Math.floor(random() * 4);
    for (let m = 0; m < mutations; m++) {
      const at = Math.floor(random() * (result.length + 1));
      const kind = pick(['insert', 'delete', 'replace', 'truncate']);
      const junk = pick(['{', '}', '"', '\\', '[', ']', ',', ':', '\n', 'x', '\u00e9', '\ud83d']);
      if (kind === 'insert') result = result.slice(0, at) + junk + result.slice(at);
      else if (kind === 'delete') result = result.slice(0, at) + result.slice(at + 1);
      else if (kind === 'replace') result = result.slice(0, at) + junk + result.slice(at + 1);
      else result = result.slice(0, at);
    }
    return result;
  };
  return (): string => {
    const count = 1 + Math.floor(random() * 30);
    let text = '';
    for (let i = 0; i < count; i++) text += serialize(message()) + separator();
    return random() < 0.6 ? mutate(text) : text;
  };
}

describe('JsonMessageDecoder fuzzing (seeded, bounded)', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: 250 inputs, only typed errors, the same outcome at every cut, linear work`, () => {
      const next = generator(seed);
      const parse = vi.spyOn(JSON, 'parse');
      try {
        for (let n = 0; n < 250; n++) {
          const text = next();
          const bytes = utf8.encode(text);
          parse.mockClear();
          const whole = decode([bytes]);
          // Linear work: a few parses per object or line at most.
          const units = 4 + (text.match(/[{\n]/g)?.length ?? 0);
          expect(parse.mock.calls.length, `input ${n}`).toBeLessThanOrEqual(4 * units);
          for (const { cuts, chunks } of randomSplits(bytes, seed * 1000 + n, 4, 8)) {
            expect(decode(chunks), `input ${n} cut at ${cuts.join(',')}: ${JSON.stringify(text).slice(0, 300)}`).toEqual(whole);
          }
          // Text chunks (already decoded) too, when the text is well-formed UTF-16.
          if (text.isWellFormed()) {
            for (const { chunks } of randomSplits(text, seed * 2000 + n, 2, 8)) expect(decode(chunks), `input ${n} (text)`).toEqual(whole);
          }
        }
      } finally {
        parse.mockRestore();
      }
    });
  }
});
