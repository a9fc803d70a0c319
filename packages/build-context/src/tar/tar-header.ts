// Encodes tar headers straight into an output buffer. The format is ustar (POSIX.1-1988):
// names up to 100 bytes, or up to 256 split at a `/` into the prefix field; a name that is not
// ASCII or does not fit, or a link target over 100 bytes, goes into a PAX extended header
// (`path=` / `linkpath=` records) in front of the entry, both records named `PaxHeader`; so
// does a time before 1970 (an `mtime=` record, the ustar field 0).
// Numbers are zero-padded octal followed by a space; a size over 11 octal digits (8 GiB and
// more) is written in base-256. This is the byte layout this package has always produced.

/** The entry types a build context holds. */
export type EntryType = 'file' | 'link' | 'symlink' | 'directory';

/** The fields of one entry's header. */
export interface EntryHeader {
  /** Path in the archive, `/`-separated; directories end with `/`. */
  readonly name: string;
  /** `st_mode`; only the permission bits (with setuid, setgid, sticky) are written. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly uname: string;
  readonly gname: string;
  /** Modification time, whole seconds since the epoch (negative before 1970: then a PAX record). */
  readonly mtime: number;
  readonly type: EntryType;
  /** Content bytes (0 for everything but regular files). */
  readonly size: number;
  /** Target of a symbolic or hard link. */
  readonly linkname?: string | undefined;
}

/** Bytes of a tar block. */
export const BLOCK = 512;

const typeFlags: Readonly<Record<EntryType | 'pax', number>> = {
  file: 0x30,
  link: 0x31,
  symlink: 0x32,
  directory: 0x35,
  pax: 0x78,
};
const PAX_NAME = 'PaxHeader';

/** Bytes after `size` that fill its last block. */
export function paddingOf(size: number): number {
  const rest = size % BLOCK;
  return rest === 0 ? 0 : BLOCK - rest;
}

/** The header as it will be written: plain, or with the PAX records it needs. */
export interface EncodedHeaderPlan {
  readonly header: EntryHeader;
  /** Where the name splits for the ustar prefix field, or undefined. */
  readonly name: string;
  readonly prefix: string;
  /** PAX records when the header does not fit ustar. */
  readonly pax: Buffer | undefined;
  /** Total bytes of the header blocks (512, or 1024 plus the padded PAX records). */
  readonly byteLength: number;
}

/**
 * Decides how a header is written and how many bytes it takes.
 *
 * @example
 * ```ts
 * planHeader({ name: 'a.txt', mode: 0o100644, uid: 0, gid: 0, uname: '', gname: '', mtime: 0, type: 'file', size: 3 }).byteLength; // 512
 * ```
 */
export function planHeader(header: EntryHeader): EncodedHeaderPlan {
  const split = splitName(header.name);
  const linkFits = header.linkname === undefined || header.linkname === '' || Buffer.byteLength(header.linkname) <= 100;
  if (split !== undefined && linkFits && header.mtime >= 0) return { header, name: split.name, prefix: split.prefix, pax: undefined, byteLength: BLOCK };
  const pax = paxRecords(header);
  return { header, name: PAX_NAME, prefix: '', pax, byteLength: 2 * BLOCK + pax.byteLength + paddingOf(pax.byteLength) };
}

/**
 * Writes the planned header blocks at `offset` of `target` (which must have `plan.byteLength`
 * bytes free there) and returns the offset after them.
 */
export function writeHeader(plan: EncodedHeaderPlan, target: Buffer, offset: number): number {
  const { header, pax } = plan;
  if (pax === undefined) {
    writeBlock(target, offset, plan.name, plan.prefix, header, header.type, header.size, header.linkname);
    return offset + BLOCK;
  }
  const link = header.linkname === undefined || header.linkname === '' ? undefined : PAX_NAME;
  writeBlock(target, offset, PAX_NAME, '', header, 'pax', pax.byteLength, link);
  let position = offset + BLOCK;
  pax.copy(target, position);
  position += pax.byteLength;
  const padding = paddingOf(pax.byteLength);
  target.fill(0, position, position + padding);
  position += padding;
  writeBlock(target, position, PAX_NAME, '', header, header.type, header.size, link);
  return position + BLOCK;
}

