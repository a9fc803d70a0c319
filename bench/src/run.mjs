// Berth vs dockerode on the same engine, in one run. Prints a table and writes
// results/latest.json. Numbers are only comparable within one run: read the ratios.
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createClients } from './clients.mjs';
import { acquireEngine } from './harness.mjs';
import { collectGarbage, measurePair } from './measure.mjs';
import { makeProgressStream, progressDecoders } from './progress-stream.mjs';
import { formatTable } from './report.mjs';
import { SAVE_IMAGE, buildSaveImage } from './save-image.mjs';
import { runSaveScenario } from './save-scenario.mjs';
import { summarize } from './stats.mjs';

const MiB = 1024 * 1024;
const CONCURRENCY = 20;
const SAVE_WARMUP = 1;
const SAVE_ITERATIONS = 5;
const DECODE_BYTES = 20 * MiB;
const DECODE_WARMUP = 2;
const DECODE_ITERATIONS = 10;
const resultsFile = fileURLToPath(new URL('../results/latest.json', import.meta.url));

if (typeof globalThis.gc !== 'function') {
  process.stderr.write('note: run with node --expose-gc (pnpm --filter @berth/bench bench does) for GC between blocks\n');
}

const startedAt = new Date();
const loadAtStart = os.loadavg();
const engine = acquireEngine();
const stopOnSignal = () => {
  engine.stop();
  process.exit(130);
};
process.once('SIGINT', stopOnSignal);
process.once('SIGTERM', stopOnSignal);

try {
  await main();
} finally {
  engine.stop();
}

