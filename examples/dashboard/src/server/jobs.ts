import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  BuildStepAggregator,
  buildStepElapsedMs,
  LayerProgressAggregator,
  type Image,
  type ProgressEvent,
  type ProgressOperation,
} from '@berth/images';
import { AbortedError } from '@berth/engine-protocol';

/** What the page shows of a running or finished pull or build; sent whole on every update. */
export interface JobSnapshot {
  readonly id: string;
  readonly kind: 'pull' | 'build';
  readonly title: string;
  readonly state: 'running' | 'done' | 'failed' | 'canceled';
  /** Status lines (`Pulling from …`, `Digest: …`), the last 100. */
  readonly lines: readonly string[];
  readonly layers: readonly { id: string; status: string; state: string; current?: number; total?: number; finished: boolean }[];
  readonly totals: { readonly layerCount: number; readonly finishedLayers: number; readonly fraction: number | null };
  readonly builder: 'buildkit' | 'classic' | null;
  readonly steps: readonly { number: number; name: string; state: string; cached: boolean; seconds: number; logs: readonly string[]; error: string | null }[];
  readonly image: { readonly id: string; readonly tags: readonly string[] } | null;
  readonly error: string | null;
}

const updateIntervalMs = 100;
const keptLines = 100;
const logLinesPerStep = 8;
const finishedJobLifetimeMs = 10 * 60_000;

/**
 * One pull or build: folds its progress events (layers through `LayerProgressAggregator`, build
 * steps through `BuildStepAggregator`) into a snapshot, and streams snapshots to the page as
 * server-sent events, at most every 100 ms.
 */
export class Job {
  readonly id = randomUUID();
  readonly #kind: 'pull' | 'build';
  readonly #title: string;
  readonly #controller: AbortController;
  readonly #layers = new LayerProgressAggregator();
  readonly #steps = new BuildStepAggregator({ maxLogLines: logLinesPerStep });
  readonly #lines: string[] = [];
  readonly #subscribers = new Set<ServerResponse>();
  /** Subscribers whose last write was buffered: no snapshots until they drain. */
  readonly #behind = new Set<ServerResponse>();
  #state: JobSnapshot['state'] = 'running';
  #image: JobSnapshot['image'] = null;
  #error: string | null = null;
  #timer: NodeJS.Timeout | undefined;
  /** Resolves when the job ended (whatever the outcome). */
  readonly finished: Promise<void>;

  constructor(
    kind: 'pull' | 'build',
    title: string,
    controller: AbortController,
    operation: ProgressOperation<Image> | ProgressOperation<{ image: Image }>,
    describeError: (error: unknown) => string,
  ) {
    this.#kind = kind;
    this.#title = title;
    this.#controller = controller;
    // A step that prints nothing still shows its time going up.
    const ticker = setInterval(() => this.#publish(), 1_000).unref();
    this.finished = (async () => {
      try {
        for await (const event of operation) this.#update(event);
        const result = await operation;
        const image = 'image' in result ? result.image : result;
        this.#image = { id: image.id, tags: image.tags };
        this.#state = 'done';
      } catch (error) {
        this.#state = error instanceof AbortedError || controller.signal.aborted ? 'canceled' : 'failed';
        this.#error = this.#state === 'canceled' ? 'Canceled.' : describeError(error);
      }
      clearInterval(ticker);
      this.#steps.flush();
      this.#publish(true);
      for (const response of this.#subscribers) response.end();
      this.#subscribers.clear();
    })();
  }

  /** Streams this job's snapshots to `response` (server-sent events), starting with the current one. */
  subscribe(response: ServerResponse): void {
    response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    response.write(`retry: 2000\n\n`);
    response.write(this.#event());
    if (this.#state !== 'running') {
      response.end();
      return;
    }
    this.#subscribers.add(response);
    response.on('close', () => {
      this.#subscribers.delete(response);
      this.#behind.delete(response);
    });
  }

  /** Stops the pull or build (the engine cancels it when the connection closes). */
  cancel(): void {
    this.#controller.abort();
  }

  get running(): boolean {
    return this.#state === 'running';
  }

  snapshot(): JobSnapshot {
    const now = new Date();
    return {
      id: this.id,
      kind: this.#kind,
      title: this.#title,
      state: this.#state,
      lines: [...this.#lines],
      layers: this.#layers.layers().map((layer) => ({
        id: layer.layerId,
        status: layer.status,
        state: layer.state,
        ...(layer.current === undefined ? {} : { current: layer.current }),
        ...(layer.total === undefined ? {} : { total: layer.total }),
        finished: layer.finished,
      })),
      totals: (() => {
        const totals = this.#layers.totals();
        return { layerCount: totals.layerCount, finishedLayers: totals.finishedLayers, fraction: totals.fraction ?? null };
      })(),
      builder: this.#steps.builder ?? null,
      steps: this.#steps.steps().map((step) => ({
        number: step.number,
        name: step.name,
        state: this.#state !== 'running' && step.state === 'running' ? 'canceled' : step.state,
        cached: step.cached,
        seconds: Math.round(buildStepElapsedMs(step, now) / 100) / 10,
        logs: step.logs.map((line) => line.text),
        error: step.error ?? null,
      })),
      image: this.#image,
      error: this.#error,
    };
  }

  #update(event: ProgressEvent): void {
    if (this.#kind === 'build') this.#steps.update(event);
    if (this.#layers.update(event) === undefined) {
      const line =
        event.type === 'status' ? (event.id === undefined ? event.status : `${event.id}: ${event.status}`)
        : event.type === 'digest' && typeof event.raw.status === 'string' ? event.raw.status
        : event.type === 'warning' ? event.text.trim()
        : undefined;
      if (line !== undefined && !(this.#kind === 'build' && event.type === 'status')) {
        this.#lines.push(line);
        if (this.#lines.length > keptLines) this.#lines.shift();
      }
    }
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.#publish();
    }, updateIntervalMs);
  }

  /** Sends the current snapshot; `final`: to every subscriber, even one that is behind. */
  #publish(final = false): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const message = this.#event();
    for (const response of this.#subscribers) {
      if (final) response.write(message);
      else this.#send(response, message);
    }
  }

  /**
   * A page that does not keep up (a background tab, a slow link) gets no snapshots while its
   * buffer is full, then the newest one once it drains: each snapshot is whole, so only
   * intermediate frames are lost, and the server never buffers more than one of them.
   */
  #send(response: ServerResponse, message: string): void {
    if (this.#behind.has(response)) return;
    if (response.write(message)) return;
    this.#behind.add(response);
    response.once('drain', () => {
      this.#behind.delete(response);
      if (this.#subscribers.has(response)) this.#send(response, this.#event());
    });
  }

  #event(): string {
    return `event: snapshot\ndata: ${JSON.stringify(this.snapshot())}\n\n`;
  }
}

/** The jobs of this server; finished ones are forgotten after ten minutes. */
export class JobRegistry {
  readonly #jobs = new Map<string, Job>();

  add(job: Job): Job {
    this.#jobs.set(job.id, job);
    void job.finished.then(() => setTimeout(() => this.#jobs.delete(job.id), finishedJobLifetimeMs).unref());
    return job;
  }

  get(id: string): Job | undefined {
    return this.#jobs.get(id);
  }

  /** Cancels every running job and waits for them to end. */
  async cancelAll(): Promise<void> {
    const running = [...this.#jobs.values()].filter((job) => job.running);
    for (const job of running) job.cancel();
    await Promise.all(running.map((job) => job.finished));
  }
}
