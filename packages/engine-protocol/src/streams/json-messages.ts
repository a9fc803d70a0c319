/**
 * Decoder of the Docker JSON progress message stream (pull, push, build, load, import):
 * back-to-back JSON objects, usually each followed by `\r\n`, cut into chunks anywhere.
 *
 * @module
 */
import { isUtf8 } from 'node:buffer';
import { StreamDecodeError, StreamMessageError } from '../errors/index.js';
import { iterateAbortable } from './abortable.js';

/**
 * Progress counters of a {@link JsonMessage} (`progressDetail`).
 *
 * @example
 * ```ts
 * const detail: JsonProgressDetail = { current: 1024, total: 4096 };
 * const percent = detail.total ? (100 * (detail.current ?? 0)) / detail.total : undefined;
 * ```
 */
export interface JsonProgressDetail {
  /** Units done so far (bytes unless `units` says otherwise). */
  current?: number;
  /** Units in total; absent or `0` when unknown. */
  total?: number;
  /** Unix time (seconds) at which the operation started; used to estimate the remaining time. */
  start?: number;
  /** Name of the unit when it is not bytes (for example `items`). */
  units?: string;
  /** When `true`, the counts are not meant to be displayed, only the bar. */
  hidecounts?: boolean;
}

/**
 * The error carried by a failed {@link JsonMessage} (`errorDetail`).
 *
 * @example
 * ```ts
 * const detail: JsonErrorDetail = { code: 1, message: "The command '/bin/sh -c false' returned a non-zero code: 1" };
 * ```
 */
export interface JsonErrorDetail {
  /** The engine's error code (a build step's exit code, for example), when it sent one. */
  code?: number;
  /** The engine's error message. */
  message?: string;
}

/**
 * One message of a Docker JSON progress stream. Every field is optional; the engine sends the
 * ones that apply. Fields the engine adds in future versions are kept, typed `unknown`.
 * Known fields are checked while decoding: a known field of the wrong type is a
 * {@link StreamDecodeError}; a known field set to `null` is dropped.
 *
 * @example
 * ```ts
 * const message: JsonMessage = { status: 'Downloading', id: 'a1b2c3d4e5f6', progressDetail: { current: 1, total: 2 } };
 * if (message.stream !== undefined) process.stdout.write(message.stream);
 * ```
 */
export interface JsonMessage {
  /** Text output, for example of a classic build (`"Step 1/3 : FROM alpine"`, `"\n"`). */
  stream?: string;
  /** A status line (`"Downloading"`, `"Pull complete"`, `"Digest: sha256:…"`, an image ID on import). */
  status?: string;
  /** What the status is about, usually a short layer ID (or `"moby.buildkit.trace"`, `"moby.image.id"`). */
  id?: string;
  /** Legacy pre-rendered progress bar (`"[=====>   ]  1.2MB/4MB"`); gone in Engine 29. */
  progress?: string;
  /** Machine-readable progress counters. */
  progressDetail?: JsonProgressDetail;
  /**
   * Auxiliary JSON payload, raw: `{"ID":"sha256:…"}` for a classic build, a base64 protobuf
   * string for BuildKit traces, `{"Tag","Digest","Size"}` for a push.
   */
  aux?: unknown;
  /** Set when the operation failed; the decoders turn it into a {@link StreamMessageError}. */
  errorDetail?: JsonErrorDetail;
  /** Legacy copy of `errorDetail.message`. */
  error?: string;
  /** Any other field the engine sent. */
  [key: string]: unknown;
}

/**
 * Options of {@link JsonMessageDecoder}.
 *
 * @example
 * ```ts
 * const decoder = new JsonMessageDecoder({ maxMessageLength: 1024 * 1024 });
 * ```
 */
export interface JsonMessageDecoderOptions {
  /**
   * Largest accepted message, in characters (UTF-16 code units). A longer message (or a
   * stream that never closes its object) is a {@link StreamDecodeError}, so a broken stream
   * cannot grow memory without bound. Default: 64 MiB.
   */
  maxMessageLength?: number | undefined;
}