async function main() {
  const { berth, dockerode, close } = createClients(engine.socketPath);
  const { client } = berth;
  const { docker } = dockerode;
  const seed = engine.seedImage;
  const progress = (/** @type {string} */ text) => process.stderr.write(`${text}\n`);

  progress('building the 50 MiB image for the save scenario…');
  const buildStart = performance.now();
  const saveImageId = await buildSaveImage(docker, seed);
  progress(`  built ${SAVE_IMAGE} (${saveImageId.slice(7, 19)}) in ${((performance.now() - buildStart) / 1000).toFixed(1)} s`);

  // The same answers from both clients, so neither is timed on an error path.
  const [berthPing, dockerodePing] = [await berth.ping(client), await docker.ping()];
  assertEqual('ping', berthPing.body, String(dockerodePing));
  const [berthList, dockerodeList] = [await berth.listImages(client), await docker.listImages()];
  assertEqual('listImages count', berthList.length, dockerodeList.length);
  const [berthInspect, dockerodeInspect] = [await berth.inspectImage(client, { name: seed }), await docker.getImage(seed).inspect()];
  assertEqual('inspectImage Id', berthInspect.Id, dockerodeInspect.Id);
  const [berthHistory, dockerodeHistory] = [await berth.getImageHistory(client, { name: SAVE_IMAGE }), await docker.getImage(SAVE_IMAGE).history()];
  assertEqual('history length', berthHistory.length, dockerodeHistory.length);
  const randomLayer = berthHistory[0];
  if (!randomLayer || randomLayer.Size < 50 * MiB) throw new Error(`the top layer of ${SAVE_IMAGE} is not 50 MiB: ${JSON.stringify(randomLayer)}`);

  const engineVersion = await docker.version();
  const engineInfo = await docker.info();
  const apiVersion = await client.apiVersion();

  /** @type {any[]} */
  const scenarios = [];
  /**
   * @param {{ id: string, title: string, warmup: number, iterations: number, blocks: number, operations?: number, berth: () => Promise<unknown>, dockerode: () => Promise<unknown> }} spec
   */
  const pairScenario = async (spec) => {
    progress(`${spec.title}…`);
    const operations = spec.operations ?? 1;
    const { samples, cpuMicroseconds } = await measurePair({
      warmup: spec.warmup,
      iterations: spec.iterations,
      blocks: spec.blocks,
      contenders: { berth: spec.berth, dockerode: spec.dockerode },
    });
    const berthSummary = summarize(samples['berth'], operations);
    const dockerodeSummary = summarize(samples['dockerode'], operations);
    const cpuPerOperation = (/** @type {string} */ name) => cpuMicroseconds[name] / (spec.iterations * operations);
    scenarios.push({
      id: spec.id,
      title: spec.title,
      unit: 'ops/s',
      peer: 'dockerode',
      warmup: spec.warmup,
      operationsPerIteration: operations,
      rows: [
        {
          contender: 'berth',
          ...row(berthSummary),
          throughput: berthSummary.operationsPerSecond,
          cpuMicrosecondsPerOperation: cpuPerOperation('berth'),
          ratio: berthSummary.medianMs / dockerodeSummary.medianMs,
        },
        {
          contender: 'dockerode',
          ...row(dockerodeSummary),
          throughput: dockerodeSummary.operationsPerSecond,
          cpuMicrosecondsPerOperation: cpuPerOperation('dockerode'),
          ratio: 1,
        },
      ],
    });
  };

  await pairScenario({
    id: 'ping',
    title: 'ping ×500',
    warmup: 50,
    iterations: 500,
    blocks: 25,
    berth: () => berth.ping(client),
    dockerode: () => docker.ping(),
  });
  await pairScenario({
    id: 'list-images',
    title: `listImages ×300 (${berthList.length} images)`,
    warmup: 30,
    iterations: 300,
    blocks: 15,
    berth: () => berth.listImages(client),
    dockerode: () => docker.listImages(),
  });
  await pairScenario({
    id: 'inspect-image',
    title: 'inspectImage ×300',
    warmup: 30,
    iterations: 300,
    blocks: 15,
    berth: () => berth.inspectImage(client, { name: seed }),
    dockerode: () => docker.getImage(seed).inspect(),
  });
  await pairScenario({
    id: 'image-history',
    title: 'getImageHistory ×300',
    warmup: 30,
    iterations: 300,
    blocks: 15,
    berth: () => berth.getImageHistory(client, { name: SAVE_IMAGE }),
    dockerode: () => docker.getImage(SAVE_IMAGE).history(),
  });
  await pairScenario({
    id: 'concurrent-inspect',
    title: `${CONCURRENCY} concurrent inspects ×30 rounds`,
    warmup: 3,
    iterations: 30,
    blocks: 10,
    operations: CONCURRENCY,
    berth: () => Promise.all(Array.from({ length: CONCURRENCY }, () => berth.inspectImage(client, { name: seed }))),
    dockerode: () => Promise.all(Array.from({ length: CONCURRENCY }, () => docker.getImage(seed).inspect())),
  });
  await close();

  progress(`save ${SAVE_IMAGE} to /dev/null ×${SAVE_ITERATIONS} (one child process per client)…`);
  const saves = await runSaveScenario({ socketPath: engine.socketPath, image: SAVE_IMAGE, warmup: SAVE_WARMUP, iterations: SAVE_ITERATIONS });
  assertEqual('saved bytes', saves.berth.runs[0].bytes, saves.dockerode.runs[0].bytes);
  const saveRows = ['berth', 'dockerode'].map((name) => {
    const { runs, baselineRss, peakRss } = saves[name];
    const total = summarize(runs.map((/** @type {any} */ run) => run.totalMs), 1);
    const headers = summarize(runs.map((/** @type {any} */ run) => run.headersMs), 1);
    const bytes = runs[0].bytes;
    return {
      contender: name,
      ...row(total),
      throughput: bytes / MiB / (total.medianMs / 1000),
      bytes,
      cpuMicrosecondsPerOperation: runs.reduce((/** @type {number} */ sum, /** @type {any} */ run) => sum + run.cpuMicroseconds, 0) / runs.length,
      headersMedianMs: headers.medianMs,
      peakRssDeltaMiB: (peakRss - baselineRss) / MiB,
    };
  });
  for (const saveRow of saveRows) {
    saveRow.ratio = saveRow.medianMs / saveRows[1].medianMs;
    saveRow.note = `peak RSS +${saveRow.peakRssDeltaMiB.toFixed(1)} MiB, headers after ${saveRow.headersMedianMs.toFixed(0)} ms`;
  }
  scenarios.push({
    id: 'save-image',
    title: `save ${(saveRows[0].bytes / MiB).toFixed(1)} MiB → /dev/null ×${SAVE_ITERATIONS}`,
    unit: 'MiB/s',
    peer: 'dockerode',
    warmup: SAVE_WARMUP,
    operationsPerIteration: 1,
    rows: saveRows,
  });

  progress('progress-stream decode (synthetic, in memory)…');
  const stream = makeProgressStream(DECODE_BYTES, 20240611);
  const decoders = progressDecoders(docker);
  for (const [name, decode] of Object.entries(decoders)) {
    assertEqual(`${name} message count`, await decode(stream.chunks), stream.messageCount);
  }
  collectGarbage();
  const { samples: decodeSamples, cpuMicroseconds: decodeCpu } = await measurePair({
    warmup: DECODE_WARMUP,
    iterations: DECODE_ITERATIONS,
    blocks: DECODE_ITERATIONS,
    contenders: Object.fromEntries(Object.entries(decoders).map(([name, decode]) => [name, () => decode(stream.chunks)])),
  });
  const decodeSummaries = Object.fromEntries(Object.entries(decodeSamples).map(([name, samples]) => [name, summarize(samples, 1)]));
  const baseline = decodeSummaries['naiveSplitParse'];
  scenarios.push({
    id: 'decode-progress-stream',
    title: `decode ${(stream.byteLength / MiB).toFixed(0)} MiB progress stream ×${DECODE_ITERATIONS}`,
    unit: 'MiB/s',
    peer: 'naiveSplitParse',
    warmup: DECODE_WARMUP,
    operationsPerIteration: 1,
    messages: stream.messageCount,
    chunks: stream.chunks.length,
    bytes: stream.byteLength,
    rows: Object.entries(decodeSummaries).map(([name, summary]) => ({
      contender: name,
      ...row(summary),
      throughput: stream.byteLength / MiB / (summary.medianMs / 1000),
      cpuMicrosecondsPerOperation: decodeCpu[name] / DECODE_ITERATIONS,
      ratio: summary.medianMs / baseline.medianMs,
      note: `${Math.round((stream.messageCount / summary.medianMs) * 1000).toLocaleString('en-US')} msg/s`,
    })),
  });

  const finishedAt = new Date();
  const require = createRequire(import.meta.url);
  const results = {
    schema: 1,
    startedAt: startedAt.toISOString(),
    durationSeconds: Math.round((finishedAt.getTime() - startedAt.getTime()) / 100) / 10,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      // Other work on the machine (other engines, test runs) is the main source of noise.
      loadAverage1m: { atStart: round2(loadAtStart[0]), atEnd: round2(os.loadavg()[0]) },
    },
    engine: {
      version: engineVersion.Version,
      apiVersion,
      storageDriver: engineInfo.Driver,
      harness: engine.startedHere ? 'started by this run' : 'from BERTH_TEST_DOCKER_SOCKET',
    },
    clients: {
      berth: `@berth/engine-protocol ${require('@berth/engine-protocol/package.json').version} + @berth/transport-unix (undici Agent, 16 connections)`,
      dockerode: `dockerode ${require('dockerode/package.json').version} (docker-modem, node:http global keep-alive agent)`,
    },
    scenarios,
  };
  await mkdir(new URL('../results/', import.meta.url), { recursive: true });
  await writeFile(resultsFile, `${JSON.stringify(results, null, 2)}\n`);

  if (!engine.startedHere) await docker.getImage(SAVE_IMAGE).remove({ force: true });
  process.stdout.write(
    `\nBerth vs dockerode — ${results.machine.cpus} × ${results.machine.cpuModel}, Node ${process.version}, ` +
      `Engine ${results.engine.version} (API ${apiVersion}, ${results.engine.storageDriver}), ${results.durationSeconds} s, ` +
      `load average ${results.machine.loadAverage1m.atStart} → ${results.machine.loadAverage1m.atEnd}\n\n`,
  );
  process.stdout.write(formatTable(scenarios));
  process.stdout.write(`results: ${resultsFile}\n`);
}

/** @param {number} value */
function round2(value) {
  return Math.round(value * 100) / 100;
}

/** @param {ReturnType<typeof summarize>} summary */
function row(summary) {
  return { count: summary.count, medianMs: summary.medianMs, p95Ms: summary.p95Ms, minMs: summary.minMs, maxMs: summary.maxMs };
}

/** @param {string} what @param {unknown} actual @param {unknown} expected */
function assertEqual(what, actual, expected) {
  if (actual !== expected) throw new Error(`${what}: berth and its peer disagree (${String(actual)} vs ${String(expected)})`);
}
