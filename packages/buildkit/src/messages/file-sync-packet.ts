// fsutil.types.Packet and fsutil.types.Stat (tonistiigi/fsutil types/wire.proto, stat.proto): the
// messages of FileSync.DiffCopy and of FileSend.DiffCopy for `local` outputs.
import { decodeText, readMapEntry, readProtobufFields, toInt64, toUint32 } from '../protobuf/protobuf-reader.js';
import { ProtobufWriter } from '../protobuf/protobuf-writer.js';

/**
 * Packet types of the DiffCopy exchange: the sender lists entries (`stat`, an empty one ends the
 * list), the receiver asks for file contents (`request`), the sender sends them (`data`, an empty
 * one ends a file), the receiver ends with `finish` and the sender answers it; `error` carries a
 * message either way.
 *
 * @example
 * ```ts
 * if (packet.type === FileSyncPacketType.request) console.log('the engine asks for entry', packet.id);
 * ```
 */
export const FileSyncPacketType = {
  stat: 0,
  request: 1,
  data: 2,
  finish: 3,
  error: 4,
} as const;

/**
 * One of {@link FileSyncPacketType}'s values.
 *
 * @example
 * ```ts
 * const type: FileSyncPacketTypeValue = FileSyncPacketType.data;
 * ```
 */
export type FileSyncPacketTypeValue = (typeof FileSyncPacketType)[keyof typeof FileSyncPacketType];

/**
 * One entry of a synced directory (`fsutil.types.Stat`). `mode` holds Go's `os.FileMode` bits
 * (directory `1 << 31`, symbolic link `1 << 27`, …, permissions in the low 9 bits), not the Unix
 * `st_mode`; `modTime` is in nanoseconds since the epoch; `linkname` is a symbolic link's target
 * or, for a regular file, the earlier path it is a hard link of.
 *
 * @example
 * ```ts
 * const stat: FileStat = { path: 'src/app.js', mode: 0o644, uid: 0, gid: 0, size: 120, modTime: 1_700_000_000_000_000_000n, linkname: '', devmajor: 0, devminor: 0 };
 * ```
 */
export interface FileStat {
  /** `/`-separated, relative to the synced directory. */
  readonly path: string;
  /** Go `os.FileMode` bits. */
  readonly mode: number;
  /** Owner's user id (0 as sent by Berth, as `docker build` resets it). */
  readonly uid: number;
  /** Owner's group id. */
  readonly gid: number;
  /** Bytes of a regular file (the target's length for a symbolic link, 0 for a hard link). */
  readonly size: number;
  /** Modification time, nanoseconds since the epoch. */
  readonly modTime: bigint;
  /** Symbolic link target, or the path this regular file is a hard link of. */
  readonly linkname: string;
  /** Major device number of a device node (0 otherwise). */
  readonly devmajor: number;
  /** Minor device number of a device node (0 otherwise). */
  readonly devminor: number;
  /** Extended attributes, when any. */
  readonly xattrs?: ReadonlyMap<string, Uint8Array>;
}

/**
 * A decoded `fsutil.types.Packet`.
 *
 * @example
 * ```ts
 * const packet: FileSyncPacket = { type: FileSyncPacketType.request, id: 12 };
 * ```
 */
export interface FileSyncPacket {
  readonly type: FileSyncPacketTypeValue;
  /** For `stat`: the entry; absent on the list's end marker. */
  readonly stat?: FileStat;
  /** For `request` and `data`: the entry's index in the `stat` sequence. */
  readonly id: number;
  /** For `data`: a piece of the file (empty: end of file); for `error`: the message. */
  readonly data?: Uint8Array;
}

/**
 * Encodes a `Stat`.
 *
 * @example
 * ```ts
 * const encoded = encodeFileStat(fileStat);
 * ```
 */
export function encodeFileStat(stat: FileStat): Uint8Array {
  return Uint8Array.from(writeFileStat(new ProtobufWriter(48 + stat.path.length * 3 + stat.linkname.length * 3), stat).finish());
}

function writeFileStat(writer: ProtobufWriter, stat: FileStat): ProtobufWriter {
  writer
    .string(1, stat.path)
    .uint32(2, stat.mode)
    .uint32(3, stat.uid)
    .uint32(4, stat.gid)
    .int64(5, stat.size)
    .int64(6, stat.modTime)
    .string(7, stat.linkname)
    .int64(8, stat.devmajor)
    .int64(9, stat.devminor);
  for (const [key, value] of stat.xattrs ?? []) writer.mapEntry(10, key, value);
  return writer;
}

