// The human-readable table printed at the end of a run.

/**
 * Formats the results as a fixed-width text table. Every row of a scenario shows its median and
 * p95, its throughput, and the ratio of its median to the peer's (below 1: faster than the peer).
 *
 * @example
 * ```js
 * process.stdout.write(formatTable(results.scenarios));
 * ```
 * @param {Array<{ title: string, unit: string, peer: string, rows: Array<{ contender: string, count: number, medianMs: number, p95Ms: number, throughput: number, cpuMicrosecondsPerOperation?: number, ratio: number | undefined, note?: string }> }>} scenarios
 */
export function formatTable(scenarios) {
  const header = ['scenario', 'client', 'n', 'median', 'p95', 'throughput', 'CPU/op**', 'ratio*', 'notes'];
  /** @type {string[][]} */
  const lines = [];
  for (const scenario of scenarios) {
    scenario.rows.forEach((row, index) => {
      lines.push([
        index === 0 ? scenario.title : '',
        row.contender,
        String(row.count),
        formatMs(row.medianMs),
        formatMs(row.p95Ms),
        `${formatNumber(row.throughput)} ${scenario.unit}`,
        row.cpuMicrosecondsPerOperation === undefined ? '—' : formatMicroseconds(row.cpuMicrosecondsPerOperation),
        row.ratio === undefined ? '—' : `${row.ratio.toFixed(2)}×`,
        row.note ?? '',
      ]);
    });
  }
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  const render = (/** @type {string[]} */ cells) =>
    cells
      .map((cell, column) => (column >= 2 && column <= 7 ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [
    render(header),
    rule,
    ...lines.map(render),
    '',
    '* ratio = median time of the row / median time of the peer row of the scenario (dockerode, or the',
    '  naive baseline for the decoder); below 1.00× the row is faster.',
    '** CPU/op = CPU time (user + system) of the benchmark process over the timed runs / operations:',
    '   the client-side cost; the engine\'s CPU is not included.',
    '',
  ].join('\n');
}

/** @param {number} milliseconds */
function formatMs(milliseconds) {
  if (milliseconds >= 1000) return `${(milliseconds / 1000).toFixed(2)} s`;
  if (milliseconds >= 10) return `${milliseconds.toFixed(1)} ms`;
  return `${milliseconds.toFixed(3)} ms`;
}

/** @param {number} microseconds */
function formatMicroseconds(microseconds) {
  if (microseconds >= 10_000) return formatMs(microseconds / 1000);
  return `${Math.round(microseconds)} µs`;
}

/** @param {number} value */
function formatNumber(value) {
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(1);
}
