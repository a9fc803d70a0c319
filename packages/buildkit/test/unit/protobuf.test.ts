import { describe, expect, it } from 'vitest';
import { decodeBytesMessage, encodeBytesMessage } from '../../src/messages/bytes-message.js';
import {
  decodeFileStat,
  decodeFileSyncPacket,
  encodeFileStat,
  encodeFileSyncPacket,
  FileSyncPacketType,
  type FileStat,
  type FileSyncPacket,
} from '../../src/messages/file-sync-packet.js';
import { decodeSecretRequest, encodeSecretRequest } from '../../src/messages/secrets-messages.js';
import { decodeAuthHostRequest, decodeCredentialsResponse, encodeCredentialsRequest, encodeCredentialsResponse } from '../../src/messages/auth-messages.js';
import { readProtobufFields } from '../../src/protobuf/protobuf-reader.js';
import { ProtobufWriter } from '../../src/protobuf/protobuf-writer.js';
import { seededRandom, type Random } from './support/random.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('protobuf wire format', () => {
  it('encodes fields as protoc does (checked against hand-assembled bytes)', () => {
    // Packet{type: DATA(2), ID: 300, data: "hi"}: 08 02 | 18 ac 02 | 22 02 68 69
    expect(hex(encodeFileSyncPacket({ type: FileSyncPacketType.data, id: 300, data: Buffer.from('hi') }))).toBe('080218ac02220268 69'.replace(' ', ''));
    // proto3 leaves zero values out: the end-of-listing STAT packet is empty.
    expect(hex(encodeFileSyncPacket({ type: FileSyncPacketType.stat, id: 0 }))).toBe('');
    // A negative int64 takes ten bytes.
    expect(hex(new ProtobufWriter().int64(6, -1n).finish())).toBe('30ffffffffffffffffff01');
    // Stat{path: "a", mode: 0x800001ed (dir|0755)}: 0a 01 61 | 10 ed 83 80 80 08
    expect(hex(encodeFileStat({ path: 'a', mode: 0x800001ed, uid: 0, gid: 0, size: 0, modTime: 0n, linkname: '', devmajor: 0, devminor: 0 }))).toBe(
      '0a016110ed83808008',
    );
    // map<string, bytes> entries are nested messages {1: key, 2: value}.
    expect(hex(new ProtobufWriter().mapEntry(10, 'k', new Uint8Array([1])).finish())).toBe('52060a016b120101');
  });

  it('reads unknown fields of every wire type without failing, and keeps the last of a repeated singular field', () => {
    const bytes = Buffer.from(
      [
        '0a0568656c6c6f', // 1: "hello"
        '0a05776f726c64', // 1 again: "world" wins
        '1d01020304', // 3: fixed32
        '210102030405060708', // 4: fixed64
        '28ffffffff0f', // 5: varint
      ].join(''),
      'hex',
    );
    expect([...readProtobufFields(bytes)].map((field) => [field.number, field.wireType])).toEqual([
      [1, 2],
      [1, 2],
      [3, 5],
      [4, 1],
      [5, 0],
    ]);
    expect(decodeAuthHostRequest(bytes)).toBe('world');
  });

  it('refuses malformed input with RangeError', () => {
    for (const bad of ['0a05616263', '08', '08ffffffffffffffffffff01', '0b', '00', '0f']) {
      expect(() => [...readProtobufFields(Buffer.from(bad, 'hex'))], bad).toThrow(RangeError);
    }
    expect(() => decodeFileSyncPacket(Buffer.from('0809', 'hex'))).toThrow(/unknown packet type 9/);
  });

  it('round-trips the session messages', () => {
    expect(decodeAuthHostRequest(encodeCredentialsRequest('127.0.0.1:5000'))).toBe('127.0.0.1:5000');
    expect(decodeCredentialsResponse(encodeCredentialsResponse({ username: 'ci', secret: 'p:w ✓' }))).toEqual({ username: 'ci', secret: 'p:w ✓' });
    expect(decodeSecretRequest(encodeSecretRequest('npmrc')).id).toBe('npmrc');
    expect(Buffer.from(decodeBytesMessage(encodeBytesMessage(Buffer.from('agent bytes')))).toString()).toBe('agent bytes');
    expect(decodeBytesMessage(new Uint8Array(0))).toHaveLength(0);
  });
});

function randomStat(random: Random): FileStat {
  const xattrs = random.chance(0.2) ? new Map([[random.text(8), random.bytes(random.below(10))]]) : undefined;
  return {
    path: random.text(40),
    mode: random.below(0x1_0000) * 0x1_0000 + random.below(0x1_0000),
    uid: random.below(70_000),
    gid: random.below(70_000),
    size: random.chance(0.5) ? 0 : random.below(2 ** 31) * 1024,
    modTime: random.int64(),
    linkname: random.chance(0.7) ? '' : random.text(30),
    devmajor: random.below(300),
    devminor: random.below(300),
    ...(xattrs === undefined || xattrs.keys().next().value === '' ? {} : { xattrs }),
  };
}

