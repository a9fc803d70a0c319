import { EventBuffer } from './event-buffer.js';
import { isByteCountUpdate } from './byte-count-update.js';
import type { ProgressEvent } from './progress-event.js';
import { resolveProgressLimits } from './progress-options.js';
import { RetainedLog } from './retained-log.js';

/**
 * Options of {@link ProgressOperation}.
 *
 * @example
 * ```ts
 * images.pull('localhost:5000/app', { bufferLimit: 1_000 });
 * ```
 */
export interface ProgressOperationOptions {
  /**
   * Bound on the events held for an iteration that lags behind, and for replay to an iteration
   * that starts late. Above it, byte-count updates that a later event of the same layer
   * supersedes are dropped first; then the oldest ordinary events (status lines, output) beyond
   * the newest `bufferLimit`, and the oldest key events (errors, digests, image ids, warnings)
   * beyond the newest `bufferLimit`. Each such buffer holds at most about 4 × `bufferLimit`
   * events. Default: 10 000.
   */
  readonly bufferLimit?: number;
  /**
   * How many events {@link ProgressOperation.log} keeps: the newest `logLimit` ordinary events
   * and the newest `logLimit` key events (errors, digests, image ids, warnings), in order. Older
   * ones are dropped (counted in `droppedLogEvents`). `Infinity` keeps every event. Default:
   * 10 000. The bound counts events, not bytes: lower it for builds that print very long lines.
   */
  readonly logLimit?: number;
}

/**
 * What an executor can read of its own operation while it runs.
 *
 * @example
 * ```ts
 * const executor: ProgressExecutor<string | undefined> = async (emit, progress) => {
 *   emit(parseProgressEvent({ aux: { ID: 'sha256:…' } }));
 *   return builtImageIdOf(progress.log);
 * };
 * ```
 */
export interface ProgressExecutorContext {
  /** The operation's log so far (see {@link ProgressOperation.log}): no second copy is needed. */
  readonly log: readonly ProgressEvent[];
}

/**
 * The work behind a {@link ProgressOperation}: it runs at once, reports each event through
 * `emit`, and resolves to the result.
 *
 * @example
 * ```ts
 * const executor: ProgressExecutor<number> = async (emit) => {
 *   emit({ type: 'status', status: 'working', raw: { status: 'working' } });
 *   return 42;
 * };
 * ```
 */
export type ProgressExecutor<Result> = (emit: (event: ProgressEvent) => void, progress: ProgressExecutorContext) => Promise<Result>;

interface Subscriber {
  buffer: EventBuffer;
  waiters: (() => void)[];
  closed: boolean;
  errorDelivered: boolean;
}


/**
 * A long-running engine operation (pull, push, build, load) that is at the same time a promise
 * of its result and an async iterable of its {@link ProgressEvent}s.
 *
 * - It starts at once and runs to its end whether or not anyone listens: `await` it for the
 *   result. A failure anywhere (an error message in the stream, a dropped connection) rejects it.
 * - Iterate it (`for await`) for the events, as many times as you like, even after it finished:
 *   every iteration starts from the first event (from the oldest one still held once the stream
 *   outgrew {@link ProgressOperationOptions.bufferLimit}) and ends after the last one, which is
 *   a `complete` event on success; on failure it throws the same error as `await`.
 * - Leaving an iteration early (`break`) does not stop the operation; pass a `signal` to the
 *   method that started it to cancel it (the engine then cancels a pull, push or build).
 * - A failure never becomes an unhandled rejection: iterating without awaiting is fine.
 * - {@link ProgressOperation.log} holds the events except byte-count updates, up to
 *   {@link ProgressOperationOptions.logLimit}.
 * - Memory stays bounded whatever the length of the stream: the log, the replay history and
 *   each lagging iteration keep a bounded number of events (see
 *   {@link ProgressOperationOptions}); an event is one engine message, whose size the stream
 *   decoder caps.
 *
 * @example
 * ```ts
 * const pulling = images.pull('localhost:5000/app', { tag: 'v1' });
 * for await (const event of pulling) if (event.type === 'status') console.log(event.status);
 * const image = await pulling;
 * console.log(image.id, pulling.log.length);
 * ```
 */
export class ProgressOperation<Result> implements Promise<Result>, AsyncIterable<ProgressEvent> {
  /** The result as a plain promise. */
  readonly result: Promise<Result>;
  readonly #bufferLimit: number;
  readonly #log: RetainedLog;
  readonly #history: EventBuffer;
  readonly #subscribers = new Set<Subscriber>();
  #settled = false;
  #failed = false;
  #error: unknown;

  /**
   * Starts `executor` at once. Throws `InvalidArgumentError` (argument `bufferLimit` or
   * `logLimit`) when `options.bufferLimit` is not a positive integer, or `options.logLimit` is
   * neither a positive integer nor `Infinity`.
   *
   * @example
   * ```ts
   * const operation = new ProgressOperation(async (emit) => {
   *   emit({ type: 'output', text: 'step 1\n', raw: { stream: 'step 1\n' } });
   *   return 'done';
   * }, { bufferLimit: 100 });
   * for await (const event of operation) console.log(event.type); // 'output'
   * await operation; // 'done'
   * ```
   */
  constructor(executor: ProgressExecutor<Result>, options: ProgressOperationOptions = {}) {
    const { bufferLimit, logLimit } = resolveProgressLimits(options);
    this.#bufferLimit = bufferLimit;
    this.#history = new EventBuffer(bufferLimit);
    this.#log = new RetainedLog(logLimit);
    const emit = (event: ProgressEvent): void => this.#emit(event);
    const log = this.#log;
    const progress: ProgressExecutorContext = {
      get log() {
        return log.toArray();
      },
    };
    this.result = (async () => executor(emit, progress))().then(
      (value) => {
        // The one end mark every engine gets, whatever its stream's last words were.
        this.#emit({ type: 'complete', raw: {} });
        this.#finish(false, undefined);
        return value;
      },
      (error: unknown) => {
        this.#finish(true, error);
        throw error;
      },
    );
    // Whoever only iterates sees the failure there; it must not surface as unhandled.
    this.result.catch(() => undefined);
  }

