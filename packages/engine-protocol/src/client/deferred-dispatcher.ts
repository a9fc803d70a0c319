import type { EventEmitter } from 'node:events';
import type { Agent, buildConnector, Dispatcher } from 'undici';
// undici's base class alone (an EventEmitter with `compose`): two small files, where the
// package entry loads all of undici (fetch, WebSocket, caches, mocks) at import time.
import UndiciDispatcher from 'undici/lib/dispatcher/dispatcher.js';
import { TransportError } from '../errors/index.js';
import { errorCode } from './map-transport-error.js';

/**
 * The parts of undici a transport builds its dispatcher from, handed to the `build` callback of
 * {@link deferredDispatcher} once they are loaded.
 *
 * @example
 * ```ts
 * const build = ({ Agent, buildConnector }: UndiciParts) =>
 *   new Agent({ connect: buildConnector({ socketPath: '/var/run/docker.sock' }) });
 * ```
 */
export interface UndiciParts {
  /** undici's `Agent`. */
  readonly Agent: typeof Agent;
  /** undici's `buildConnector`. */
  readonly buildConnector: typeof buildConnector;
}

/**
 * What {@link deferredDispatcher} returns: an undici `Dispatcher` (a real subclass of undici's
 * base class) that builds its Agent on first use, with the Agent's `closed` and `destroyed`.
 *
 * @example
 * ```ts
 * const dispatcher: DeferredDispatcher = deferredDispatcher(({ Agent }) => new Agent(), { description: 'unix:///var/run/docker.sock' });
 * if (!dispatcher.closed) await dispatcher.close();
 * ```
 */
export type DeferredDispatcher = Dispatcher & {
  /** `true` once `close()` or `destroy()` was called. */
  readonly closed: boolean;
  /** `true` once `destroy()` was called, or a close has finished. */
  readonly destroyed: boolean;
};

/** Options of {@link deferredDispatcher}. */
export interface DeferredDispatcherOptions {
  /** Where the transport goes (`unix:///var/run/docker.sock`), for the error when undici cannot be loaded. */
  readonly description: string;
}

/**
 * A dispatcher for a transport that loads undici, and builds the real dispatcher with `build`,
 * on the first request instead of at import: importing a client and a transport then costs
 * no HTTP stack until a call needs one (undici's package entry is most of a cold import).
 * Only the undici modules a request uses are loaded (the Agent and its connection pool, the
 * connector, `request`). If they cannot be loaded, or `build` throws, the request fails with
 * a `TransportError` naming the transport, and the next request tries again.
 *
 * `request`, `dispatch`, `compose`, `close`, `destroy` and the Agent's events (`connect`,
 * `disconnect`, `connectionError`, `drain`) work from the start; a dispatch made while undici
 * loads waits for it. `close()` or `destroy()` before any request loads nothing. undici's
 * `stream`, `pipeline`, `connect` and `upgrade` are there once the application imports
 * `undici` itself (its entry installs them on every dispatcher), as with any dispatcher.
 *
 * @example
 * ```ts
 * import { createEngineClient, ping } from '@berth/engine-protocol';
 * import { deferredDispatcher } from '@berth/engine-protocol/internal';
 *
 * const socketPath = '/run/user/1000/docker.sock';
 * const dispatcher = deferredDispatcher(
 *   ({ Agent, buildConnector }) => new Agent({ connect: buildConnector({ socketPath }), pipelining: 1 }),
 *   { description: `unix://${socketPath}` },
 * );
 * const client = createEngineClient({
 *   transport: { type: 'custom', description: `unix://${socketPath}`, origin: 'http://localhost', dispatcher, close: () => dispatcher.close() },
 * });
 * console.log(await ping(client)); // undici is loaded here, not at import
 * await client.close();
 * ```
 */
export function deferredDispatcher(build: (undici: UndiciParts) => Dispatcher, options: DeferredDispatcherOptions): DeferredDispatcher {
  return createDeferredDispatcher(build, options, loadUndiciParts);
}

