// Edge cases of the decoder's line fast path (a "{" up to the next LF parsed in one go) and of
// its one-shot UTF-8 decoding: wherever a stream is cut, the result must be what the exact
// brace scanner gives, down to the error message, position and excerpt.
import { describe, expect, it, vi } from 'vitest';
import { StreamDecodeError } from '../../../src/errors/index.js';
import { JsonMessageDecoder, type JsonMessage } from '../../../src/streams/index.js';
import { oneByOne, splitPatterns, utf8 } from './helpers.js';

vi.setConfig({ testTimeout: 60_000 });

interface Outcome {
  messages: JsonMessage[];
  /** The full error message (short message, position, excerpt), when decoding failed. */
  error: string | undefined;
}

function decode(chunks: readonly (Uint8Array | string)[], maxMessageLength?: number): Outcome {
  const decoder = new JsonMessageDecoder({ maxMessageLength });
  const messages: JsonMessage[] = [];
  try {
    for (const chunk of chunks) messages.push(...decoder.push(chunk));
    for (let rest = decoder.end(); rest.length > 0; rest = decoder.end()) messages.push(...rest);
  } catch (error) {
    expect(error).toBeInstanceOf(StreamDecodeError);
    return { messages, error: (error as StreamDecodeError).message };
  }
  return { messages, error: undefined };
}

/** What must not depend on where the stream is cut: the messages, and the error without its excerpt (which is cut at the chunk's end). */
function withoutExcerpt({ messages, error }: Outcome): Outcome {
  return { messages, error: error?.replace(/\nInput: .*$/s, '') };
}

/** Decodes the bytes of `input` whole, then checks that every byte split and every string split (the text of those bytes) gives the same outcome. */
function decodeEverySplit(input: string, maxMessageLength?: number): Outcome {
  const bytes = utf8.encode(input);
  const whole = decode([bytes], maxMessageLength);
  const expected = withoutExcerpt(whole);
  for (const { label, chunks } of splitPatterns(bytes, 7)) {
    expect(withoutExcerpt(decode(chunks, maxMessageLength)), label).toEqual(expected);
  }
  // A string chunk is taken as decoded text: a byte-order mark in it is data.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  const wholeText = withoutExcerpt(decode([text], maxMessageLength));
  for (const { label, chunks } of splitPatterns(text, 7)) {
    expect(withoutExcerpt(decode(chunks, maxMessageLength)), label).toEqual(wholeText);
  }
  return whole;
}

