// Tar archives for the fault tests, produced as they are read (never held in memory whole).
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pack } from 'tar-stream';

/**
 * A root filesystem tar holding one file of `size` random bytes: imported, it makes an image
 * whose save is much larger than every buffer between the engine and the client (socket
 * buffers, the SSH channel window), so a save is still mid-stream when the engine dies.
 *
 * @example
 * ```ts
 * await drain(await importImage(client, { fromSrc: '-', repo: 'faults/big', tag: '1', body: randomRootfs(24 * 1024 * 1024) }));
 * ```
 */
export function randomRootfs(size: number): AsyncIterable<Uint8Array> {
  const archive = pack();
  const entry = archive.entry({ name: 'random.bin', size, mode: 0o644 }, (error) => {
    if (error) archive.destroy(error);
    else archive.finalize();
  });
  let written = 0;
  const writeMore = (): void => {
    while (written < size) {
      const length = Math.min(256 * 1024, size - written);
      written += length;
      if (!entry.write(randomBytes(length))) {
        entry.once('drain', writeMore);
        return;
      }
    }
    entry.end(() => undefined);
  };
  writeMore();
  return archive as unknown as AsyncIterable<Uint8Array>;
}

/**
 * The start of an image archive that never ends: a tar header announcing a large file, the
 * first `prefix` bytes of it, then nothing (until the stream is destroyed). A load of it is in
 * the middle of its upload for as long as the test wants.
 *
 * @example
 * ```ts
 * const loading = images.load(endlessArchive(1024 * 1024));
 * ```
 */
export function endlessArchive(prefix: number): Readable {
  const header = Buffer.alloc(512);
  header.write('layer.tar', 0, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${(1024 * 1024 * 1024).toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  header.fill(' ', 148, 156);
  let checksum = 0;
  for (const byte of header) checksum += byte;
  header.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148);
  let sent = false;
  return new Readable({
    read() {
      if (sent) return; // never ends: the upload stays in flight
      sent = true;
      this.push(Buffer.concat([header, Buffer.alloc(prefix, 0x42)]));
    },
  });
}
