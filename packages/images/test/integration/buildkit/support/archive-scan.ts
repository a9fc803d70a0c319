// Looks for bytes anywhere in an image archive (`save`): in every entry, and inside every layer,
// whether the layer is stored plain (graphdriver store) or compressed (containerd store).
import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';

const gzipMagic = Buffer.from([0x1f, 0x8b]);

/** The archive entries (and nested layer entries) whose bytes contain `needle`. */
export async function entriesContaining(archive: AsyncIterable<Uint8Array>, needle: Buffer): Promise<{ found: string[]; scannedBytes: number }> {
  const found: string[] = [];
  let scannedBytes = 0;
  const scan = async (source: AsyncIterable<Uint8Array>, prefix: string): Promise<void> => {
    const extract = tar.extract();
    const done = (async () => {
      for await (const entry of extract) {
        const parts: Buffer[] = [];
        for await (const chunk of entry) parts.push(chunk as Buffer);
        let bytes = Buffer.concat(parts);
        if (bytes.subarray(0, 2).equals(gzipMagic)) bytes = gunzipSync(bytes);
        scannedBytes += bytes.length;
        const name = `${prefix}${entry.header.name}`;
        if (bytes.includes(needle)) found.push(name);
      }
    })();
    for await (const chunk of source) {
      if (!extract.write(chunk)) await new Promise<void>((resolve) => extract.once('drain', () => resolve()));
    }
    extract.end();
    await done;
  };
  await scan(archive, '');
  return { found, scannedBytes };
}
