// Test helper: reads a tar (or gzip tar) into a list of comparable entries.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';

/** One archive entry with the fields a build context's consumer sees. */
export interface ListedEntry {
  name: string;
  type: string;
  /** Full mode field as written (tar-stream decodes all of it). */
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  linkname: string | null;
  /** sha256 of the content, hex. */
  sha256: string;
  /** The content, for small entries (≤ 64 KiB). */
  content?: Buffer;
}

/** Lists every entry of a tar given as bytes or as a stream (gunzipped first when `gzip`). */
export async function listTar(source: Buffer | Readable, options: { gzip?: boolean } = {}): Promise<ListedEntry[]> {
  const entries: ListedEntry[] = [];
  const extractor = extract();
  extractor.on('entry', (header, stream, next) => {
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      size += chunk.length;
      if (size <= 64 * 1024) chunks.push(chunk);
    });
    stream.on('end', () => {
      const entry: ListedEntry = {
        name: header.name,
        type: header.type,
        mode: header.mode,
        uid: header.uid,
        gid: header.gid,
        uname: header.uname,
        gname: header.gname,
        size: header.size,
        // A PAX `mtime` record (a time before 1970) wins over the header field, as for readers.
        mtime: header.pax?.['mtime'] === undefined ? header.mtime.getTime() / 1000 : Number(header.pax['mtime']),
        linkname: header.linkname ?? null,
        sha256: hash.digest('hex'),
      };
      if (size <= 64 * 1024) entry.content = Buffer.concat(chunks);
      entries.push(entry);
      next();
    });
    stream.on('error', next);
  });
  const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
  if (options.gzip) await pipeline(input, createGunzip(), extractor);
  else await pipeline(input, extractor);
  return entries;
}
