// gRPC's length-prefixed messages (grpc/grpc doc/PROTOCOL-HTTP2.md): one byte "compressed" flag,
// four bytes big-endian length, then the message.
import { gunzipSync } from 'node:zlib';
import { GrpcStatus, GrpcStatusError } from './grpc-status.js';

/**
 * The largest message accepted (BuildKit sends at most 16 MiB; fsutil data is 32 KiB a packet).
 *
 * @example
 * ```ts
 * if (message.length > MAXIMUM_GRPC_MESSAGE_BYTES) throw new GrpcStatusError(GrpcStatus.resourceExhausted, 'too large');
 * ```
 */
export const MAXIMUM_GRPC_MESSAGE_BYTES = 64 * 1024 * 1024;

/**
 * Frames one message (uncompressed).
 *
 * @example
 * ```ts
 * stream.write(encodeGrpcFrame(encodeBytesMessage(chunk)));
 * ```
 */
export function encodeGrpcFrame(message: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.length);
  frame[0] = 0;
  frame.writeUInt32BE(message.length, 1);
  frame.set(message, 5);
  return frame;
}

/**
 * Cuts a byte stream into gRPC messages, however the bytes are chunked. A compressed message is
 * inflated when the call's `grpc-encoding` is `gzip`; any other compressed message, or one over
 * {@link MAXIMUM_GRPC_MESSAGE_BYTES}, throws a `GrpcStatusError`.
 *
 * @example
 * ```ts
 * const encoding = headers['grpc-encoding'];
 * const decoder = new GrpcFrameDecoder(typeof encoding === 'string' ? encoding : undefined);
 * for await (const chunk of stream) for (const message of decoder.push(chunk)) handle(message);
 * decoder.finish(); // throws when the stream ended inside a message
 * ```
 */
export class GrpcFrameDecoder {
  readonly #encoding: string | undefined;
  #pending: Buffer[] = [];
  #pendingBytes = 0;

  constructor(encoding?: string | undefined) {
    this.#encoding = encoding === 'identity' ? undefined : encoding;
  }

  /** The complete messages that `chunk` finished, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    const messages: Uint8Array[] = [];
    let buffer: Buffer;
    if (this.#pendingBytes === 0) buffer = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    else {
      this.#pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      buffer = Buffer.concat(this.#pending, this.#pendingBytes + chunk.byteLength);
    }
    let offset = 0;
    while (buffer.length - offset >= 5) {
      const compressed = buffer[offset];
      const length = buffer.readUInt32BE(offset + 1);
      if (length > MAXIMUM_GRPC_MESSAGE_BYTES) {
        throw new GrpcStatusError(GrpcStatus.resourceExhausted, `gRPC message of ${length} bytes exceeds the ${MAXIMUM_GRPC_MESSAGE_BYTES}-byte limit`);
      }
      if (buffer.length - offset - 5 < length) break;
      // A copy: the chunk's memory may be reused by the stream, and messages outlive it.
      const body = Uint8Array.prototype.slice.call(buffer, offset + 5, offset + 5 + length) as Uint8Array;
      offset += 5 + length;
      if (compressed === 0) messages.push(body);
      else if (compressed === 1 && this.#encoding === 'gzip') messages.push(new Uint8Array(gunzipSync(body, { maxOutputLength: MAXIMUM_GRPC_MESSAGE_BYTES })));
      else throw new GrpcStatusError(GrpcStatus.unimplemented, `compressed gRPC message with encoding ${this.#encoding ?? 'none'} is not supported`);
    }
    const rest = buffer.subarray(offset);
    this.#pending = rest.length === 0 ? [] : [Buffer.from(rest)];
    this.#pendingBytes = rest.length;
    return messages;
  }

  /** Throws when bytes of an unfinished message are left. */
  finish(): void {
    if (this.#pendingBytes !== 0) throw new GrpcStatusError(GrpcStatus.internal, `gRPC stream ended inside a message (${this.#pendingBytes} bytes left)`);
  }
}