/**
 * Options of {@link decodeJsonMessages}.
 *
 * @example
 * ```ts
 * const options: DecodeJsonMessagesOptions = { signal: AbortSignal.timeout(60_000), raiseOnError: true };
 * ```
 */
export interface DecodeJsonMessagesOptions extends JsonMessageDecoderOptions {
  /** Aborts the iteration with an `AbortedError`, even while waiting for the next chunk. */
  signal?: AbortSignal | undefined;
  /**
   * When `true` (the default), a message carrying `errorDetail` or `error` is not yielded but
   * thrown as a {@link StreamMessageError}. When `false`, it is yielded like any other.
   */
  raiseOnError?: boolean | undefined;
}

const DEFAULT_MAX_MESSAGE_LENGTH = 64 * 1024 * 1024;
const EXCERPT_LENGTH = 200;
/** Longest pause of the line fast path after failures, in lines (see `#parseLine`). */
const MAX_FAST_PATH_BACKOFF = 1024;

const CHAR_TAB = 0x09;
const CHAR_LF = 0x0a;
const CHAR_CR = 0x0d;
const CHAR_SPACE = 0x20;
const CHAR_QUOTE = 0x22;
const CHAR_BACKSLASH = 0x5c;
const CHAR_OPEN_BRACKET = 0x5b;
const CHAR_CLOSE_BRACKET = 0x5d;
const CHAR_OPEN_BRACE = 0x7b;
const CHAR_CLOSE_BRACE = 0x7d;

/**
 * Incremental decoder of a Docker JSON progress stream. Feed it chunks as they arrive with
 * {@link JsonMessageDecoder.push}; each call returns the messages completed by that chunk.
 * Call {@link JsonMessageDecoder.end} when the stream is over.
 *
 * Objects are delimited by scanning braces (outside strings, honouring escapes), never by
 * newlines, so objects glued together without separators are split correctly. Whitespace
 * between objects is skipped. UTF-8 characters cut across chunks are reassembled (invalid
 * UTF-8 becomes U+FFFD). A line that holds exactly one valid object (the engine's usual
 * `{…}\r\n`) is parsed directly, without the character scan; anything else is scanned. Each
 * character is looked at a bounded number of times, and only the current unfinished object
 * is kept, so the cost is linear and memory is bounded by the largest message.
 *
 * Anything that is not a sequence of JSON objects (text, a top-level array or number, a `}`
 * without `{`, invalid JSON inside braces, a message over `maxMessageLength`) is a
 * {@link StreamDecodeError} with an excerpt of the input. When a chunk completes some messages
 * before the bad input, `push` returns those messages and the next `push` or `end` throws the
 * error, so the result does not depend on where the stream was cut. Once failed, the decoder
 * keeps throwing the same error.
 *
 * @example
 * ```ts
 * const decoder = new JsonMessageDecoder();
 * decoder.push('{"status":"Pulling fs layer","id":"a1"}\r\n{"sta'); // [{ status: 'Pulling fs layer', id: 'a1' }]
 * decoder.push('tus":"Done"}\r\n'); // [{ status: 'Done' }]
 * decoder.end(); // []
 * ```
 */
export class JsonMessageDecoder {
  readonly #maxMessageLength: number;
  /** Decodes the bytes of the stream, keeping a character cut across chunks for the next one. */
  readonly #textDecoder = new TextDecoder('utf-8');
  /** Decodes, in one shot, the chunks that need no streaming (see `#decode`). */
  readonly #chunkDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** Whether `#textDecoder` has produced text since its last reset, so it no longer drops a BOM. */
  #textDecoderStarted = false;
  /** Whether `#textDecoder` may hold the first bytes of a character cut by the last chunk. */
  #textDecoderMayHoldBytes = false;
  /** Pieces of the object being read (empty between objects). */
  #pending: string[] = [];
  #pendingLength = 0;
  /** Nesting depth of `{`/`[` outside strings; 0 between objects. */
  #depth = 0;
  #inString = false;
  #escaped = false;
  /** Characters consumed before the current chunk, for error positions. */
  #offset = 0;
  #error: StreamDecodeError | undefined;
  #ended = false;
  /** Lines to leave to the scanner before the fast path is tried again (see `#parseLine`). */
  #fastPathPause = 0;
  /** The pause after the fast path's next failure; doubles on a failure, halves on a success. */
  #fastPathBackoff = 1;
  /** Chunks to leave to the per-line path before a batch is tried again (see `#parseLines`). */
  #batchPause = 0;
  /** The pause after the batch path's next failure; doubles on a failure, resets on a success. */
  #batchBackoff = 1;