describe('JsonMessageDecoder line fast path', () => {
  it('splits objects glued on one line, with or without whitespace between them', () => {
    expect(decodeEverySplit('{"a":1}{"b":2}\r\n{"c":3} {"d":"}{"}\t{"e":[5]}\r\n{"f":6}\r\n')).toEqual({
      messages: [{ a: 1 }, { b: 2 }, { c: 3 }, { d: '}{' }, { e: [5] }, { f: 6 }],
      error: undefined,
    });
  });

  it('decodes objects with LFs between their tokens (pretty-printed), and LFs in the whitespace between objects', () => {
    const pretty = JSON.stringify({ status: 'Downloading', progressDetail: { current: 1, total: 2 }, id: 'a1' }, null, 2);
    const input = `\n\r\n${pretty}\n\n{"a"\n:\r\n1}\r\n \n\t{"b":2}\r\n${pretty.replaceAll('\n', '\r\n')}`;
    expect(pretty).toContain('\n');
    const { messages, error } = decodeEverySplit(input);
    expect(error).toBeUndefined();
    expect(messages).toEqual([
      { status: 'Downloading', progressDetail: { current: 1, total: 2 }, id: 'a1' },
      { a: 1 },
      { b: 2 },
      { status: 'Downloading', progressDetail: { current: 1, total: 2 }, id: 'a1' },
    ]);
  });

  it('keeps escaped newlines, braces and quotes inside strings', () => {
    const objects = [{ stream: 'line\nnext\r\n' }, { stream: '"}\r\n{"' }, { status: '\\n' }];
    const input = objects.map((object) => `${JSON.stringify(object)}\r\n`).join('');
    expect(decodeEverySplit(input)).toEqual({ messages: objects, error: undefined });
  });

  it('drops known fields set to null on the fast path too', () => {
    expect(decodeEverySplit('{"status":null,"id":"x","progressDetail":{"current":null,"total":3}}\r\n').messages).toEqual([
      { id: 'x', progressDetail: { total: 3 } },
    ]);
  });

  it('reports a line that parses but has a known field of the wrong type like the scanner: position and excerpt without the CRLF', () => {
    const { messages, error } = decodeEverySplit('{"a":1}\r\n{"status":5}\r\n{"b":2}\r\n');
    expect(messages).toEqual([{ a: 1 }]);
    expect(error).toContain('Malformed message in the JSON message stream: "status" is not a string.');
    expect(error).toContain('Message starting at character 9 of the stream.');
    expect(error).toContain('Input: "{\\"status\\":5}"');
  });

  it('reports invalid JSON on a line at the position of its object', () => {
    const { messages, error } = decodeEverySplit('{"a":1}\r\n{"b":}\r\n{"c":3}\r\n');
    expect(messages).toEqual([{ a: 1 }]);
    expect(error).toContain('Invalid JSON in the message stream.');
    expect(error).toContain('Message starting at character 9 of the stream.');
    expect(error).toContain('Input: "{\\"b\\":}"');
  });

  it('reports text after a valid object on the same line at the character where it starts', () => {
    const { messages, error } = decodeEverySplit('{"a":1}\r\n{"b":2} x\r\n');
    expect(messages).toEqual([{ a: 1 }, { b: 2 }]);
    expect(error).toContain('Expected a JSON object in the message stream, got "x".');
    expect(error).toContain('At character 17 of the stream.');
  });

  it('rejects a raw CR or LF inside a string, which is not JSON', () => {
    for (const input of ['{"a":"x\ry"}\r\n', '{"a":"x\ny"}\r\n', '{"a":"x\r\ny"}\n']) {
      const { messages, error } = decodeEverySplit(input);
      expect(messages, input).toEqual([]);
      expect(error, input).toContain('Invalid JSON in the message stream.');
    }
  });

  it('applies maxMessageLength to the object, not to its line: an object at the limit followed by CRLF is accepted', () => {
    const atLimit = `{"a":"${'y'.repeat(100 - 8)}"}`;
    expect(atLimit.length).toBe(100);
    expect(decodeEverySplit(`${atLimit}\r\n${atLimit}  \r\n`, 100)).toEqual({ messages: [{ a: 'y'.repeat(92) }, { a: 'y'.repeat(92) }], error: undefined });
    const overLimit = atLimit.replace('"}', 'z"}');
    const { messages, error } = decodeEverySplit(`${atLimit}\r\n${overLimit}\r\n`, 100);
    expect(messages).toEqual([{ a: 'y'.repeat(92) }]);
    expect(error).toContain('A JSON message is longer than the limit of 100 characters.');
    expect(error).toContain('Message starting at character 102 of the stream.');
  });
});

