// The decode scenario's input. It imitates `docker pull`
// output: per-layer status lines, mostly "Downloading"/"Extracting" updates with progressDetail
// and the legacy pre-rendered `progress` bar, each ending in \r\n, cut into chunks of random
// size (log-uniform 16 B..64 KiB) as a socket would deliver them.

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