  constructor(options: JsonMessageDecoderOptions = {}) {
    const max = options.maxMessageLength ?? DEFAULT_MAX_MESSAGE_LENGTH;
    if (!Number.isInteger(max) || max <= 0) {
      throw new RangeError(`maxMessageLength must be a positive integer, got ${String(max)}`);
    }
    this.#maxMessageLength = max;
  }

  /**
   * Decodes the next chunk of the stream and returns the messages it completes (possibly none).
   * A string chunk is taken as already-decoded text.
   *
   * @throws {StreamDecodeError} when the input is not a stream of JSON objects.
   * @example
   * ```ts
   * for await (const chunk of body) for (const message of decoder.push(chunk)) console.log(message.status);
   * ```
   */
  push(chunk: Uint8Array | string): JsonMessage[] {
    this.#assertUsable();
    // Bytes of a character cut in an earlier binary chunk cannot be completed by text.
    const text = typeof chunk === 'string' ? this.#flushText() + chunk : this.#decode(chunk);
    return this.#scan(text);
  }

  /**
   * Ends the stream: flushes a UTF-8 sequence left incomplete by the last chunk and checks
   * that the stream did not stop in the middle of an object. Returns the messages this
   * completes (in practice none: every complete object was already returned by `push`).
   * Calling `end()` again after a successful `end()` returns `[]`.
   *
   * @throws {StreamDecodeError} when the stream ended inside an object, or an earlier error is pending.
   * @example
   * ```ts
   * const last = decoder.end();
   * ```
   */
  end(): JsonMessage[] {
    if (this.#error !== undefined) throw this.#error;
    if (this.#ended) return [];
    const messages = this.#scan(this.#flushText());
    if (this.#error === undefined && this.#depth > 0) {
      this.#error = new StreamDecodeError('The JSON message stream ended in the middle of a message.', {
        excerpt: this.#pendingExcerpt(),
        metaMessages: [`Received ${this.#pendingLength} characters of the unfinished message.`],
      });
    }
    if (this.#error !== undefined) {
      // Thrown now, or by the next call when messages came before the problem.
      if (messages.length === 0) throw this.#error;
      return messages;
    }
    this.#ended = true;
    this.#pending = [];
    return messages;
  }

