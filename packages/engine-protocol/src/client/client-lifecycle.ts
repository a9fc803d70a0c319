import { describeValue } from '../errors/describe-value.js';
import { ClientClosedError, InvalidArgumentError } from '../errors/index.js';
import { resolveTimeout } from './timeout.js';

/**
 * Options of `EngineClient.close()`.
 *
 * @example
 * ```ts
 * await client.close(); // ends every call in flight now (the default)
 * await client.close({ graceful: true, timeout: 10_000 }); // lets them finish, for 10 s at most
 * ```
 */
export interface CloseOptions {
  /**
   * `false` (default): every call in flight ends at once with `ClientClosedError`.
   * `true`: the client keeps serving until no call has been in flight for a moment (so an
   * operation's follow-up request, such as the inspect after a pull, still goes out), then
   * closes; calls still running at `timeout` end with `ClientClosedError`.
   */
  readonly graceful?: boolean | undefined;
  /**
   * Only with `graceful: true`: milliseconds to wait at most. `0` / `Infinity`: as long as calls
   * run. Default: 30 000. Refused (`InvalidArgumentError`) without `graceful: true`, where
   * nothing waits.
   */
  readonly timeout?: number | undefined;
}

/**
 * Something a closing client must end: a call in flight (its request, or the reply being read),
 * or a connection taken over by an HTTP upgrade.
 */
export interface ClosableResource {
  /** Ends it at once with `reason` (a `ClientClosedError`). Must not throw. */
  abort(reason: Error): void;
}

const defaultGracefulTimeout = 30_000;

/**
 * The open/closing/closed state of one client and everything in flight on it. `track` registers
 * a call or a connection the client holds outside a call (one switched by an HTTP upgrade);
 * `close` ends them (at once, or after a graceful drain), then closes the transport. Internal to
 * the client module.
 */
export class ClientLifecycle {
  readonly #description: string;
  readonly #resources = new Set<ClosableResource>();
  #idleWaiters: (() => void)[] = [];
  #state: 'open' | 'draining' | 'closed' = 'open';
  #closing: Promise<void> | undefined;
  #endNow: (() => void) | undefined;

  /** `description` names the engine in the error of calls refused after close. */
  constructor(description: string) {
    this.#description = description;
  }

  /** Whether `close()` has finished refusing calls (true from the start of an immediate close). */
  get closed(): boolean {
    return this.#state === 'closed';
  }

  /** The error a call refused after close gets. */
  closedError(requestLine: string): ClientClosedError {
    return new ClientClosedError(`The client is closed: ${requestLine} was not sent (${this.#description}).`);
  }

  /**
   * Registers a resource; returns the function that unregisters it (idempotent). Throws
   * `ClientClosedError` once the client is closed.
   */
  track(resource: ClosableResource, requestLine: string): () => void {
    if (this.#state === 'closed') throw this.closedError(requestLine);
    this.#resources.add(resource);
    let tracked = true;
    return () => {
      if (!tracked) return;
      tracked = false;
      this.#resources.delete(resource);
      if (this.#resources.size === 0) this.#wakeIdleWaiters();
    };
  }

  /**
   * Closes: refuses new calls, ends those in flight (after the graceful drain, if asked), then
   * runs `closeTransport`. Idempotent: later calls return the same promise, and an immediate
   * close during a graceful one ends the drain at once.
   */
  close(options: CloseOptions | undefined, closeTransport: () => Promise<void>): Promise<void> {
    let checked: { graceful: boolean; deadline: number | undefined };
    try {
      checked = checkCloseOptions(options);
    } catch (error) {
      return Promise.reject(error);
    }
    const { graceful, deadline } = checked;
    if (this.#closing !== undefined) {
      if (!graceful) this.#endNow?.();
      return this.#closing;
    }
    this.#state = graceful ? 'draining' : 'closed';
    this.#closing = (async () => {
      if (graceful) await this.#drain(deadline);
      this.#state = 'closed';
      const resources = [...this.#resources];
      this.#resources.clear();
      for (const resource of resources) {
        try {
          resource.abort(new ClientClosedError(`The client was closed while the call was in flight (${this.#description}).`));
        } catch {
          // A resource must not keep the others from being ended.
        }
      }
      this.#wakeIdleWaiters();
      await closeTransport();
    })();
    return this.#closing;
  }

  /** Waits until nothing has been in flight for one turn of the event loop, or the deadline. */
  async #drain(deadline: number | undefined): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const ended = new Promise<void>((resolve) => {
      this.#endNow = resolve;
      if (deadline !== undefined) timer = setTimeout(resolve, deadline);
    });
    let done = false;
    void ended.then(() => {
      done = true;
      this.#wakeIdleWaiters();
    });
    try {
      while (!done) {
        if (this.#resources.size > 0) {
          await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
          continue;
        }
        // A follow-up request (the inspect after a pull) starts within a few microtasks.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.#resources.size === 0) return;
      }
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      this.#endNow = undefined;
    }
  }

  #wakeIdleWaiters(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }
}

function checkCloseOptions(options: CloseOptions | undefined): { graceful: boolean; deadline: number | undefined } {
  if (options === undefined) return { graceful: false, deadline: undefined };
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(`close() options must be an object such as { graceful: true }, got ${describeValue(options)}.`, {
      argument: 'options',
    });
  }
  const graceful = options.graceful ?? false;
  if (typeof graceful !== 'boolean') {
    throw new InvalidArgumentError(`graceful must be a boolean, got ${describeValue(graceful)}.`, { argument: 'graceful' });
  }
  if (!graceful) {
    // An immediate close waits for nothing: a timeout here is a mistake (graceful forgotten).
    if (options.timeout !== undefined) {
      throw new InvalidArgumentError('close() takes a timeout only with graceful: true; without it, every call in flight ends at once.', {
        argument: 'timeout',
      });
    }
    return { graceful, deadline: undefined };
  }
  const deadline = resolveTimeout(options.timeout ?? defaultGracefulTimeout, 'timeout');
  return { graceful, deadline };
}
