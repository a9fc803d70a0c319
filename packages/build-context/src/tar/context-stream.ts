// The Node Readable handed to callers: pulls chunks from an ArchiveProducer only when the
// consumer wants more (optionally through gzip), and on destroy stops the producer and waits
// for it to close its file before emitting 'close'.
import { Readable } from 'node:stream';
import { createGzip, type Gzip } from 'node:zlib';
import { AbortedError } from '@berth/engine-protocol';
import type { ArchiveProducer } from './archive-producer.js';

/**
 * A tar (optionally gzip) byte stream made on demand, with backpressure from the consumer
 * down to the file reads.
 */
export class ContextStream extends Readable {
  readonly #producer: ArchiveProducer;
  readonly #controller = new AbortController();
  readonly #gzip: Gzip | undefined;
  /** The producer call in flight, if any. */
  #pending: Promise<unknown> | undefined;
  #gzipWired = false;
  #waitingForDrain = false;

  constructor(producer: ArchiveProducer, options: { readonly gzip: boolean }) {
    super();
    this.#producer = producer;
    this.#gzip = options.gzip ? createGzip() : undefined;
  }

  override _read(): void {
    const gzip = this.#gzip;
    if (gzip !== undefined) {
      this.#wireGzip(gzip);
      gzip.resume();
      if (this.#waitingForDrain) return;
    }
    this.#pump();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#controller.abort(error ?? new AbortedError('The build context stream was destroyed.'));
    this.#gzip?.destroy();
    // 'close' (and 'error') only after the producer has closed the file it was reading.
    const pending = this.#pending ?? Promise.resolve();
    pending
      .catch(() => undefined)
      .then(() => this.#producer.close())
      .then(
        () => callback(error),
        () => callback(error),
      );
  }

  #wireGzip(gzip: Gzip): void {
    if (this.#gzipWired) return;
    this.#gzipWired = true;
    gzip.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) gzip.pause();
    });
    gzip.on('drain', () => {
      this.#waitingForDrain = false;
      this.#pump();
    });
    gzip.on('end', () => this.push(null));
    gzip.on('error', (error) => this.destroy(error));
  }

  /** Fetches chunks while the consumer (or gzip) takes them. */
  #pump(): void {
    if (this.#pending !== undefined || this.destroyed) return;
    const signal = this.#controller.signal;
    const step = this.#producer.next(signal).then(
      (chunk) => {
        this.#pending = undefined;
        if (this.destroyed) return;
        const gzip = this.#gzip;
        if (chunk === null) {
          if (gzip === undefined) this.push(null);
          else gzip.end();
          return;
        }
        if (gzip === undefined) {
          if (this.push(chunk)) this.#pump();
          return;
        }
        if (gzip.write(chunk)) this.#pump();
        else this.#waitingForDrain = true;
      },
      (error: unknown) => {
        this.#pending = undefined;
        this.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    );
    this.#pending = step;
  }
}