  /**
   * Decodes a binary chunk exactly as `#textDecoder.decode(chunk, { stream: true })` would.
   * Streaming decoding is several times slower than one-shot decoding, so a chunk is decoded
   * in one shot when that cannot differ: it is valid UTF-8 (no replacement to disagree on),
   * ends with an ASCII byte (no character cut), and the streaming decoder holds no bytes and
   * is past the start of the text (where it would drop a byte-order mark). The streaming
   * decoder would have come out of that chunk in the state it is already in.
   */
  #decode(chunk: Uint8Array): string {
    const length = chunk.length;
    if (length === 0) return this.#textDecoder.decode(chunk, { stream: true });
    const lastIsAscii = (chunk[length - 1] ?? 0) < 0x80;
    if (lastIsAscii && this.#textDecoderStarted && !this.#textDecoderMayHoldBytes && isUtf8(chunk)) {
      return this.#chunkDecoder.decode(chunk);
    }
    const text = this.#textDecoder.decode(chunk, { stream: true });
    // A byte below 0x80 ends any character, so nothing is held after it.
    this.#textDecoderMayHoldBytes = !lastIsAscii;
    if (text.length > 0) this.#textDecoderStarted = true;
    return text;
  }

  /** Flushes and resets the streaming decoder (a cut character becomes U+FFFD). */
  #flushText(): string {
    this.#textDecoderStarted = false;
    this.#textDecoderMayHoldBytes = false;
    return this.#textDecoder.decode();
  }

  #assertUsable(): void {
    if (this.#error !== undefined) throw this.#error;
    if (this.#ended) throw new Error('JsonMessageDecoder.push() was called after end().');
  }

  #fail(error: StreamDecodeError): void {
    this.#error = error;
  }

  #scan(text: string): JsonMessage[] {
    const messages: JsonMessage[] = [];
    const length = text.length;
    // Start, in `text`, of the object being read; 0 when it began in an earlier chunk.
    let start = this.#depth > 0 ? 0 : -1;
    // End of the line last left to the scanner: the fast path is not tried again before it.
    let scanUntil = -1;
    // The batch path is tried at most once per chunk (so a bad line costs one wasted parse).
    let batchTried = false;
    let i = 0;
    for (; i < length; i++) {
      const c = text.charCodeAt(i);
      if (this.#depth === 0) {
        if (c === CHAR_SPACE || c === CHAR_LF || c === CHAR_CR || c === CHAR_TAB) continue;
        if (c === CHAR_OPEN_BRACE && i > scanUntil) {
          // Every complete line of the chunk in one JSON.parse, when they are all single objects.
          const lastLineEnd = batchTried ? -1 : text.lastIndexOf('\n');
          batchTried = true;
          if (lastLineEnd > i && this.#parseLines(text, i, lastLineEnd, messages)) {
            i = lastLineEnd;
            continue;
          }
          const lineEnd = text.indexOf('\n', i);
          const message = lineEnd === -1 ? undefined : this.#parseLine(text, i, lineEnd);
          if (message !== undefined) {
            messages.push(message);
            i = lineEnd;
            continue;
          }
          // Each line is tried once (the scanner reads it now), so the cost stays linear.
          scanUntil = lineEnd === -1 ? length : lineEnd;
        }
        if (c !== CHAR_OPEN_BRACE) {
          this.#fail(
            new StreamDecodeError(
              c === CHAR_CLOSE_BRACE
                ? 'Unexpected "}" outside of a JSON message.'
                : `Expected a JSON object in the message stream, got ${describeChar(text, i)}.`,
              {
                excerpt: text.slice(i, i + EXCERPT_LENGTH),
                metaMessages: [`At character ${this.#offset + i} of the stream.`],
              },
            ),
          );
          break;
        }
        this.#depth = 1;
        start = i;
        continue;
      }
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (c === CHAR_BACKSLASH) this.#escaped = true;
        else if (c === CHAR_QUOTE) this.#inString = false;
        continue;
      }
      if (c === CHAR_QUOTE) this.#inString = true;
      else if (c === CHAR_OPEN_BRACE || c === CHAR_OPEN_BRACKET) this.#depth++;
      else if (c === CHAR_CLOSE_BRACE || c === CHAR_CLOSE_BRACKET) {
        this.#depth--;
        if (this.#depth === 0) {
          if (this.#pendingLength + (i + 1 - start) > this.#maxMessageLength) {
            this.#failTooLong(text, start, i + 1);
            break;
          }
          const messageOffset = this.#offset + start - this.#pendingLength;
          const message = parseMessage(this.#takeSource(text, start, i + 1), messageOffset);
          start = -1;
          if (message instanceof StreamDecodeError) {
            this.#fail(message);
            break;
          }
          messages.push(message);
        }
      }
    }
    if (this.#error === undefined) {
      if (this.#depth > 0) {
        const piece = text.slice(start);
        if (this.#pendingLength + piece.length > this.#maxMessageLength) {
          this.#failTooLong(text, start, length);
        } else {
          this.#pending.push(piece);
          this.#pendingLength += piece.length;
        }
      }
      this.#offset += length;
    }
    if (this.#error !== undefined && messages.length === 0) throw this.#error;
    return messages;
  }

  /**
   * The fast path: parses the line from the "{" at `start` to the LF at `end` in one go.
   * A raw LF cannot occur inside a JSON string, so when that line parses as JSON, it is
   * exactly one object followed by whitespace: the object the scanner would delimit, with the
   * same value (and the object is within the limit, as the line is). Returns `undefined` for
   * anything else (glued objects, a pretty-printed object, invalid JSON, a bad field, a long
   * line), and the scanner then reads the line, so results and errors never depend on this path.
   */
  #parseLine(text: string, start: number, end: number): JsonMessage | undefined {
    if (this.#fastPathPause > 0) {
      this.#fastPathPause--;
      return undefined;
    }
    if (end - start > this.#maxMessageLength || !endsWithBrace(text, end)) return undefined;
    const message = parseLine(text.slice(start, end));
    if (message === undefined) {
      // A failed JSON.parse costs as much as scanning a few dozen lines: when lines keep
      // failing (objects glued on a line), leave more and more of the next ones to the scanner.
      this.#fastPathPause = this.#fastPathBackoff;
      this.#fastPathBackoff = Math.min(2 * this.#fastPathBackoff, MAX_FAST_PATH_BACKOFF);
    } else if (this.#fastPathBackoff > 1) {
      this.#fastPathBackoff >>= 1;
    }
    return message;
  }

  /**
   * The text of the message that ends at `end`: one slice, or the pieces of earlier chunks
   * joined once with the last one. The pieces are dropped before the caller parses, so a long
   * message is held at most twice (its text, then its parsed value), not also as pieces and a
   * second concatenation.
   */
  #takeSource(text: string, start: number, end: number): string {
    if (this.#pending.length === 0) return text.slice(start, end);
    const pieces = this.#pending;
    pieces.push(text.slice(start, end));
    this.#pending = [];
    this.#pendingLength = 0;
    return pieces.join('');
  }

  /**
   * The batch fast path: the lines from the "{" at `start` up to the LF at `end` parsed at once,
   * as the elements of one array (each LF becomes a comma, which is whitespace-equivalent
   * outside strings, and a raw LF cannot occur inside one). It succeeds only when the array has
   * exactly one element per line and each is a well-formed message, which is what the per-line
   * path would have found line by line; anything else (an empty line, glued objects, a comma
   * between objects, a bad field) returns `false` and the lines go to the per-line path. After
   * a failure, the next batches are skipped for a while (doubling), like the per-line pause.
   */
  #parseLines(text: string, start: number, end: number, messages: JsonMessage[]): boolean {
    if (this.#batchPause > 0) {
      this.#batchPause--;
      return false;
    }
    if (end - start > this.#maxMessageLength || !endsWithBrace(text, end)) return false;
    let lines = 1;
    for (let at = text.indexOf('\n', start); at !== -1 && at < end; at = text.indexOf('\n', at + 1)) lines++;
    if (lines < 2) return false;
    let values: unknown;
    try {
      values = JSON.parse(`[${text.slice(start, end).replaceAll('\n', ',')}]`);
    } catch {
      values = undefined;
    }
    if (Array.isArray(values) && values.length === lines && values.every(isWellFormedMessage)) {
      for (const value of values) messages.push(value as JsonMessage);
      this.#batchBackoff = 1;
      return true;
    }
    this.#batchPause = this.#batchBackoff;
    this.#batchBackoff = Math.min(2 * this.#batchBackoff, MAX_FAST_PATH_BACKOFF);
    return false;
  }

  #failTooLong(text: string, start: number, end: number): void {
    const excerpt = this.#pending.length > 0 ? this.#pendingExcerpt() : text.slice(start, Math.min(end, start + EXCERPT_LENGTH));
    this.#fail(
      new StreamDecodeError(`A JSON message is longer than the limit of ${this.#maxMessageLength} characters.`, {
        excerpt,
        metaMessages: [`Message starting at character ${this.#offset + start - this.#pendingLength} of the stream.`],
      }),
    );
  }

  #pendingExcerpt(): string {
    let excerpt = '';
    for (const piece of this.#pending) {
      excerpt += piece.slice(0, EXCERPT_LENGTH - excerpt.length);
      if (excerpt.length >= EXCERPT_LENGTH) break;
    }
    return excerpt;
  }
}

