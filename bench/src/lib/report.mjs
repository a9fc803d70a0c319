// The results as Markdown tables (results/latest.md and stdout).

/** @param {number} value */
function number(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 100) return String(Math.round(value));
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** @param {{ min: number, median: number, max: number }} ratio */
function ratioText(ratio) {
  // NaN (no successful run) is written as null in the JSON.
  if (typeof ratio.median !== 'number' || !Number.isFinite(ratio.median)) return '–';
  return `${ratio.median.toFixed(2)}× (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`;
}

/**
 * @example
 * ```js
 * process.stdout.write(formatReport(results));
 * ```
 * @param {any} results
 */
export function formatReport(results) {
  const lines = [];
  const m = results.machine;
  lines.push(`# Berth bench — ${results.interim ? 'INTERIM (machine shared, numbers noisy) — ' : ''}${results.startedAt.slice(0, 10)}`);
  lines.push('');
  lines.push(
    `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, Engine ${results.engine.version} (API ${results.engine.apiVersion}, ${results.engine.storageDriver}); ` +
      `load average ${m.loadAverage1m.atStart} → ${m.loadAverage1m.atEnd}; ${results.durationSeconds} s; ${results.reps} repetitions unless a table says otherwise.`,
  );
  lines.push('');
  lines.push('Ratios divide by the floor contender within each repetition (median, then min–max over the repetitions); below 1 is faster. CPU is the client process (user + system), RSS its peak.');
  for (const scenarioCase of results.cases) {
    lines.push('');
    lines.push(`## ${scenarioCase.title}`);
    lines.push('');
    lines.push(`floor: ${scenarioCase.floor}; ${scenarioCase.reps} repetitions; ${scenarioCase.primary.label} in ${scenarioCase.primary.unit}`);
    lines.push('');
    lines.push(`| contender | ${scenarioCase.primary.label} median (min) | × floor | client CPU ms median | CPU × floor | peak RSS MiB median (max) | notes |`);
    lines.push('| --- | --- | --- | --- | --- | --- | --- |');
    for (const row of scenarioCase.rows) {
      lines.push(
        `| ${row.contender} | ${number(row.primary.median)} (${number(row.primary.min)}) | ${ratioText(row.ratio)} | ${number(row.cpuMs.median)} | ${ratioText(row.cpuRatio)} | ${number(row.peakRssMiB.median)} (${number(row.peakRssMiB.max)}) | ${row.notes} |`,
      );
    }
  }
  lines.push('');
  return lines.join('\n');
}

/**
 * One compact table of every case (for the README): the median of each contender's main
 * number, its ratio to the floor, its CPU ratio and its peak RSS.
 *
 * @example
 * ```js
 * const text = formatSummary(JSON.parse(readFileSync('results/latest.json', 'utf8')));
 * ```
 * @param {any} results
 */
export function formatSummary(results) {
  const m = results.machine;
  const lines = [
    `${results.interim ? 'INTERIM — ' : ''}${results.startedAt.slice(0, 10)}: ${m.cpus} × ${m.cpuModel}, Node ${m.node}, Engine ${results.engine.version} (API ${results.engine.apiVersion}, ${results.engine.storageDriver}), load average ${m.loadAverage1m.atStart} → ${m.loadAverage1m.atEnd}, ${results.reps} repetitions.`,
    '',
    '| case | contender | median | × floor (range) | CPU × floor | peak RSS MiB | notes |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const scenarioCase of results.cases) {
    for (const row of scenarioCase.rows) {
      const isFloor = row.contender === scenarioCase.floor;
      lines.push(
        `| ${scenarioCase.title} | ${row.contender}${isFloor ? ' (floor)' : ''} | ${number(row.primary.median)} ${scenarioCase.primary.unit} | ${ratioText(row.ratio)} | ${typeof row.cpuRatio.median === 'number' && Number.isFinite(row.cpuRatio.median) ? `${row.cpuRatio.median.toFixed(2)}×` : '–'} | ${number(row.peakRssMiB.median)} | ${row.notes} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
