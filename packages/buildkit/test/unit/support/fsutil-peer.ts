// The engine's side of DiffCopy in unit tests, after fsutil's receive.go and send.go: checks the
// listing order the way fsutil's Validator does, requests files, answers with FIN.
import { decodeFileSyncPacket, encodeFileSyncPacket, FileSyncPacketType, type FileStat } from '../../../src/messages/file-sync-packet.js';
import { entryKindOf } from '../../../src/filesync/go-file-mode.js';
import type { PeerCall } from './grpc-peer.js';

/** fsutil's ComparePath: byte order, with `/` before every other byte. */
function comparePath(left: string, right: string): number {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    if (a[index] === b[index]) continue;
    if (a[index] === 0x2f) return -1;
    if (b[index] === 0x2f) return 1;
    return (a[index] as number) - (b[index] as number);
  }
  return a.length - b.length;
}

/** fsutil's Validator: every path after the one before, its parent listed before it. */
export function checkListingOrder(paths: readonly string[]): void {
  const listedDirectories = new Set<string>(['']);
  let previous: string | undefined;
  for (const path of paths) {
    const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    if (!listedDirectories.has(parent)) throw new Error(`${path} listed before its parent directory`);
    if (previous !== undefined && comparePath(previous, path) >= 0) throw new Error(`changes out of order: ${previous} then ${path}`);
    listedDirectories.add(path);
    previous = path;
  }
}

/** What the engine got from one DiffCopy. */
export interface ReceivedTransfer {
  readonly stats: FileStat[];
  readonly files: Map<string, Buffer>;
}

/** Plays fsutil's receiver: lists, requests the files `want` selects, finishes. */
export async function receiveAsEngine(call: PeerCall, want: (stat: FileStat) => boolean = () => true): Promise<ReceivedTransfer> {
  const stats: FileStat[] = [];
  const files = new Map<string, Buffer>();
  const pathOfId = new Map<number, string>();
  const chunks = new Map<number, Buffer[]>();
  let outstanding = 0;
  let listingDone = false;
  let id = 0;
  let senderError: string | undefined;
  const maybeFinish = (): void => {
    if (listingDone && outstanding === 0) call.send(encodeFileSyncPacket({ type: FileSyncPacketType.finish, id: 0 }));
  };
  for await (const message of call.replies()) {
    const packet = decodeFileSyncPacket(message);
    if (packet.type === FileSyncPacketType.stat) {
      if (packet.stat === undefined) {
        listingDone = true;
        checkListingOrder(stats.map((stat) => stat.path));
        maybeFinish();
        continue;
      }
      stats.push(packet.stat);
      const regular = entryKindOf(packet.stat.mode) === 'file' && packet.stat.linkname === '';
      if (regular && want(packet.stat)) {
        pathOfId.set(id, packet.stat.path);
        chunks.set(id, []);
        outstanding++;
        call.send(encodeFileSyncPacket({ type: FileSyncPacketType.request, id }));
      }
      id++;
    } else if (packet.type === FileSyncPacketType.data) {
      const parts = chunks.get(packet.id);
      if (parts === undefined) throw new Error(`data for unrequested id ${packet.id}`);
      if (packet.data !== undefined && packet.data.length > 0) parts.push(Buffer.from(packet.data));
      else {
        files.set(pathOfId.get(packet.id) as string, Buffer.concat(parts));
        outstanding--;
        maybeFinish();
      }
    } else if (packet.type === FileSyncPacketType.finish) {
      call.end();
    } else if (packet.type === FileSyncPacketType.error) {
      // Keep reading to the end, so the call's status arrives.
      senderError = Buffer.from(packet.data ?? []).toString();
      call.end();
    }
  }
  if (senderError !== undefined) throw new Error(`error from sender: ${senderError}`);
  return { stats, files };
}

/** Plays fsutil's sender (the engine exporting a `local` output): lists `entries`, serves requests. */
export async function sendAsEngine(call: PeerCall, entries: readonly { stat: FileStat; content?: Buffer }[]): Promise<void> {
  let receiverError: string | undefined;
  for (const entry of entries) call.send(encodeFileSyncPacket({ type: FileSyncPacketType.stat, id: 0, stat: entry.stat }));
  call.send(encodeFileSyncPacket({ type: FileSyncPacketType.stat, id: 0 }));
  for await (const message of call.replies()) {
    const packet = decodeFileSyncPacket(message);
    if (packet.type === FileSyncPacketType.request) {
      const content = entries[packet.id]?.content ?? Buffer.alloc(0);
      for (let offset = 0; offset < content.length; offset += 7) {
        call.send(encodeFileSyncPacket({ type: FileSyncPacketType.data, id: packet.id, data: content.subarray(offset, offset + 7) }));
      }
      call.send(encodeFileSyncPacket({ type: FileSyncPacketType.data, id: packet.id }));
    } else if (packet.type === FileSyncPacketType.finish) {
      call.send(encodeFileSyncPacket({ type: FileSyncPacketType.finish, id: 0 }));
      call.end();
    } else if (packet.type === FileSyncPacketType.error) {
      // Keep reading to the end, so the call's status arrives.
      receiverError = Buffer.from(packet.data ?? []).toString();
      call.end();
    }
  }
  if (receiverError !== undefined) throw new Error(`error from receiver: ${receiverError}`);
}
