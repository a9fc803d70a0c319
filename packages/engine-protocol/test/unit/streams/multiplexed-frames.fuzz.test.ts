// Seeded, bounded fuzzing of the multiplexed-frame decoder (issue 8): valid frames decode to
// the same payloads however the bytes are chunked; corrupted, truncated or random bytes end in
// a StreamDecodeError, never another error and never a hang. BERTH_FUZZ_SEED replays another
// sequence.
import { seededRandom, type SeededRandom } from '@berth/test-engine';
import { describe, expect, it } from 'vitest';
import { decodeMultiplexedFrames, StreamDecodeError } from '../../../src/index.js';

const seed = Number(process.env['BERTH_FUZZ_SEED'] ?? 20_260_108);

function frame(stream: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

async function* chunked(bytes: Buffer, random: SeededRandom): AsyncGenerator<Uint8Array> {
  let offset = 0;
  while (offset < bytes.length) {
    const size = random.integer(1, Math.max(1, Math.min(bytes.length - offset, random.pick([1, 7, 64, 4096]))));
    yield bytes.subarray(offset, offset + size);
    offset += size;
  }
}

async function decode(bytes: Buffer, random: SeededRandom, maxFrameSize = 1024 * 1024): Promise<{ payloads: Buffer[]; error: unknown }> {
  const payloads: Buffer[] = [];
  try {
    for await (const decoded of decodeMultiplexedFrames(chunked(bytes, random), { maxFrameSize })) payloads.push(Buffer.from(decoded.payload));
    return { payloads, error: undefined };
  } catch (error) {
    return { payloads, error };
  }
}

// Generous: the CPU is shared with other suites in CI; each input has its own bound above.
describe(`decodeMultiplexedFrames under fuzzing (seed ${seed})`, { timeout: 60_000 }, () => {
  it('decodes valid streams identically however they are chunked', async () => {
    const random = seededRandom(seed);
    for (let round = 0; round < 300; round += 1) {
      const payloads = Array.from({ length: random.integer(0, 12) }, () => random.bytes(random.pick([0, 1, 8, 100, 5_000])));
      const bytes = Buffer.concat(payloads.map((payload) => frame(random.integer(0, 2), payload)));
      const decoded = await decode(bytes, random);
      expect(decoded.error, `seed ${seed} round ${round}`).toBeUndefined();
      expect(decoded.payloads.map((payload) => payload.toString('hex'))).toEqual(payloads.map((payload) => payload.toString('hex')));
    }
  });

  it('ends corrupted, truncated and random streams in a StreamDecodeError only', async () => {
    const random = seededRandom(seed + 1);
    let failures = 0;
    for (let round = 0; round < 600; round += 1) {
      const valid = Buffer.concat(Array.from({ length: random.integer(1, 6) }, () => frame(random.integer(0, 2), random.bytes(random.integer(0, 300)))));
      let bytes: Buffer;
      switch (round % 3) {
        case 0: // a flipped byte (header or payload)
          bytes = Buffer.from(valid);
          bytes[random.integer(0, bytes.length - 1)] ^= 1 << random.integer(0, 7);
          break;
        case 1: // cut anywhere
          bytes = valid.subarray(0, random.integer(0, valid.length - 1));
          break;
        default: // noise
          bytes = random.bytes(random.integer(1, 2_000));
      }
      const decoded = await decode(bytes, random, random.pick([16, 1024, 1024 * 1024]));
      if (decoded.error !== undefined) {
        failures += 1;
        expect(decoded.error, `seed ${seed} round ${round}: ${String(decoded.error)}`).toBeInstanceOf(StreamDecodeError);
      }
    }
    expect(failures).toBeGreaterThan(300); // most of these inputs are broken, and say so
  });

  it('refuses a header announcing a huge frame at once instead of waiting for it', async () => {
    const random = seededRandom(seed + 2);
    const header = Buffer.from([1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    const decoded = await decode(Buffer.concat([header, random.bytes(100)]), random);
    expect(decoded.error).toBeInstanceOf(StreamDecodeError);
  });
});