/**
 * Tells whether the text before `end` ends with "}" or "}\r": only such a line can be one
 * object, and checking first spares a costly failed JSON.parse (on each "{" line of a
 * pretty-printed object, for example).
 */
function endsWithBrace(text: string, end: number): boolean {
  const last = text.charCodeAt(end - 1);
  return last === CHAR_CLOSE_BRACE || (last === CHAR_CR && text.charCodeAt(end - 2) === CHAR_CLOSE_BRACE);
}

function describeChar(text: string, index: number): string {
  const code = text.codePointAt(index) ?? 0;
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return JSON.stringify(String.fromCodePoint(code));
}

/** Parses one delimited object and checks the types of the known fields. */
function parseMessage(source: string, offset: number): JsonMessage | StreamDecodeError {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (cause) {
    return new StreamDecodeError('Invalid JSON in the message stream.', {
      cause,
      excerpt: source,
      metaMessages: [`Message starting at character ${offset} of the stream.`],
    });
  }
  // The scanner only delimits text starting with "{", so a successful parse is an object.
  const problem = checkMessage(value as Record<string, unknown>);
  if (problem === undefined) return value as JsonMessage;
  return new StreamDecodeError(`Malformed message in the JSON message stream: ${problem}.`, {
    excerpt: source,
    metaMessages: [`Message starting at character ${offset} of the stream.`],
  });
}