// Scratch writers of encodeStatPacket: a listing encodes tens of thousands of packets.
const scratchStat = new ProtobufWriter(1024);
const scratchPacket = new ProtobufWriter(1024);

/**
 * Encodes a STAT packet into a shared scratch buffer: the result is a view valid until the next
 * call, for a caller that copies it at once (the gRPC server's send does).
 *
 * @example
 * ```ts
 * await call.send(encodeStatPacket(fileStat)); // copied before send returns
 * ```
 */
export function encodeStatPacket(stat: FileStat): Uint8Array {
  const encodedStat = writeFileStat(scratchStat.reset(), stat).finish();
  return scratchPacket.reset().message(2, encodedStat).finish();
}

/**
 * Decodes a `Stat`. Throws `RangeError` for malformed bytes.
 *
 * @example
 * ```ts
 * decodeFileStat(encodeFileStat(fileStat)).path === fileStat.path; // true
 * ```
 */
export function decodeFileStat(bytes: Uint8Array): FileStat {
  let path = '';
  let mode = 0;
  let uid = 0;
  let gid = 0;
  let size = 0;
  let modTime = 0n;
  let linkname = '';
  let devmajor = 0;
  let devminor = 0;
  let xattrs: Map<string, Uint8Array> | undefined;
  for (const field of readProtobufFields(bytes)) {
    if (field.wireType === 0) {
      switch (field.number) {
        case 2: mode = toUint32(field.value); break;
        case 3: uid = toUint32(field.value); break;
        case 4: gid = toUint32(field.value); break;
        case 5: size = Number(toInt64(field.value)); break;
        case 6: modTime = toInt64(field.value); break;
        case 8: devmajor = Number(toInt64(field.value)); break;
        case 9: devminor = Number(toInt64(field.value)); break;
      }
    } else if (field.wireType === 2) {
      if (field.number === 1) path = decodeText(field.value);
      else if (field.number === 7) linkname = decodeText(field.value);
      else if (field.number === 10) {
        const [key, value] = readMapEntry(field.value);
        (xattrs ??= new Map()).set(decodeText(key), Uint8Array.from(value));
      }
    }
  }
  return { path, mode, uid, gid, size, modTime, linkname, devmajor, devminor, ...(xattrs === undefined ? {} : { xattrs }) };
}

/**
 * Encodes a `Packet`.
 *
 * @example
 * ```ts
 * encodeFileSyncPacket({ type: FileSyncPacketType.data, id: 3, data: chunk });
 * encodeFileSyncPacket({ type: FileSyncPacketType.stat, id: 0 }); // the end of the listing
 * ```
 */
export function encodeFileSyncPacket(packet: FileSyncPacket): Uint8Array {
  const stat = packet.stat === undefined ? undefined : encodeFileStat(packet.stat);
  const writer = new ProtobufWriter(16 + (stat?.length ?? 0) + (packet.data?.length ?? 0)).uint32(1, packet.type);
  if (stat !== undefined) writer.message(2, stat);
  writer.uint32(3, packet.id);
  if (packet.data !== undefined) writer.bytes(4, packet.data);
  return writer.finish();
}

/**
 * Decodes a `Packet`. Throws `RangeError` for malformed bytes or an unknown packet type.
 *
 * @example
 * ```ts
 * const packet = decodeFileSyncPacket(message);
 * ```
 */
export function decodeFileSyncPacket(bytes: Uint8Array): FileSyncPacket {
  let type = 0;
  let stat: FileStat | undefined;
  let id = 0;
  let data: Uint8Array | undefined;
  for (const field of readProtobufFields(bytes)) {
    if (field.wireType === 0) {
      if (field.number === 1) type = toUint32(field.value);
      else if (field.number === 3) id = toUint32(field.value);
    } else if (field.wireType === 2) {
      if (field.number === 2) stat = decodeFileStat(field.value);
      else if (field.number === 4) data = field.value;
    }
  }
  if (type > FileSyncPacketType.error) throw new RangeError(`fsutil: unknown packet type ${type}`);
  return {
    type: type as FileSyncPacketTypeValue,
    id,
    ...(stat === undefined ? {} : { stat }),
    ...(data === undefined ? {} : { data }),
  };
}