/** The undici parts with `request`, which the package entry would have put on the prototype. */
export interface LoadedUndici extends UndiciParts {
  readonly request: RequestFunction;
}

/** undici's `request`: a promise without a callback, else `undefined`. */
type RequestFunction = (
  this: Dispatcher,
  options: Dispatcher.RequestOptions,
  callback?: (error: Error | null, data: Dispatcher.ResponseData) => void,
) => Promise<Dispatcher.ResponseData> | undefined;

let loadedUndici: LoadedUndici | undefined;
let loadingUndici: Promise<LoadedUndici> | undefined;

/**
 * Loads the undici modules a request needs, once per process (a failed load is retried).
 *
 * @example
 * ```ts
 * const { Agent } = await loadUndiciParts();
 * ```
 */
export function loadUndiciParts(): Promise<LoadedUndici> {
  if (loadedUndici !== undefined) return Promise.resolve(loadedUndici);
  loadingUndici ??= Promise.all([
    import('undici/lib/dispatcher/agent.js'),
    import('undici/lib/core/connect.js'),
    import('undici/lib/api/api-request.js'),
  ]).then(
    ([agent, connect, request]) => {
      loadedUndici = { Agent: agent.default, buildConnector: connect.default, request: request.default as RequestFunction };
      return loadedUndici;
    },
    (error: unknown) => {
      loadingUndici = undefined;
      throw error;
    },
  );
  return loadingUndici;
}

/**
 * {@link deferredDispatcher} with the loader as a parameter (tests pass one that fails).
 *
 * @example
 * ```ts
 * const failing = createDeferredDispatcher(({ Agent }) => new Agent(), { description: 'test' }, () => Promise.reject(new Error('gone')));
 * await failing.request({ origin: 'http://localhost', path: '/_ping', method: 'GET' }).catch((error: Error) => console.log(error.message));
 * ```
 */
export function createDeferredDispatcher(
  build: (undici: UndiciParts) => Dispatcher,
  options: DeferredDispatcherOptions,
  load: () => Promise<LoadedUndici>,
): DeferredDispatcher {
  return new DeferredUndiciDispatcher(build, options.description, load) as unknown as DeferredDispatcher;
}

const forwardedEvents = ['connect', 'disconnect', 'connectionError', 'drain'] as const;

/** State kept under a symbol: `compose()` returns a Proxy, and private fields do not pass one. */
const kState = Symbol('berth.deferredDispatcher');

interface DeferredState {
  /** The dispatcher itself (methods may run with a composed Proxy of it as `this`). */
  readonly owner: DeferredUndiciDispatcher;
  readonly build: (undici: UndiciParts) => Dispatcher;
  readonly description: string;
  readonly load: () => Promise<LoadedUndici>;
  undici: LoadedUndici | undefined;
  target: Dispatcher | undefined;
  starting: Promise<Dispatcher> | undefined;
  /** close() or destroy() called before the target existed: applied when it is built. */
  ended: 'close' | 'destroy' | undefined;
  closed: boolean;
  destroyed: boolean;
}

type Callback = (error: Error | null, data: unknown) => void;

class DeferredUndiciDispatcher extends UndiciDispatcher {
  readonly [kState]: DeferredState;

  constructor(build: (undici: UndiciParts) => Dispatcher, description: string, load: () => Promise<LoadedUndici>) {
    super();
    this[kState] = { owner: this, build, description, load, undici: undefined, target: undefined, starting: undefined, ended: undefined, closed: false, destroyed: false };
  }

  get closed(): boolean {
    return this[kState].closed;
  }

