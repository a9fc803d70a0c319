// The sending side of fsutil's DiffCopy, as the client plays it for FileSync: list every entry
// (STAT packets, then an empty one), send the content of each file the engine requests (DATA
// packets, then an empty one), answer the engine's FIN with FIN. The engine requests only the
// files that differ from what it synced last time, so a rebuild moves about what changed.
import type { GrpcServerCall } from '../grpc/grpc-server.js';
import { GrpcStatus, GrpcStatusError } from '../grpc/grpc-status.js';
import { decodeFileSyncPacket, encodeFileSyncPacket, encodeStatPacket, FileSyncPacketType } from '../messages/file-sync-packet.js';
import type { DirectorySource } from './directory-source.js';
import { walkForSync, type SyncFilters } from './sync-walk.js';

/** Files sent at the same time (fsutil's sender uses four). */
const sendConcurrency = 4;

/**
 * What a DiffCopy sent, and what happened while it ran.
 *
 * @example
 * ```ts
 * const transfer: DiffCopyTransfer = { entriesListed: 22_000, filesSent: 1, bytesSent: 5_120 };
 * ```
 */
export interface DiffCopyTransfer {
  /** STAT packets sent (files, directories, links). */
  entriesListed: number;
  /** Files whose content the engine requested and got. */
  filesSent: number;
  /** Bytes of file content sent. */
  bytesSent: number;
}

/**
 * Observes a DiffCopy: called for each listed entry and each file sent.
 *
 * @example
 * ```ts
 * const observer: DiffCopyObserver = (event) => { if (event.type === 'sent') console.log(event.path, event.bytes); };
 * ```
 */
export type DiffCopyObserver = (event: { readonly type: 'listed' | 'sent'; readonly path: string; readonly bytes: number }) => void;

/**
 * Plays the sender of one DiffCopy call: lists `source` through `filters`, serves requested
 * files, and resolves once the engine finished (its FIN answered). Rejects when the engine sends
 * an error packet or ends the call early, when the walk or a read fails (after telling the engine
 * with an error packet), or when the call is cancelled.
 *
 * @example
 * ```ts
 * const transfer = { entriesListed: 0, filesSent: 0, bytesSent: 0 };
 * await sendDiffCopy(call, await localDirectory('./app'), filters, transfer);
 * ```
 */
export async function sendDiffCopy(
  call: GrpcServerCall,
  source: DirectorySource,
  filters: SyncFilters,
  transfer: DiffCopyTransfer,
  observer?: DiffCopyObserver,
): Promise<void> {
  const controller = new AbortController();
  const signal = AbortSignal.any([call.signal, controller.signal]);
  const files = new Map<number, { path: string; size: number }>();
  const queue: { id: number; path: string; size: number }[] = [];
  let waiting: (() => void)[] = [];
  const wakeSenders = (all: boolean): void => {
    if (all) {
      const woken = waiting;
      waiting = [];
      for (const wake of woken) wake();
    } else {
      waiting.shift()?.();
    }
  };
  let listingDone = false;
  let finished = false;
  let failure: unknown;

  const fail = (error: unknown): void => {
    failure ??= error;
    controller.abort(error);
    wakeSenders(true);
  };

  const list = async (): Promise<void> => {
    let id = 0;
    try {
      for await (const entry of walkForSync(source, filters, signal)) {
        if (entry.requestable) files.set(id, { path: entry.stat.path, size: entry.stat.size });
        id++;
        transfer.entriesListed++;
        observer?.({ type: 'listed', path: entry.stat.path, bytes: 0 });
        await call.send(encodeStatPacket(entry.stat));
      }
      await call.send(encodeFileSyncPacket({ type: FileSyncPacketType.stat, id: 0 }));
      listingDone = true;
    } catch (error) {
      if (!signal.aborted) {
        // Tell the engine why, as fsutil does; it fails the build with this message.
        await call.send(encodeFileSyncPacket({ type: FileSyncPacketType.error, id: 0, data: Buffer.from(messageOf(error)) })).catch(() => undefined);
      }
      throw error;
    }
  };

  const sendFiles = async (): Promise<void> => {
    while (!signal.aborted && !finished) {
      const next = queue.shift();
      if (next === undefined) {
        await new Promise<void>((resolve) => waiting.push(resolve));
        continue;
      }
      let bytes = 0;
      for await (const chunk of source.read(next.path, signal, next.size)) {
        bytes += chunk.length;
        await call.send(encodeFileSyncPacket({ type: FileSyncPacketType.data, id: next.id, data: chunk }));
      }
      await call.send(encodeFileSyncPacket({ type: FileSyncPacketType.data, id: next.id }));
      transfer.filesSent++;
      transfer.bytesSent += bytes;
      observer?.({ type: 'sent', path: next.path, bytes });
    }
  };

  const receive = async (): Promise<void> => {
    for await (const message of call.messages()) {
      const packet = decodeFileSyncPacket(message);
      if (packet.type === FileSyncPacketType.request) {
        const file = files.get(packet.id);
        if (file === undefined) throw new GrpcStatusError(GrpcStatus.invalidArgument, `invalid file id ${packet.id}`);
        files.delete(packet.id);
        queue.push({ id: packet.id, ...file });
        wakeSenders(false);
      } else if (packet.type === FileSyncPacketType.finish) {
        // The engine sends FIN once it has every file it asked for.
        finished = true;
        wakeSenders(true);
        await call.send(encodeFileSyncPacket({ type: FileSyncPacketType.finish, id: 0 }));
        return;
      } else if (packet.type === FileSyncPacketType.error) {
        throw new GrpcStatusError(GrpcStatus.aborted, `error from the engine: ${Buffer.from(packet.data ?? []).toString('utf8')}`);
      }
    }
    throw new GrpcStatusError(GrpcStatus.cancelled, `the engine ended the transfer of ${source.description} before finishing it`);
  };

  const tasks = [list(), receive(), ...Array.from({ length: sendConcurrency }, () => sendFiles())].map((task) => task.catch(fail));
  // The receiver ends the exchange; the listing must be complete by then (the engine sends FIN
  // only after the empty STAT).
  await Promise.all(tasks);
  if (failure !== undefined) throw failure;
  if (!listingDone) throw new GrpcStatusError(GrpcStatus.internal, 'the engine finished before the listing ended');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
