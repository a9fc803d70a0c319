import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseProgressEvent, ProgressOperation, type ProgressEvent } from '../../src/index.js';

function status(text: string): ProgressEvent {
  return parseProgressEvent({ status: text });
}
function downloading(layerId: string, current: number): ProgressEvent {
  return parseProgressEvent({ status: 'Downloading', id: layerId, progressDetail: { current, total: 1000 } });
}

/** A controllable executor: emit events and settle it from the test. */
function controlled<T>() {
  let emit!: (event: ProgressEvent) => void;
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const operation = new ProgressOperation<T>(
    (emitter) =>
      new Promise<T>((resolveResult, rejectResult) => {
        emit = emitter;
        resolve = resolveResult;
        reject = rejectResult;
      }),
  );
  return { operation, emit: (event: ProgressEvent) => emit(event), resolve: (value: T) => resolve(value), reject: (error: unknown) => reject(error) };
}

async function collect(iterable: AsyncIterable<ProgressEvent>): Promise<string[]> {
  const seen: string[] = [];
  for await (const event of iterable) seen.push(event.type === 'status' ? event.status : `${event.type}`);
  return seen;
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

describe('ProgressOperation', () => {
  it('resolves to the result, and is a real thenable', async () => {
    const operation = new ProgressOperation(async (emit) => {
      emit(status('one'));
      return 42;
    });
    expect(await operation).toBe(42);
    expect(await operation.result).toBe(42);
    expect(await operation.then((value) => value + 1)).toBe(43);
    expect(Object.prototype.toString.call(operation)).toBe('[object ProgressOperation]');
    // An async function returning it unwraps it like a promise.
    expect(await (async () => operation)()).toBe(42);
  });

  it('delivers live events to an iteration, in order', async () => {
    const { operation, emit, resolve } = controlled<string>();
    const iteration = collect(operation);
    await Promise.resolve();
    emit(status('a'));
    emit(status('b'));
    await new Promise((done) => setTimeout(done, 5));
    emit(status('c'));
    resolve('done');
    expect(await iteration).toEqual(['a', 'b', 'c', 'complete']);
    expect(await operation).toBe('done');
  });

  it('replays every event to an iteration that starts late, even after the end', async () => {
    const operation = new ProgressOperation(async (emit) => {
      emit(status('a'));
      emit(status('b'));
      return 'x';
    });
    await operation;
    expect(await collect(operation)).toEqual(['a', 'b', 'complete']);
    expect(await collect(operation)).toEqual(['a', 'b', 'complete']);
    expect(operation.settled).toBe(true);
  });

  it('rejects await and throws from the iteration after the events when the work fails', async () => {
    const failure = new Error('stream broke');
    const { operation, emit, reject } = controlled<string>();
    const seen: string[] = [];
    const iteration = (async () => {
      for await (const event of operation) seen.push(event.type === 'status' ? event.status : event.type);
    })();
    emit(status('a'));
    reject(failure);
    await expect(iteration).rejects.toBe(failure);
    expect(seen).toEqual(['a']);
    await expect(operation).rejects.toBe(failure);
    // A late iteration also ends with the error.
    await expect(collect(operation)).rejects.toBe(failure);
  });

  it('does not raise an unhandled rejection when the caller only iterates', async () => {
    const operation = new ProgressOperation<void>(async (emit) => {
      emit(status('a'));
      throw new Error('failed');
    });
    await expect(collect(operation)).rejects.toThrow('failed');
    await new Promise((done) => setTimeout(done, 20));
    expect(unhandled).toEqual([]);
  });

  it('does not raise an unhandled rejection when nobody observes it at all', async () => {
    new ProgressOperation<void>(async () => {
      throw new Error('nobody listens');
    });
    await new Promise((done) => setTimeout(done, 20));
    expect(unhandled).toEqual([]);
  });

  it('keeps running when an iteration breaks early', async () => {
    const { operation, emit, resolve } = controlled<number>();
    const iteration = (async () => {
      for await (const event of operation) {
        if (event.type === 'status') break;
      }
    })();
    emit(status('a'));
    await iteration;
    emit(status('b'));
    resolve(7);
    expect(await operation).toBe(7);
    expect(operation.log.map((event) => (event.type === 'status' ? event.status : event.type))).toEqual(['a', 'b', 'complete']);
  });

  it('logs everything except byte-count updates', async () => {
    const operation = new ProgressOperation(async (emit) => {
      emit(status('start'));
      emit(downloading('l1', 10));
      emit(parseProgressEvent({ status: 'Download complete', id: 'l1' }));
      return undefined;
    });
    await operation;
    expect(operation.log.map((event) => event.type)).toEqual(['status', 'layer', 'complete']);
    expect(await collect(operation)).toEqual(['start', 'layer', 'layer', 'complete']);
  });

  it('bounds the buffer by dropping superseded byte counts only', async () => {
    const operation = new ProgressOperation(
      async (emit) => {
        for (let index = 0; index < 500; index += 1) {
          emit(downloading('l1', index));
          emit(downloading('l2', index));
          if (index % 100 === 0) emit(status(`milestone ${index}`));
        }
        return undefined;
      },
      { bufferLimit: 50 },
    );
    await operation;
    const replay: ProgressEvent[] = [];
    for await (const event of operation) replay.push(event);
    // Every milestone survives, in order.
    expect(replay.flatMap((event) => (event.type === 'status' ? [event.status] : []))).toEqual([
      'milestone 0',
      'milestone 100',
      'milestone 200',
      'milestone 300',
      'milestone 400',
    ]);
    // Counts were dropped, but never the latest of each layer.
    expect(replay.length).toBeLessThan(150);
    const last = (layerId: string) => replay.filter((event) => event.type === 'layer' && event.layerId === layerId).at(-1);
    expect(last('l1')).toMatchObject({ current: 499 });
    expect(last('l2')).toMatchObject({ current: 499 });
    // Order is kept.
    const counts = replay.flatMap((event) => (event.type === 'layer' && event.layerId === 'l1' ? [event.current ?? -1] : []));
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
  });

  it('refuses a bufferLimit that is not a positive integer', () => {
    expect(() => new ProgressOperation(async () => 1, { bufferLimit: 0 })).toThrow(/bufferLimit/);
  });

  // issue 8, bounded memory: 1M status lines used to be kept in full (log and replay history).
  it('keeps memory bounded whatever the stream length: the tail of the log plus every key event', async () => {
    const total = 200_000;
    const operation = new ProgressOperation(
      async (emit) => {
        emit(parseProgressEvent({ status: 'Digest: sha256:' + 'a'.repeat(64) }));
        for (let index = 0; index < total; index += 1) emit(status(`line ${index}`));
        emit(parseProgressEvent({ aux: { ID: 'sha256:' + 'b'.repeat(64) } }));
        emit(status('last'));
        return undefined;
      },
      { logLimit: 1_000, bufferLimit: 500 },
    );
    await operation;
    const log = operation.log;
    expect(log.length).toBeLessThanOrEqual(2_000);
    expect(log.filter((event) => event.type === 'status')).toHaveLength(1_000);
    expect(log.at(-1)).toMatchObject({ type: 'complete' });
    expect(log.at(-2)).toMatchObject({ type: 'status', status: 'last' });
    expect(log.at(-3)).toMatchObject({ type: 'image-id' });
    expect(log[0]).toMatchObject({ type: 'digest' }); // the oldest key event survives the tail cut
    expect(operation.droppedLogEvents).toBe(total + 4 - log.length); // + the complete mark
    // Replay to a late iteration is bounded too, and keeps the key events.
    const replay: ProgressEvent[] = [];
    for await (const event of operation) replay.push(event);
    expect(replay.length).toBeLessThanOrEqual(4 * 500);
    expect(replay.some((event) => event.type === 'digest')).toBe(true);
    expect(replay.at(-2)).toMatchObject({ status: 'last' });
    expect(replay.at(-1)).toMatchObject({ type: 'complete' });
  });

  it('bounds what a lagging iteration holds', async () => {
    const { operation, emit, resolve } = controlledWith<undefined>({ bufferLimit: 100 });
    const iterator = operation[Symbol.asyncIterator]();
    for (let index = 0; index < 50_000; index += 1) emit(status(`line ${index}`));
    resolve(undefined);
    let seen = 0;
    let previous: ProgressEvent | undefined;
    let last: ProgressEvent | undefined;
    for (let step = await iterator.next(); !step.done; step = await iterator.next()) {
      seen += 1;
      previous = last;
      last = step.value;
    }
    expect(seen).toBeLessThanOrEqual(400);
    expect(previous).toMatchObject({ status: 'line 49999' });
    expect(last).toMatchObject({ type: 'complete' });
  });

  it('keeps every event with logLimit: Infinity', async () => {
    const operation = new ProgressOperation(
      async (emit) => {
        for (let index = 0; index < 30_000; index += 1) emit(status(`line ${index}`));
        return undefined;
      },
      { logLimit: Infinity },
    );
    await operation;
    expect(operation.log).toHaveLength(30_001); // every line and the complete mark
    expect(operation.droppedLogEvents).toBe(0);
  });

  it('hands the executor its own log (a build keeps no second copy)', async () => {
    let seen: readonly ProgressEvent[] = [];
    const operation = new ProgressOperation(async (emit, progress) => {
      emit(status('a'));
      seen = progress.log;
      return progress.log;
    });
    const result = await operation;
    // The executor read the operation's own log; the only event after it is the complete mark.
    expect(operation.log.slice(0, -1)).toEqual(result);
    expect(result[0]).toBe(operation.log[0]);
    expect(seen.map((event) => event.type)).toEqual(['status']);
  });

  it('refuses a logLimit that is neither a positive integer nor Infinity', () => {
    for (const logLimit of [0, -1, 1.5, Number.NaN]) {
      expect(() => new ProgressOperation(async () => 1, { logLimit })).toThrow(/logLimit/);
    }
  });
});

function controlledWith<T>(options: { bufferLimit?: number; logLimit?: number }) {
  let emit!: (event: ProgressEvent) => void;
  let resolve!: (value: T) => void;
  const operation = new ProgressOperation<T>(
    (emitter) =>
      new Promise<T>((resolveResult) => {
        emit = emitter;
        resolve = resolveResult;
      }),
    options,
  );
  return { operation, emit: (event: ProgressEvent) => emit(event), resolve: (value: T) => resolve(value) };
}
