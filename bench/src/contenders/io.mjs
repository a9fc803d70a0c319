// Helpers the contender scripts share: a /dev/null sink, draining, the decode input.
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { makeProgressStream } from '../lib/progress-stream.mjs';
import { since } from './task.mjs';

/** A write stream to /dev/null that counts what it received. */
export function nullSink() {
  return createWriteStream('/dev/null');
}

/**
 * The decode scenario's input, made before the timer starts, and a GC so that it does not
 * run inside the timed part for garbage of the generation.
 *
 * @param {Record<string, any>} task `{ bytes, seed }`
 */
export function decodeInput(task) {
  const stream = makeProgressStream(task.bytes, task.seed);
  globalThis.gc?.();
  return stream;
}

/** @param {Buffer[]} chunks */
export async function* asyncChunks(chunks) {
  for (const chunk of chunks) yield chunk;
}

/**
 * Runs `operation` `count` times with `concurrency` calls in flight; resolves to operations per second.
 *
 * @param {() => Promise<unknown>} operation
 * @param {number} count
 * @param {number} concurrency
 */
export async function throughput(operation, count, concurrency) {
  const start = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      await operation();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return count / (Number(process.hrtime.bigint() - start) / 1e9);
}

/**
 * The inspect scenario: warm-up, then sequential, 20 and 100 in flight. Resolves to ops/s per mode.
 *
 * @param {() => Promise<unknown>} inspect
 * @param {Record<string, any>} task `{ count }`
 */
export async function inspectModes(inspect, task) {
  const count = task.count ?? 2000;
  await throughput(inspect, 200, 1);
  await throughput(inspect, 200, 20);
  const cpuStart = process.cpuUsage();
  const result = {
    sequentialOpsPerSecond: await throughput(inspect, count, 1),
    concurrent20OpsPerSecond: await throughput(inspect, count, 20),
    concurrent100OpsPerSecond: await throughput(inspect, count, 100),
  };
  const cpu = process.cpuUsage(cpuStart);
  return { ...result, cpuMicrosecondsPerOperation: (cpu.user + cpu.system) / (3 * count) };
}

/**
 * Drains a saved archive (or any body) into /dev/null: time to first byte is taken on the
 * call, so call it as soon as the stream is in hand.
 *
 * @example
 * ```js
 * const start = process.hrtime.bigint();
 * // await it inside try: a `finally` that closes the client must run after the drain.
 * return await drainTimed(await saveArchive(), start); // { ttfbMs, opMs, bytes }
 * ```
 * @param {NodeJS.ReadableStream} stream @param {bigint} start a `process.hrtime.bigint()`
 */
export async function drainTimed(stream, start) {
  const ttfbMs = since(start);
  const sink = nullSink();
  await pipeline(stream, sink);
  return { ttfbMs, opMs: since(start), bytes: sink.bytesWritten };
}
