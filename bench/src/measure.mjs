// Runs two contenders against each other, interleaved, so that a slow phase of the machine or
// of the engine (a GC, a background flush) hits both rather than only the one running then.

/** Runs a full garbage collection when node was started with --expose-gc. */
export function collectGarbage() {
  if (typeof globalThis.gc === 'function') globalThis.gc();
}

/**
 * Times `iterations` runs of each contender after `warmup` untimed runs of each. The timed runs
 * are split in `blocks` blocks, alternating which contender goes first, with a GC between
 * blocks (never inside a timed run).
 *
 * @example
 * ```js
 * const { samples } = await measurePair({
 *   warmup: 50, iterations: 500, blocks: 10,
 *   contenders: { berth: () => ping(client), dockerode: () => docker.ping() },
 * });
 * samples.berth.length; // 500
 * ```
 * @param {{ warmup: number, iterations: number, blocks: number, contenders: Record<string, () => Promise<unknown>> }} options
 * @returns {Promise<{ samples: Record<string, number[]>, cpuMicroseconds: Record<string, number> }>}
 *   milliseconds per timed run, and the process's CPU time (user + system) over all timed runs,
 *   per contender: the client-side cost, which the engine's share of the 2 cores does not blur
 */
export async function measurePair({ warmup, iterations, blocks, contenders }) {
  const names = Object.keys(contenders);
  /** @type {Record<string, number[]>} */
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  /** @type {Record<string, number>} */
  const cpuMicroseconds = Object.fromEntries(names.map((name) => [name, 0]));
  for (const name of names) {
    for (let i = 0; i < warmup; i++) await contenders[name]();
  }
  const perBlock = Math.ceil(iterations / blocks);
  for (let block = 0; block < blocks; block++) {
    const order = block % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      collectGarbage();
      const run = contenders[name];
      const target = samples[name];
      const count = Math.min(perBlock, iterations - target.length);
      const cpuStart = process.cpuUsage();
      for (let i = 0; i < count; i++) {
        const start = process.hrtime.bigint();
        await run();
        target.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      const cpu = process.cpuUsage(cpuStart);
      cpuMicroseconds[name] += cpu.user + cpu.system;
    }
  }
  return { samples, cpuMicroseconds };
}
