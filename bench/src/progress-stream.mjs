// The progress-stream micro-benchmark's input and contenders. The input imitates `docker pull`
// output: per-layer status lines, mostly "Downloading"/"Extracting" updates with progressDetail
// and the legacy pre-rendered `progress` bar, each ending in \r\n, cut into chunks of random
// size (log-uniform 16 B..64 KiB) as a socket would deliver them.
import { Readable } from 'node:stream';
import { JsonMessageDecoder, decodeJsonMessages } from '@berth/engine-protocol';

/**
 * A small deterministic PRNG (mulberry32), so every run decodes the same bytes.
 *
 * @example
 * ```js
 * const random = seededRandom(42);
 * random(); // 0 <= x < 1
 * ```
 * @param {number} seed
 */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Builds about `targetBytes` of pull progress messages and cuts them into chunks.
 *
 * @example
 * ```js
 * const { chunks, messageCount, byteLength } = makeProgressStream(20 * 1024 * 1024, 1);
 * ```
 * @param {number} targetBytes
 * @param {number} seed
 */
export function makeProgressStream(targetBytes, seed) {
  const random = seededRandom(seed);
  const hex = () => Math.floor(random() * 0xffffffffffff).toString(16).padStart(12, '0');
  const lines = [];
  let length = 0;
  let messageCount = 0;
  const push = (/** @type {object} */ message) => {
    const line = `${JSON.stringify(message)}\r\n`;
    lines.push(line);
    length += line.length;
    messageCount++;
  };
  push({ status: 'Pulling from library/bench', id: 'latest' });
  while (length < targetBytes) {
    const id = hex();
    const total = Math.floor(1_000_000 + random() * 50_000_000);
    push({ status: 'Pulling fs layer', progressDetail: {}, id });
    push({ status: 'Waiting', progressDetail: {}, id });
    for (const phase of ['Downloading', 'Extracting']) {
      for (let current = 0; current < total && length < targetBytes; ) {
        current = Math.min(total, current + Math.floor(32_768 + random() * 1_000_000));
        const filled = Math.floor((current / total) * 50);
        const bar = `[${'='.repeat(Math.max(0, filled - 1))}>${' '.repeat(50 - filled)}]`;
        push({
          status: phase,
          progressDetail: { current, total },
          progress: `${bar}  ${(current / 1e6).toFixed(2)}MB/${(total / 1e6).toFixed(2)}MB`,
          id,
        });
      }
      push({ status: phase === 'Downloading' ? 'Download complete' : 'Pull complete', progressDetail: {}, id });
    }
  }
  push({ status: `Digest: sha256:${hex()}${hex()}${hex()}${hex()}${hex()}` });
  push({ status: 'Status: Downloaded newer image for bench:latest' });
  const bytes = Buffer.from(lines.join(''), 'utf8');
  const chunks = [];
  for (let offset = 0; offset < bytes.length; ) {
    const size = Math.floor(16 * Math.pow(4096, random()));
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return { chunks, messageCount, byteLength: bytes.length };
}

/** @param {Buffer[]} chunks */
async function* asyncChunks(chunks) {
  for (const chunk of chunks) yield chunk;
}

/**
 * The contenders: each decodes all chunks and returns the number of messages it produced.
 * Berth's async iterator and the naive baseline consume the same async iterable; dockerode's
 * `modem.followProgress` takes a stream, as it does in real use.
 *
 * @example
 * ```js
 * const count = await progressDecoders(docker).berthDecodeJsonMessages(chunks);
 * ```
 * @param {import('dockerode')} docker
 * @returns {Record<string, (chunks: Buffer[]) => Promise<number>>}
 */
export function progressDecoders(docker) {
  return {
    async berthDecodeJsonMessages(chunks) {
      let count = 0;
      for await (const message of decodeJsonMessages(asyncChunks(chunks))) if (message) count++;
      return count;
    },
    // Berth's synchronous decoder under the iterator: the scan and the field checks, without
    // one async-generator step per message.
    async berthJsonMessageDecoder(chunks) {
      const decoder = new JsonMessageDecoder();
      let count = 0;
      for await (const chunk of asyncChunks(chunks)) count += decoder.push(chunk).length;
      return count + decoder.end().length;
    },
    async naiveSplitParse(chunks) {
      let buffered = '';
      let count = 0;
      for await (const chunk of asyncChunks(chunks)) {
        buffered += chunk.toString('utf8');
        const parts = buffered.split('\r\n');
        buffered = parts.pop() ?? '';
        for (const part of parts) if (part.length > 0 && JSON.parse(part)) count++;
      }
      if (buffered.length > 0 && JSON.parse(buffered)) count++;
      return count;
    },
    dockerodeFollowProgress(chunks) {
      return new Promise((resolve, reject) => {
        docker.modem.followProgress(Readable.from(chunks, { objectMode: false }), (/** @type {unknown} */ error, /** @type {unknown[]} */ output) =>
          error ? reject(error) : resolve(output.length),
        );
      });
    },
  };
}