/**
 * Parses a line that starts with "{": the message when the line is one well-formed object
 * (plus whitespace), else `undefined` (the scanner then reports any error).
 */
function parseLine(line: string): JsonMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  return checkMessage(value as Record<string, unknown>) === undefined ? (value as JsonMessage) : undefined;
}

/** A batch element the per-line path would have accepted as is: a plain object, well-formed. */
function isWellFormedMessage(value: unknown): boolean {
  return isPlainObject(value) && checkMessage(value) === undefined;
}

/**
 * Checks the types of the known fields of a parsed message, dropping those set to `null`.
 * Returns the first problem, or `undefined` when the message is well-formed.
 */
function checkMessage(message: Record<string, unknown>): string | undefined {
  if (isCommonWellFormed(message)) return undefined;
  if (!checkField(message, 'stream', 'string')) return '"stream" is not a string';
  if (!checkField(message, 'status', 'string')) return '"status" is not a string';
  if (!checkField(message, 'id', 'string')) return '"id" is not a string';
  if (!checkField(message, 'progress', 'string')) return '"progress" is not a string';
  if (!checkField(message, 'error', 'string')) return '"error" is not a string';
  if (message['aux'] === null) delete message['aux'];
  const progressDetail = message['progressDetail'];
  if (progressDetail === null) delete message['progressDetail'];
  else if (progressDetail !== undefined) {
    if (!isPlainObject(progressDetail)) return '"progressDetail" is not an object';
    if (!checkField(progressDetail, 'current', 'number')) return '"progressDetail.current" is not a number';
    if (!checkField(progressDetail, 'total', 'number')) return '"progressDetail.total" is not a number';
    if (!checkField(progressDetail, 'start', 'number')) return '"progressDetail.start" is not a number';
    if (!checkField(progressDetail, 'units', 'string')) return '"progressDetail.units" is not a string';
    if (!checkField(progressDetail, 'hidecounts', 'boolean')) return '"progressDetail.hidecounts" is not a boolean';
  }
  const errorDetail = message['errorDetail'];
  if (errorDetail === null) delete message['errorDetail'];
  else if (errorDetail !== undefined) {
    if (!isPlainObject(errorDetail)) return '"errorDetail" is not an object';
    if (!checkField(errorDetail, 'code', 'number')) return '"errorDetail.code" is not a number';
    if (!checkField(errorDetail, 'message', 'string')) return '"errorDetail.message" is not a string';
  }
  return undefined;
}

/**
 * The check of the common case (a progress or output message) with plain property reads,
 * which V8 runs much faster than the keyed reads of `checkField`: every known field is absent
 * or of its type, none is `null`, and there is no `errorDetail`. When it says `true`,
 * `checkMessage` would find no problem and nothing to drop.
 */
