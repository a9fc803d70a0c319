import { Transform } from 'node:stream';

/**
 * A pass-through stream that reports the bytes that went through it so far: put it in a
 * `pipeline` to show a save's or an upload's progress with {@link ProgressRenderer.transfer}.
 * It keeps the stream a stream (backpressure and all); nothing is buffered.
 *
 * @example
 * ```ts
 * import { pipeline } from 'node:stream/promises';
 *
 * const renderer = createProgressRenderer({ kind: 'save', transferLabel: 'Saving app:v1' });
 * await pipeline(await image.save(), countBytes((bytes) => renderer.transfer(bytes)), createWriteStream('app.tar'));
 * renderer.finish();
 * ```
 */
export function countBytes(onBytes: (totalBytes: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      onBytes(total);
      callback(null, chunk);
    },
  });
}