  get destroyed(): boolean {
    const state = this[kState];
    return state.destroyed || (state.target as { destroyed?: boolean } | undefined)?.destroyed === true;
  }

  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const state = this[kState];
    if (state.target !== undefined) return state.target.dispatch(options, handler);
    start(this).then(
      (target) => target.dispatch(options, handler),
      (error: unknown) => failHandler(handler, error as Error),
    );
    return true;
  }

  request(options: Dispatcher.RequestOptions, callback?: Callback): Promise<Dispatcher.ResponseData> | undefined {
    // `this` is the dispatcher or a composed Proxy of it: `request` dispatches through `this`,
    // so the interceptors of a composed dispatcher apply.
    const self = this as unknown as Dispatcher;
    const undici = this[kState].undici;
    if (undici !== undefined && this[kState].target !== undefined) {
      return undici.request.call(self, options, callback);
    }
    const started = start(this).then(() => (this[kState].undici as LoadedUndici).request.call(self, options) as Promise<Dispatcher.ResponseData>);
    if (callback === undefined) return started;
    started.then(
      (data) => callback(null, data),
      (error: unknown) => callback(error as Error, { opaque: options.opaque }),
    );
    return undefined;
  }

  close(callback?: Callback): Promise<void> | undefined {
    const state = this[kState];
    state.closed = true;
    return end(state, 'close', (target) => target.close(), callback);
  }

  destroy(error?: Error | null | Callback, callback?: Callback): Promise<void> | undefined {
    const state = this[kState];
    const reason = typeof error === 'function' ? null : (error ?? null);
    const done = typeof error === 'function' ? error : callback;
    state.closed = true;
    state.destroyed = true;
    return end(state, 'destroy', (target) => target.destroy(reason), done);
  }
}

/** Loads undici and builds the target once; a failure is a TransportError, retried next time. */
function start(dispatcher: DeferredUndiciDispatcher): Promise<Dispatcher> {
  const state = dispatcher[kState];
  const owner = state.owner;
  if (state.target !== undefined) return Promise.resolve(state.target);
  state.starting ??= state
    .load()
    .then(
      (undici) => {
        const target = state.build(undici);
        for (const event of forwardedEvents) (target as unknown as EventEmitter).on(event, (...args: unknown[]) => owner.emit(event, ...args));
        // Ended before the first request: the target refuses it the way undici does.
        if (state.ended === 'destroy') void target.destroy().catch(() => {});
        else if (state.ended === 'close') void target.close().catch(() => {});
        state.undici = undici;
        state.target = target;
        return target;
      },
    )
    .catch((error: unknown) => {
      state.starting = undefined;
      throw new TransportError(`Cannot set up the HTTP client (undici) for ${state.description}.`, {
        cause: error,
        causeCode: errorCode(error),
        details: error instanceof Error ? error.message : String(error),
      });
    });
  return state.starting;
}

/** close()/destroy(): on the target when there is one (or is being built), else nothing to do. */
function end(state: DeferredState, kind: 'close' | 'destroy', onTarget: (target: Dispatcher) => Promise<void>, callback?: Callback): Promise<void> | undefined {
  let ended: Promise<void>;
  if (state.target !== undefined) ended = onTarget(state.target);
  else if (state.starting !== undefined) ended = state.starting.then(onTarget, () => undefined);
  else {
    if (state.ended !== 'destroy') state.ended = kind;
    ended = Promise.resolve();
  }
  if (callback === undefined) return ended;
  ended.then(
    () => callback(null, null),
    (error: unknown) => callback(error as Error, null),
  );
  return undefined;
}

/** Reports a failed start to a dispatch handler, through whichever of undici's handler APIs it has. */
function failHandler(handler: Dispatcher.DispatchHandler, error: Error): void {
  // undici's own test: a handler with onRequestStart speaks the new API, others the old one.
  if (typeof handler.onRequestStart === 'function' && typeof handler.onResponseError === 'function') {
    handler.onResponseError(abortedController(error), error);
  } else if (typeof handler.onError === 'function') {
    handler.onError(error);
  } else {
    queueMicrotask(() => {
      throw error;
    });
  }
}

function abortedController(reason: Error): Dispatcher.DispatchController {
  return {
    aborted: true,
    paused: false,
    reason,
    abort() {},
    pause() {},
    resume() {},
  };
}