describe('fuzz: fsutil packets', () => {
  for (const seed of [1, 7, 42, 2024, 65_537]) {
    it(`round-trips random packets (seed ${seed})`, () => {
      const random = seededRandom(seed);
      for (let index = 0; index < 400; index++) {
        const type = random.below(5) as FileSyncPacket['type'];
        const packet: FileSyncPacket = {
          type,
          id: random.chance(0.2) ? 0 : random.below(0xffff_ffff),
          ...(random.chance(0.5) ? { stat: randomStat(random) } : {}),
          ...(random.chance(0.5) ? { data: random.bytes(random.below(100)) } : {}),
        };
        const decoded = decodeFileSyncPacket(encodeFileSyncPacket(packet));
        expect(decoded.type).toBe(packet.type);
        expect(decoded.id).toBe(packet.id);
        expect(decoded.stat).toEqual(packet.stat);
        // proto3 cannot tell empty bytes from absent ones.
        expect(decoded.data ?? new Uint8Array(0)).toEqual(packet.data ?? new Uint8Array(0));
      }
    });

    it(`decodes random and mutated bytes without failing other than with RangeError (seed ${seed})`, () => {
      const random = seededRandom(seed * 31 + 3);
      for (let index = 0; index < 2_000; index++) {
        let bytes: Uint8Array;
        if (random.chance(0.5)) bytes = random.bytes(random.below(64));
        else {
          bytes = Uint8Array.from(encodeFileSyncPacket({ type: FileSyncPacketType.stat, id: random.below(100), stat: randomStat(random) }));
          for (let flips = random.below(4) + 1; flips > 0; flips--) {
            if (bytes.length > 0) bytes[random.below(bytes.length)] = random.below(256);
          }
          if (random.chance(0.3)) bytes = bytes.subarray(0, random.below(bytes.length + 1));
        }
        for (const decode of [decodeFileSyncPacket, decodeFileStat, decodeBytesMessage, decodeSecretRequest, decodeAuthHostRequest]) {
          try {
            decode(bytes);
          } catch (error) {
            expect(error, hex(bytes)).toBeInstanceOf(RangeError);
          }
        }
      }
    });
  }
});

describe('Control messages', () => {
  it('encodes a SolveRequest with the exporter in the fields every BuildKit reads', async () => {
    const { encodeSolveRequest, decodeSolveResponse, encodeStatusRequest } = await import('../../src/messages/control-messages.js');
    const bytes = encodeSolveRequest({
      ref: 'r1',
      session: 's1',
      frontend: 'dockerfile.v0',
      frontendAttributes: { filename: 'Dockerfile', platform: 'linux/amd64,linux/arm64' },
      exporter: { type: 'moby', attributes: { name: 'app:v1' } },
      cacheExports: [{ type: 'inline' }],
      cacheImports: [{ type: 'registry', attributes: { ref: 'r/app:cache' } }],
      entitlements: ['network.host'],
    });
    const fields = [...readProtobufFields(bytes)];
    const text = (number: number): string[] =>
      fields.filter((field) => field.number === number && field.wireType === 2).map((field) => Buffer.from(field.value as Uint8Array).toString());
    expect(text(1)).toEqual(['r1']);
    expect(text(3)).toEqual(['moby']);
    expect(text(5)).toEqual(['s1']);
    expect(text(6)).toEqual(['dockerfile.v0']);
    expect(text(9)).toEqual(['network.host']);
    expect(fields.filter((field) => field.number === 7)).toHaveLength(2);
    const cache = fields.find((field) => field.number === 8)?.value as Uint8Array;
    expect([...readProtobufFields(cache)].map((field) => field.number)).toEqual([4, 5]);
    // A map entry as protoc writes it: {1: key, 2: value}.
    const exporterAttribute = fields.find((field) => field.number === 4)?.value as Uint8Array;
    expect(hex(exporterAttribute)).toBe(hex(new ProtobufWriter().string(1, 'name').string(2, 'app:v1').finish()));

    const response = new ProtobufWriter().mapEntry(1, 'containerimage.digest', 'sha256:abc').mapEntry(1, 'image.name', 'app:v1').finish();
    expect(decodeSolveResponse(response)).toEqual({ 'containerimage.digest': 'sha256:abc', 'image.name': 'app:v1' });
    expect(hex(encodeStatusRequest('r1'))).toBe('0a027231');
  });
});
