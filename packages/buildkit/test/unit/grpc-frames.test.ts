import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeGrpcFrame, GrpcFrameDecoder } from '../../src/grpc/grpc-frames.js';
import { decodeGrpcMessage, encodeGrpcMessage, GrpcStatusError } from '../../src/grpc/grpc-status.js';
import { readGrpcMetadata } from '../../src/grpc/grpc-metadata.js';
import { seededRandom } from './support/random.js';

describe('gRPC message framing', () => {
  it('prefixes a message with the compressed flag and its big-endian length', () => {
    expect(encodeGrpcFrame(Buffer.from('abc')).toString('hex')).toBe('0000000003616263');
    expect(encodeGrpcFrame(new Uint8Array(0)).toString('hex')).toBe('0000000000');
  });

  for (const seed of [3, 99, 1234]) {
    it(`cuts messages out of arbitrarily chunked bytes (seed ${seed})`, () => {
      const random = seededRandom(seed);
      const messages = Array.from({ length: 200 }, () => random.bytes(random.chance(0.1) ? 70_000 : random.below(300)));
      const wire = Buffer.concat(messages.map((message) => encodeGrpcFrame(message)));
      const decoder = new GrpcFrameDecoder();
      const decoded: Uint8Array[] = [];
      for (let offset = 0; offset < wire.length; ) {
        const size = random.chance(0.5) ? random.below(8) + 1 : random.below(100_000) + 1;
        decoded.push(...decoder.push(wire.subarray(offset, offset + size)));
        offset += size;
      }
      decoder.finish();
      expect(decoded.map((message) => Buffer.from(message).toString('hex'))).toEqual(messages.map((message) => Buffer.from(message).toString('hex')));
    });
  }

  it('inflates gzip messages of a gzip call and refuses other compressed ones, oversized ones and truncated streams', () => {
    const body = gzipSync(Buffer.from('compressed'));
    const frame = Buffer.concat([Buffer.from([1]), Buffer.from([0, 0, 0, body.length]), body]);
    expect(Buffer.from(new GrpcFrameDecoder('gzip').push(frame)[0]!).toString()).toBe('compressed');
    expect(() => new GrpcFrameDecoder().push(frame)).toThrow(GrpcStatusError);
    expect(() => new GrpcFrameDecoder().push(Buffer.from('00ffffffff', 'hex'))).toThrow(/exceeds/);
    const truncated = new GrpcFrameDecoder();
    truncated.push(Buffer.from('000000000a0102', 'hex'));
    expect(() => truncated.finish()).toThrow(/ended inside a message/);
  });
});

describe('gRPC status messages and metadata', () => {
  it('percent-encodes grpc-message outside printable ASCII and decodes it back', () => {
    expect(encodeGrpcMessage('100% done: ✓')).toBe('100%25 done: %E2%9C%93');
    expect(decodeGrpcMessage('100%25 done: %E2%9C%93')).toBe('100% done: ✓');
    expect(decodeGrpcMessage('bad %zz escape')).toBe('bad %zz escape');
  });

  it('keeps every value of a repeated key apart, skips transport headers, and recovers UTF-8', () => {
    const metadata = readGrpcMetadata([
      ':path', '/moby.filesync.v1.FileSync/DiffCopy',
      'content-type', 'application/grpc',
      'dir-name', 'context',
      'exclude-patterns', 'a, b',
      'exclude-patterns', 'c',
      'Followpaths', Buffer.from('Dockërfile', 'utf8').toString('latin1'),
      'trace-bin', Buffer.from('xyz').toString('base64'),
    ]);
    expect([...metadata]).toEqual([
      ['dir-name', ['context']],
      ['exclude-patterns', ['a, b', 'c']],
      ['followpaths', ['Dockërfile']],
      ['trace-bin', ['xyz']],
    ]);
  });
});
