// A build context as a tar archive, made in the browser from the files of an uploaded folder.
// The archive is a Blob of the file Blobs themselves plus headers: nothing is read into memory.

/** One file of the context: its path inside the context and its content. */
export interface ContextFile {
  readonly path: string;
  readonly content: Blob;
}

const block = 512;
const encoder = new TextEncoder();

function writeText(header: Uint8Array, offset: number, length: number, text: string): void {
  const bytes = encoder.encode(text);
  if (bytes.length > length) throw new Error(`"${text}" does not fit in a tar header field of ${length} bytes.`);
  header.set(bytes, offset);
}

function writeOctal(header: Uint8Array, offset: number, length: number, value: number): void {
  writeText(header, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

/** Splits a path into ustar's `prefix` (≤155 bytes) and `name` (≤100 bytes) at a slash. */
function splitPath(path: string): { prefix: string; name: string } {
  if (encoder.encode(path).length <= 100) return { prefix: '', name: path };
  for (let index = path.indexOf('/'); index !== -1; index = path.indexOf('/', index + 1)) {
    const prefix = path.slice(0, index);
    const name = path.slice(index + 1);
    if (encoder.encode(prefix).length <= 155 && encoder.encode(name).length <= 100) return { prefix, name };
  }
  throw new Error(`The path "${path}" is too long for a tar archive.`);
}

function header(path: string, size: number, modified: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(block);
  const { prefix, name } = splitPath(path);
  writeText(bytes, 0, 100, name);
  writeOctal(bytes, 100, 8, 0o644);
  writeOctal(bytes, 108, 8, 0);
  writeOctal(bytes, 116, 8, 0);
  writeOctal(bytes, 124, 12, size);
  writeOctal(bytes, 136, 12, Math.floor(modified / 1000));
  bytes.fill(0x20, 148, 156); // the checksum counts its own field as spaces
  bytes[156] = 0x30; // '0': a regular file
  writeText(bytes, 257, 6, 'ustar\0');
  writeText(bytes, 263, 2, '00');
  writeText(bytes, 345, 155, prefix);
  const checksum = bytes.reduce((sum, byte) => sum + byte, 0);
  writeText(bytes, 148, 8, `${checksum.toString(8).padStart(6, '0')}\0 `);
  return bytes;
}

/**
 * A ustar archive of the files (regular files, mode 644), ending with the two empty blocks.
 * Throws for paths that are absolute, climb out (`..`) or are too long for ustar.
 */
export function tarOf(files: readonly ContextFile[], modified = Date.now()): Blob {
  const parts: BlobPart[] = [];
  for (const file of files) {
    if (file.path.startsWith('/') || file.path.split('/').includes('..') || file.path === '') throw new Error(`Refusing the path "${file.path}" in a build context.`);
    parts.push(header(file.path, file.content.size, modified), file.content);
    const padding = (block - (file.content.size % block)) % block;
    if (padding > 0) parts.push(new Uint8Array(padding));
  }
  parts.push(new Uint8Array(block * 2));
  return new Blob(parts, { type: 'application/x-tar' });
}

/** The files of a folder picked with `<input type=file webkitdirectory>`, paths relative to the folder. */
export function folderFiles(files: Iterable<File>): ContextFile[] {
  return [...files].map((file) => ({ path: file.webkitRelativePath.split('/').slice(1).join('/') || file.name, content: file }));
}