function splitName(fullName: string): { name: string; prefix: string } | undefined {
  // Non-ASCII names always go to PAX (a UTF-8 ustar name is not portable).
  if (Buffer.byteLength(fullName) !== fullName.length) return undefined;
  let name = fullName;
  let prefix = '';
  while (name.length > 100) {
    const slash = name.indexOf('/');
    if (slash === -1) return undefined;
    prefix = prefix === '' ? name.slice(0, slash) : `${prefix}/${name.slice(0, slash)}`;
    name = name.slice(slash + 1);
  }
  if (prefix.length > 155) return undefined;
  return { name, prefix };
}

function paxRecords(header: EntryHeader): Buffer {
  let records = paxRecord('path', header.name);
  if (header.linkname !== undefined && header.linkname !== '') records += paxRecord('linkpath', header.linkname);
  // The ustar field holds no negative time: a file dated before 1970 keeps its time here (as
  // the Docker CLI's archiver does), and the field says 0.
  if (header.mtime < 0) records += paxRecord('mtime', String(header.mtime));
  return Buffer.from(records, 'utf8');
}

/** `<length> <key>=<value>\n`, where the length counts its own digits. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyLength = Buffer.byteLength(body);
  let digits = String(bodyLength).length;
  if (String(bodyLength + digits).length > digits) digits++;
  return `${bodyLength + digits}${body}`;
}

function writeBlock(
  target: Buffer,
  offset: number,
  name: string,
  prefix: string,
  header: EntryHeader,
  type: EntryType | 'pax',
  size: number,
  linkname: string | undefined,
): void {
  target.fill(0, offset, offset + BLOCK);
  target.write(name, offset, 100, 'utf8');
  writeOctal(target, offset + 100, header.mode & 0o7777, 6);
  writeOctal(target, offset + 108, header.uid, 6);
  writeOctal(target, offset + 116, header.gid, 6);
  if (size.toString(8).length > 11) writeBase256(target, offset + 124, size);
  else writeOctal(target, offset + 124, size, 11);
  writeOctal(target, offset + 136, Math.max(0, header.mtime), 11);
  target[offset + 156] = typeFlags[type];
  if (linkname !== undefined && linkname !== '') target.write(linkname, offset + 157, 100, 'utf8');
  target.write('ustar\u000000', offset + 257, 8, 'latin1');
  if (header.uname !== '') target.write(header.uname, offset + 265, 32, 'utf8');
  if (header.gname !== '') target.write(header.gname, offset + 297, 32, 'utf8');
  writeOctal(target, offset + 329, 0, 6);
  writeOctal(target, offset + 337, 0, 6);
  if (prefix !== '') target.write(prefix, offset + 345, 155, 'utf8');
  writeOctal(target, offset + 148, checksum(target, offset), 6);
}

/** `digits` octal digits, zero-padded, then a space; all sevens when the value does not fit. */
function writeOctal(target: Buffer, offset: number, value: number, digits: number): void {
  const text = value.toString(8);
  const field = text.length > digits ? '7'.repeat(digits) : text.padStart(digits, '0');
  target.write(`${field} `, offset, digits + 1, 'latin1');
}

function writeBase256(target: Buffer, offset: number, value: number): void {
  target[offset] = 0x80;
  let rest = value;
  for (let i = 11; i > 0; i--) {
    target[offset + i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
}

/** Sum of the header's bytes, its checksum field counted as spaces. */
function checksum(target: Buffer, offset: number): number {
  let sum = 8 * 0x20;
  for (let i = 0; i < 148; i++) sum += target[offset + i] as number;
  for (let i = 156; i < BLOCK; i++) sum += target[offset + i] as number;
  return sum;
}
