// Summary statistics of timing samples. Medians and p95 rather than means: a benchmark on a
// shared 2-core machine has long-tailed outliers (GC, the engine's own work, other processes).

/**
 * Summarises samples in milliseconds.
 *
 * @example
 * ```js
 * summarize([1.2, 1.1, 1.5], 1); // { count: 3, medianMs: 1.2, p95Ms: 1.5, ... }
 * ```
 * @param {number[]} samples milliseconds per iteration
 * @param {number} operationsPerIteration operations one sample covers (20 for a round of 20 concurrent calls)
 */
export function summarize(samples, operationsPerIteration) {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = samples.reduce((sum, value) => sum + value, 0);
  return {
    count: samples.length,
    medianMs: quantile(sorted, 0.5),
    p95Ms: nearestRank(sorted, 0.95),
    minMs: sorted[0],
    maxMs: sorted[sorted.length - 1],
    // Throughput over the whole measured time, not 1/median: it includes the slow tail.
    operationsPerSecond: (samples.length * operationsPerIteration * 1000) / total,
  };
}

/**
 * Median-style interpolated quantile of sorted values.
 *
 * @example
 * ```js
 * quantile([1, 2, 3, 4], 0.5); // 2.5
 * ```
 * @param {number[]} sorted ascending values
 * @param {number} q between 0 and 1
 */
export function quantile(sorted, q) {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

/**
 * Nearest-rank percentile (an observed value, never an interpolation): the p95 of 5 samples is the
 * maximum.
 *
 * @example
 * ```js
 * nearestRank([1, 2, 3, 4, 5], 0.95); // 5
 * ```
 * @param {number[]} sorted ascending values
 * @param {number} q between 0 and 1
 */
export function nearestRank(sorted, q) {
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}
