// Runs the cases: repetitions in rotating order (repetition r starts with contender r mod n,
// so a slow phase of the machine hits every contender in turn), ratios to the floor computed
// per repetition, then summarised as min / median.
import { quantile } from './stats.mjs';

/**
 * @param {any} scenarioCase
 * @param {number} defaultReps
 * @param {(text: string) => void} log
 */
export async function runCase(scenarioCase, defaultReps, log) {
  const reps = scenarioCase.reps ?? defaultReps;
  const contenders = scenarioCase.contenders;
  const primary = scenarioCase.primary ?? { label: 'wall', unit: 'ms', value: (/** @type {any} */ m) => m.wallMs };
  /** @type {Record<string, any[]>} */
  const runs = Object.fromEntries(contenders.map((/** @type {any} */ c) => [c.name, []]));
  for (let rep = 0; rep < reps; rep++) {
    const order = contenders.map((/** @type {any} */ _, /** @type {number} */ i) => contenders[(i + rep) % contenders.length]);
    for (const contender of order) {
      await contender.before?.();
      let measurement;
      try {
        measurement = await contender.run();
      } catch (error) {
        // One failed run (a crash, the 10-minute limit) is recorded and the bench goes on.
        measurement = { failed: String(error instanceof Error ? error.message : error).slice(0, 300), wallMs: NaN, cpuMs: NaN, peakRssMiB: NaN, reported: {} };
        log(`  ${scenarioCase.id} rep ${rep + 1}/${reps} ${contender.name}: FAILED ${measurement.failed}`);
      }
      runs[contender.name]?.push(measurement);
      if (!measurement.failed) {
        log(`  ${scenarioCase.id} rep ${rep + 1}/${reps} ${contender.name}: ${primary.label} ${round(primary.value(measurement))} ${primary.unit}, CPU ${round(measurement.cpuMs)} ms, RSS ${round(measurement.peakRssMiB)} MiB`);
      }
    }
    const last = Object.entries(runs).map(([name, list]) => [name, list[list.length - 1]]).filter(([, run]) => run && !run.failed);
    await scenarioCase.check?.(Object.fromEntries(last));
  }
  // Several tables from the same runs (the inspect modes), or one.
  const views = scenarioCase.views ?? [{ id: scenarioCase.id, title: scenarioCase.title, primary }];
  return views.map((/** @type {any} */ view) => table({ ...scenarioCase, ...view }, runs, reps));
}

/**
 * @param {any} scenarioCase
 * @param {Record<string, any[]>} runs
 * @param {number} reps
 */
function table(scenarioCase, runs, reps) {
  const contenders = scenarioCase.contenders;
  const primary = scenarioCase.primary ?? { label: 'wall', unit: 'ms', value: (/** @type {any} */ m) => m.wallMs };
  const floorRuns = runs[scenarioCase.floor];
  if (!floorRuns) throw new Error(`${scenarioCase.id}: floor ${scenarioCase.floor} is not a contender`);
  const rows = contenders.map((/** @type {any} */ contender) => {
    const all = runs[contender.name] ?? [];
    // Ratios pair runs of the same repetition; failed runs are left out (and counted).
    const pairs = all.map((m, i) => [m, floorRuns[i]]).filter(([m, floor]) => m && floor && !m.failed && !floor.failed);
    const list = all.filter((m) => !m.failed);
    const failed = all.length - list.length;
    const ratios = pairs.map(([m, floor]) => primary.value(m) / primary.value(floor));
    const cpuRatios = pairs.map(([m, floor]) => m.cpuMs / Math.max(1, floor.cpuMs));
    return {
      contender: contender.name,
      primary: summary(list.map((m) => primary.value(m))),
      wallMs: summary(list.map((m) => m.wallMs)),
      cpuMs: summary(list.map((m) => m.cpuMs)),
      peakRssMiB: summary(list.map((m) => m.peakRssMiB)),
      ratio: summary(ratios),
      cpuRatio: summary(cpuRatios),
      notes: [list.length > 0 && scenarioCase.notes ? scenarioCase.notes(list) : '', failed > 0 ? `${failed} run(s) failed` : ''].filter(Boolean).join('; '),
      runs: all.map((m) => ({ wallMs: m.wallMs, cpuMs: m.cpuMs, peakRssMiB: m.peakRssMiB, reported: m.reported, ...(m.failed ? { failed: m.failed } : {}) })),
    };
  });
  return { id: scenarioCase.id, title: scenarioCase.title, floor: scenarioCase.floor, reps, primary: { label: primary.label, unit: primary.unit }, rows };
}

/** @param {number[]} values */
function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return { min: NaN, median: NaN, max: NaN };
  return { min: sorted[0], median: quantile(sorted, 0.5), max: sorted[sorted.length - 1] };
}

/** @param {number} value */
function round(value) {
  return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
}