function isCommonWellFormed(message: Record<string, unknown>): boolean {
  const progressDetail = message['progressDetail'];
  return (
    isOptional(message['stream'], 'string') &&
    isOptional(message['status'], 'string') &&
    isOptional(message['id'], 'string') &&
    isOptional(message['progress'], 'string') &&
    isOptional(message['error'], 'string') &&
    message['aux'] !== null &&
    message['errorDetail'] === undefined &&
    (progressDetail === undefined ||
      (isPlainObject(progressDetail) &&
        isOptional(progressDetail['current'], 'number') &&
        isOptional(progressDetail['total'], 'number') &&
        isOptional(progressDetail['start'], 'number') &&
        isOptional(progressDetail['units'], 'string') &&
        isOptional(progressDetail['hidecounts'], 'boolean')))
  );
}

function isOptional(value: unknown, type: 'string' | 'number' | 'boolean'): boolean {
  return value === undefined || typeof value === type;
}

/** Tells whether `object[key]` is absent, `null` (then dropped) or of the given type. */
function checkField(object: Record<string, unknown>, key: string, type: 'string' | 'number' | 'boolean'): boolean {
  const value = object[key];
  if (value === undefined || typeof value === type) return true;
  if (value === null) {
    delete object[key];
    return true;
  }
  return false;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Tells whether a message reports a failure: it carries `errorDetail` or `error`.
 *
 * @example
 * ```ts
 * isErrorMessage({ errorDetail: { message: 'boom' }, error: 'boom' }); // true
 * isErrorMessage({ status: 'Pull complete' }); // false
 * ```
 */
export function isErrorMessage(message: JsonMessage): boolean {
  return message.errorDetail !== undefined || message.error !== undefined;
}

/**
 * Throws a {@link StreamMessageError} when the message reports a failure (carries
 * `errorDetail` or `error`); does nothing otherwise. The error's `engineMessage` is
 * `errorDetail.message`, else `error`; its `engineCode` is `errorDetail.code`; its `rawMessage` is
 * the message.
 *
 * @throws {StreamMessageError} when the message carries `errorDetail` or `error`.
 * @example
 * ```ts
 * for (const message of decoder.push(bytes)) {
 *   throwIfErrorMessage(message);
 *   console.log(message.status);
 * }
 * ```
 */
export function throwIfErrorMessage(message: JsonMessage): void {
  if (!isErrorMessage(message)) return;
  const engineMessage = message.errorDetail?.message ?? message.error ?? 'The engine reported an error without a message.';
  throw new StreamMessageError(engineMessage, { engineCode: message.errorDetail?.code, rawMessage: message });
}

/**
 * Decodes a Docker JSON progress stream (an HTTP reply body) into messages, as they arrive.
 *
 * With `raiseOnError` (the default), a message carrying `errorDetail` or `error` ends the
 * iteration with a {@link StreamMessageError} (the messages before it are yielded; the error
 * message itself is not). Malformed input or a stream cut inside a message ends it with a
 * {@link StreamDecodeError}; an aborted `signal` with an `AbortedError`. Leaving early (an
 * error, `break`, abort) calls the source's `return()`, which closes an HTTP body and so
 * cancels a pull, push or build on the daemon.
 *
 * @example
 * ```ts
 * try {
 *   for await (const message of decodeJsonMessages(response.body())) {
 *     if (message.stream !== undefined) process.stdout.write(message.stream);
 *   }
 * } catch (error) {
 *   if (error instanceof StreamMessageError) console.error('build failed:', error.engineMessage, error.engineCode);
 *   else throw error;
 * }
 * ```
 */
export async function* decodeJsonMessages(
  source: AsyncIterable<Uint8Array | string>,
  options: DecodeJsonMessagesOptions = {},
): AsyncGenerator<JsonMessage, void, undefined> {
  const raiseOnError = options.raiseOnError ?? true;
  const decoder = new JsonMessageDecoder({ maxMessageLength: options.maxMessageLength });
  // Plain loops with `yield`: delegating to a sync generator (`yield*`) would add a
  // promise round trip per message.
  for await (const chunk of iterateAbortable(source, options.signal)) {
    for (const message of decoder.push(chunk)) {
      if (raiseOnError) throwIfErrorMessage(message);
      yield message;
    }
  }
  // end() returns [] once the stream is cleanly over, and throws a pending error.
  for (let rest = decoder.end(); rest.length > 0; rest = decoder.end()) {
    for (const message of rest) {
      if (raiseOnError) throwIfErrorMessage(message);
      yield message;
    }
  }
}