describe('JsonMessageDecoder line fast path cost', () => {
  it('tries a line once: n objects glued on one line cost one failed parse of the line, then one parse per object', () => {
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const n = 2000;
      const decoder = new JsonMessageDecoder();
      expect(decoder.push(`${'{"status":"Downloading","id":"abc"}'.repeat(n)}\r\n{"status":"next line"}\r\n`)).toHaveLength(n + 1);
      // One failed try of the two lines as a batch, one of the glued line, then one per object.
      expect(parse).toHaveBeenCalledTimes(n + 3);
    } finally {
      parse.mockRestore();
    }
  });

  it('stops trying lines that keep failing (glued objects on every line), and decodes them all', () => {
    const lines = 3000;
    const input = Array.from({ length: lines }, (_, i) => `{"status":"a","id":"${i}"}{"status":"b"}\r\n`).join('');
    const parse = vi.spyOn(JSON, 'parse');
    let messages: JsonMessage[];
    try {
      messages = decode([input]).messages;
      // Two parses per line by the scanner, plus a failed try on few lines (not on every line).
      expect(parse.mock.calls.length).toBeGreaterThanOrEqual(2 * lines);
      expect(parse.mock.calls.length).toBeLessThan(2 * lines + 30);
    } finally {
      parse.mockRestore();
    }
    expect(messages).toHaveLength(2 * lines);
    expect(messages.at(-2)).toEqual({ status: 'a', id: String(lines - 1) });
  });

  it('decodes a stream that switches between glued and one-per-line objects the same wherever it is cut', () => {
    const glued = (i: number): string => `{"n":${i}}{"m":${i}}\r\n`;
    const single = (i: number): string => `{"n":${i}}\r\n`;
    const input = Array.from({ length: 60 }, (_, i) => (Math.floor(i / 10) % 2 === 0 ? glued(i) : single(i))).join('');
    const whole = decode([input]);
    expect(whole.error).toBeUndefined();
    expect(whole.messages).toHaveLength(90);
    for (const { label, chunks } of splitPatterns(utf8.encode(input), 11)) expect(decode(chunks), label).toEqual(whole);
  });
});

describe('JsonMessageDecoder one-shot UTF-8 decoding of whole chunks', () => {
  it('drops a byte-order mark only at the start of the stream, wherever the stream is cut', () => {
    expect(decodeEverySplit('\uFEFF{"a":1}\r\n{"b":"\uFEFF"}\r\n')).toEqual({ messages: [{ a: 1 }, { b: '\uFEFF' }], error: undefined });
    const { messages, error } = decodeEverySplit('{"a":1}\r\n\uFEFF{"b":2}\r\n');
    expect(messages).toEqual([{ a: 1 }]);
    expect(error).toContain('Expected a JSON object in the message stream, got "\uFEFF".');
  });

  it('completes a character cut by a chunk before decoding later chunks in one shot', () => {
    const bytes = utf8.encode('{"s":"✓"}\r\n{"t":"a"}\r\n{"u":"é"}\r\n');
    const cut = bytes.indexOf(0x9c); // inside "✓" (E2 9C 93)
    const chunks = [bytes.subarray(0, cut), bytes.subarray(cut, cut + 1), bytes.subarray(cut + 1, cut + 8), bytes.subarray(cut + 8)];
    expect(decode(chunks)).toEqual({ messages: [{ s: '✓' }, { t: 'a' }, { u: 'é' }], error: undefined });
    expect(decode(oneByOne(bytes))).toEqual(decode([bytes]));
  });

  it('turns a character cut before a chunk that cannot complete it into U+FFFD, even when that chunk is valid UTF-8 on its own', () => {
    const chunks = [utf8.encode('{"a":1}\r\n{"s":"x'), Uint8Array.of(0xe2), utf8.encode('"}\r\n'), utf8.encode('{"t":"y"}\r\n')];
    expect(decode(chunks)).toEqual({ messages: [{ a: 1 }, { s: 'x\uFFFD' }, { t: 'y' }], error: undefined });
  });

  it('replaces invalid UTF-8 in a chunk that ends with ASCII the same way as in the streaming decoder', () => {
    const bytes = Uint8Array.of(...utf8.encode('{"a":1}\r\n{"s":"x'), 0xed, 0xa0, 0x80, 0xc0, 0xff, ...utf8.encode('y"}\r\n'));
    const whole = decode([bytes]);
    expect(whole).toEqual({ messages: [{ a: 1 }, { s: 'x\uFFFD\uFFFD\uFFFD\uFFFD\uFFFDy' }], error: undefined });
    for (const { label, chunks } of splitPatterns(bytes, 3)) expect(decode(chunks), label).toEqual(whole);
  });
});
