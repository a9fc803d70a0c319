// Small tar helpers for tests (tar-stream).
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

/** A tar archive of the given files, in memory. */
export async function tarOf(files: Record<string, string>, options: { gzip?: boolean } = {}): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files)) pack.entry({ name, mode: 0o644 }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(Buffer.from(chunk as Uint8Array));
  const archive = Buffer.concat(chunks);
  return options.gzip ? gzipSync(archive) : archive;
}

/** Entry names and contents of a tar stream (contents only for files up to 1 MiB). */
export async function entriesOf(source: AsyncIterable<Uint8Array>): Promise<Map<string, Buffer | undefined>> {
  const extract = tar.extract();
  const entries = new Map<string, Buffer | undefined>();
  const done = (async () => {
    for await (const entry of extract) {
      const parts: Buffer[] = [];
      let size = 0;
      for await (const chunk of entry) {
        size += (chunk as Buffer).length;
        if (size <= 1024 * 1024) parts.push(chunk as Buffer);
      }
      entries.set(entry.header.name, size <= 1024 * 1024 ? Buffer.concat(parts) : undefined);
    }
  })();
  for await (const chunk of source) {
    if (!extract.write(chunk)) await new Promise<void>((resolve) => extract.once('drain', () => resolve()));
  }
  extract.end(() => undefined);
  await done;
  return entries;
}