  /**
   * The events so far except byte-count updates (`layer` events with `current`), in order: the
   * build output, status lines, layer state changes, digests, the error. Bounded by
   * {@link ProgressOperationOptions.logLimit}: the newest `logLimit` ordinary events and the
   * newest `logLimit` key events (errors, digests, image ids, warnings) are kept.
   *
   * @example
   * ```ts
   * const text = building.log.flatMap((event) => (event.type === 'output' ? [event.text] : [])).join('');
   * ```
   */
  get log(): readonly ProgressEvent[] {
    return this.#log.toArray();
  }

  /**
   * How many events the log no longer holds because of `logLimit` (0 when it holds them all).
   *
   * @example
   * ```ts
   * if (building.droppedLogEvents > 0) console.log(`(the first ${building.droppedLogEvents} events are not shown)`);
   * ```
   */
  get droppedLogEvents(): number {
    return this.#log.dropped;
  }

  /**
   * Whether the operation has finished (successfully or not).
   *
   * @example
   * ```ts
   * if (!pulling.settled) console.log('still pulling');
   * ```
   */
  get settled(): boolean {
    return this.#settled;
  }

  /**
   * Promise protocol: `await operation` gives the result.
   *
   * @example
   * ```ts
   * const image = await images.pull('localhost:5000/app');
   * ```
   */
  then<Fulfilled = Result, Rejected = never>(
    onFulfilled?: ((value: Result) => Fulfilled | PromiseLike<Fulfilled>) | null,
    // `any`, as in Promise's own signature, so that `(error: Error) => …` is accepted.
    onRejected?: ((reason: any) => Rejected | PromiseLike<Rejected>) | null,
  ): Promise<Fulfilled | Rejected> {
    return this.result.then(onFulfilled, onRejected);
  }

  /**
   * Like `Promise.prototype.catch`.
   *
   * @example
   * ```ts
   * const image = await images.pull('localhost:5000/app').catch((error: Error) => {
   *   console.error(error.message);
   *   return undefined;
   * });
   * ```
   */
  // `any`, as in Promise's own signature (see then()).
  catch<Rejected = never>(onRejected?: ((reason: any) => Rejected | PromiseLike<Rejected>) | null): Promise<Result | Rejected> {
    return this.result.catch(onRejected);
  }

  /**
   * Like `Promise.prototype.finally`.
   *
   * @example
   * ```ts
   * const timer = setInterval(() => process.stdout.write('.'), 1_000);
   * await images.push('localhost:5000/app').finally(() => clearInterval(timer));
   * ```
   */
  finally(onFinally?: (() => void) | null): Promise<Result> {
    return this.result.finally(onFinally);
  }

  /**
   * Iterates the events from the oldest one still held (the first one unless the stream
   * outgrew `bufferLimit`); throws the operation's error after the last event if it failed.
   *
   * @example
   * ```ts
   * for await (const event of images.load('./app.tar')) if (event.type === 'output') console.log(event.text.trim()); // 'Loaded image: app:v1'
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterator<ProgressEvent> {
    const subscriber: Subscriber = {
      buffer: new EventBuffer(this.#bufferLimit, this.#history.toArray()),
      waiters: [],
      closed: false,
      errorDelivered: false,
    };
    if (!this.#settled) this.#subscribers.add(subscriber);
    const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
    return {
      next: async (): Promise<IteratorResult<ProgressEvent>> => {
        while (!subscriber.closed) {
          const event = subscriber.buffer.shift();
          if (event !== undefined) return { done: false, value: event };
          if (this.#settled) {
            subscriber.closed = true;
            this.#subscribers.delete(subscriber);
            if (this.#failed && !subscriber.errorDelivered) {
              subscriber.errorDelivered = true;
              throw this.#error;
            }
            return done;
          }
          await new Promise<void>((resolve) => subscriber.waiters.push(resolve));
        }
        return done;
      },
      return: async (): Promise<IteratorResult<ProgressEvent>> => {
        subscriber.closed = true;
        this.#subscribers.delete(subscriber);
        subscriber.buffer = new EventBuffer(1);
        wake(subscriber);
        return done;
      },
    };
  }

  /** `ProgressOperation`, for `Object.prototype.toString`. */
  get [Symbol.toStringTag](): string {
    return 'ProgressOperation';
  }

  #emit(event: ProgressEvent): void {
    if (this.#settled) return;
    if (!isByteCountUpdate(event)) this.#log.push(event);
    this.#history.push(event);
    for (const subscriber of this.#subscribers) {
      subscriber.buffer.push(event);
      wake(subscriber);
    }
  }

  #finish(failed: boolean, error: unknown): void {
    this.#settled = true;
    this.#failed = failed;
    this.#error = error;
    for (const subscriber of this.#subscribers) wake(subscriber);
    this.#subscribers.clear();
  }
}

function wake(subscriber: Subscriber): void {
  const waiters = subscriber.waiters;
  subscriber.waiters = [];
  for (const resolve of waiters) resolve();
}
