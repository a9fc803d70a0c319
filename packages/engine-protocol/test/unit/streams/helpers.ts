import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '@berth/test-engine';

/** Directory of the recorded stream fixtures. */
export const fixturesDir = fileURLToPath(new URL('../../fixtures/streams/', import.meta.url));

/** Bytes of a recorded fixture. */
export function fixture(name: string): Uint8Array {
  const buffer = readFileSync(new URL(name, `file://${fixturesDir}`));
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Cuts `data` at the given (sorted, distinct) offsets. */
export function splitAt<T extends Uint8Array | string>(data: T, points: readonly number[]): T[] {
  const chunks: T[] = [];
  let previous = 0;
  for (const point of [...points, data.length]) {
    chunks.push(data.slice(previous, point) as T);
    previous = point;
  }
  return chunks;
}

/** Every way of cutting `data` into two chunks (including an empty first or last chunk). */
export function* everyTwoWaySplit<T extends Uint8Array | string>(data: T): Generator<{ point: number; chunks: T[] }> {
  for (let point = 0; point <= data.length; point++) yield { point, chunks: splitAt(data, [point]) };
}

/** One chunk per byte (or character). */
export function oneByOne<T extends Uint8Array | string>(data: T): T[] {
  const chunks: T[] = [];
  for (let i = 0; i < data.length; i++) chunks.push(data.slice(i, i + 1) as T);
  return chunks;
}

/** `count` seeded random multi-split patterns of `data` (up to `maxCuts` cuts each, empty chunks included). */
export function randomSplits<T extends Uint8Array | string>(data: T, seed: number, count: number, maxCuts = 12): { cuts: number[]; chunks: T[] }[] {
  const random = seededRandom(seed).next;
  const patterns: { cuts: number[]; chunks: T[] }[] = [];
  for (let n = 0; n < count; n++) {
    const cutCount = 1 + Math.floor(random() * maxCuts);
    const cuts = Array.from({ length: cutCount }, () => Math.floor(random() * (data.length + 1))).sort((a, b) => a - b);
    patterns.push({ cuts, chunks: splitAt(data, cuts) });
  }
  return patterns;
}

/** All the chunk patterns used by the split-invariance tests, with a label each. */
export function splitPatterns<T extends Uint8Array | string>(data: T, seed = 1): { label: string; chunks: T[] }[] {
  const patterns: { label: string; chunks: T[] }[] = [{ label: 'whole', chunks: [data] }];
  for (const { point, chunks } of everyTwoWaySplit(data)) patterns.push({ label: `split at ${point}`, chunks });
  patterns.push({ label: 'one by one', chunks: oneByOne(data) });
  for (const { cuts, chunks } of randomSplits(data, seed, 25)) patterns.push({ label: `random cuts ${cuts.join(',')}`, chunks });
  return patterns;
}

/** An async iterable over the given chunks that records how it was consumed. */
export function trackedSource<T>(chunks: Iterable<T>): AsyncIterable<T> & { pulled: number; returned: boolean } {
  const state = {
    pulled: 0,
    returned: false,
    async *[Symbol.asyncIterator](): AsyncGenerator<T> {
      try {
        for (const chunk of chunks) {
          state.pulled++;
          yield chunk;
        }
      } finally {
        state.returned = true;
      }
    },
  };
  return state;
}

/** An async iterable that yields `chunks` and then never ends (until `return()`). */
export function hangingSource<T>(chunks: readonly T[]): AsyncIterable<T> & { returnCalled: boolean } {
  const state = {
    returnCalled: false,
    [Symbol.asyncIterator](): AsyncIterator<T> {
      let index = 0;
      return {
        next: () => (index < chunks.length ? Promise.resolve({ done: false, value: chunks[index++] as T }) : new Promise<IteratorResult<T>>(() => {})),
        return: () => {
          state.returnCalled = true;
          return Promise.resolve({ done: true, value: undefined });
        },
      };
    },
  };
  return state;
}

export async function* fromChunks<T>(chunks: Iterable<T>): AsyncGenerator<T> {
  for (const chunk of chunks) yield chunk;
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Collects what an async iterable yields before it fails, and the failure. */
export async function collectSettled<T>(iterable: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of iterable) items.push(item);
  } catch (error) {
    return { items, error };
  }
  return { items, error: undefined };
}

export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  const result = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    result.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return result;
}

export const utf8 = new TextEncoder();

/** Fast byte equality (vitest's deep equality walks typed arrays element by element). */
export function sameBytes(actual: Uint8Array, expected: Uint8Array): boolean {
  return Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength));
}
