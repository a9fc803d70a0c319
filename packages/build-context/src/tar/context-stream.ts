// The Node Readable handed to callers. tar-stream's pack is a streamx stream, so this class
// bridges it (and the optional gzip stage) to a real `stream.Readable`, starts producing only
// when the consumer first reads, and on destroy stops the producer and waits for it to close
// its file handles before emitting 'close'.
import { Readable } from 'node:stream';
import { createGzip, type Gzip } from 'node:zlib';
import { pack as createPack, type Pack } from 'tar-stream';
import { AbortedError } from '@berth/engine-protocol';

/** Writes the archive's entries into `pack`; must stop (and close its files) once `signal` aborts. */
export type ArchiveProducer = (pack: Pack, signal: AbortSignal) => Promise<void>;

/**
 * A tar (optionally gzip) byte stream whose entries `produce` writes on demand, with
 * backpressure from the consumer down to the file reads.
 *
 * @example
 * ```ts
 * const stream = new ContextStream(async (pack) => {
 *   await new Promise((resolve, reject) => pack.entry({ name: 'Dockerfile' }, 'FROM scratch\n', (e) => (e ? reject(e) : resolve(undefined))));
 * }, { gzip: false });
 * stream.pipe(process.stdout);
 * ```
 */
export class ContextStream extends Readable {
  readonly #produce: ArchiveProducer;
  readonly #controller = new AbortController();
  readonly #pack: Pack = createPack();
  readonly #gzip: Gzip | undefined;
  #production: Promise<void> | undefined;

  constructor(produce: ArchiveProducer, options: { readonly gzip: boolean }) {
    super();
    this.#produce = produce;
    this.#gzip = options.gzip ? createGzip() : undefined;
  }

  override _read(): void {
    if (this.#production === undefined) {
      this.#start();
      return;
    }
    (this.#gzip ?? this.#pack).resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#controller.abort(error ?? new AbortedError('The build context stream was destroyed.'));
    this.#pack.destroy();
    this.#gzip?.destroy();
    const production = this.#production ?? Promise.resolve();
    // 'close' (and 'error') only after the producer has closed the file it was reading.
    production.then(
      () => callback(error),
      () => callback(error),
    );
  }

  #start(): void {
    const pack = this.#pack;
    const gzip = this.#gzip;
    if (gzip === undefined) {
      pack.on('data', (chunk: unknown) => {
        if (!this.push(chunk)) pack.pause();
      });
      pack.on('end', () => this.push(null));
    } else {
      pack.on('data', (chunk: unknown) => {
        if (!gzip.write(chunk as Buffer)) pack.pause();
      });
      gzip.on('drain', () => pack.resume());
      pack.on('end', () => gzip.end());
      gzip.on('data', (chunk: Buffer) => {
        if (!this.push(chunk)) gzip.pause();
      });
      gzip.on('end', () => this.push(null));
      gzip.on('error', (error) => this.destroy(error));
    }
    pack.on('error', (error: Error) => this.destroy(error));
    this.#production = this.#produce(pack, this.#controller.signal).then(
      () => pack.finalize(),
      (error: unknown) => {
        this.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }
}
