// The receiving side of fsutil's DiffCopy, as the client plays it for a `local` output
// (FileSend): the engine lists the result (STAT packets), the client requests every regular file
// (REQ), writes the DATA it gets, and sends FIN once all files are written. Existing files in the
// destination stay (BuildKit's merge mode); entries are owned by the current user.
import { lstat, link, lutimes, mkdir, open, rm, symlink, chmod, utimes, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanGoPath } from '@berth/build-context';
import type { GrpcServerCall } from '../grpc/grpc-server.js';
import { GrpcStatus, GrpcStatusError } from '../grpc/grpc-status.js';
import { decodeFileSyncPacket, encodeFileSyncPacket, FileSyncPacketType, type FileStat } from '../messages/file-sync-packet.js';
import { entryKindOf, unixPermissionsOf } from './go-file-mode.js';
import { directoryOfSyncPath, isInsideSyncRoot } from './sync-path.js';

/**
 * What a received DiffCopy wrote.
 *
 * @example
 * ```ts
 * const received: DiffCopyReception = { entries: 3, files: 2, bytes: 1024, skipped: 0, complete: true };
 * ```
 */
export interface DiffCopyReception {
  /** Entries the engine listed. */
  entries: number;
  /** Regular files written. */
  files: number;
  /** Bytes written. */
  bytes: number;
  /** Entries not written: devices, FIFOs, sockets. */
  skipped: number;
  /** True once everything was received and written (the client's FIN is sent then). */
  complete: boolean;
}

interface PendingFile {
  readonly path: string;
  readonly stat: FileStat;
  handle?: FileHandle | undefined;
}

/**
 * Receives a DiffCopy into `destination` (created if missing), counting into `received` as it
 * goes (`complete` turns true once all is written, before the engine is told). Rejects, after
 * telling the engine with an error packet, on a path that is unclean, absolute, escapes the
 * destination or goes through a symbolic link, on a write failure, or when the engine sends an
 * error or ends early.
 *
 * @example
 * ```ts
 * const received = { entries: 0, files: 0, bytes: 0, skipped: 0, complete: false };
 * await receiveDiffCopy(call, './out', received);
 * ```
 */
export async function receiveDiffCopy(call: GrpcServerCall, destination: string, received: DiffCopyReception): Promise<DiffCopyReception> {
  await mkdir(destination, { recursive: true, mode: 0o700 });
  const pending = new Map<number, PendingFile>();
  const directories: { path: string; stat: FileStat }[] = [];
  // Directories known to be real directories inside the destination (no symbolic link on the way).
  const safeDirectories = new Set<string>(['.']);
  let nextId = 0;
  let listingDone = false;
  let finishSent = false;

  const target = (path: string): string => join(destination, path);
  const checkPath = async (path: string, what = 'path'): Promise<void> => {
    if (path === '' || cleanGoPath(path) !== path || !isInsideSyncRoot(path) || path === '.') {
      throw new GrpcStatusError(GrpcStatus.invalidArgument, `refusing ${what} ${JSON.stringify(path)}: not a clean relative path inside the destination`);
    }
    const parent = directoryOfSyncPath(path);
    if (safeDirectories.has(parent)) return;
    await checkPath(parent, 'parent directory');
    const stats = await lstat(target(parent)).catch(() => undefined);
    if (!stats?.isDirectory()) {
      throw new GrpcStatusError(GrpcStatus.invalidArgument, `refusing ${JSON.stringify(path)}: its parent is not a directory inside the destination`);
    }
    safeDirectories.add(parent);
  };
  const removeExisting = async (path: string): Promise<void> => {
    const stats = await lstat(target(path)).catch(() => undefined);
    if (stats !== undefined) await rm(target(path), { recursive: stats.isDirectory(), force: true });
  };
  const finishIfComplete = async (): Promise<void> => {
    if (!listingDone || pending.size > 0 || finishSent) return;
    // Directory times last, deepest first: writing inside a directory changes its time.
    for (const { path, stat } of directories.reverse()) {
      await chmod(target(path), unixPermissionsOf(stat.mode));
      await utimes(target(path), seconds(stat.modTime), seconds(stat.modTime));
    }
    finishSent = true;
    // The engine ends the export as soon as it has the FIN; the output is whole already.
    received.complete = true;
    await call.send(encodeFileSyncPacket({ type: FileSyncPacketType.finish, id: 0 }));
  };

  const handle = async (message: Uint8Array): Promise<boolean> => {
    const packet = decodeFileSyncPacket(message);
    switch (packet.type) {
      case FileSyncPacketType.stat: {
        if (packet.stat === undefined) {
          listingDone = true;
          await finishIfComplete();
          return false;
        }
        const id = nextId++;
        const stat = packet.stat;
        received.entries++;
        await checkPath(stat.path);
        const kind = entryKindOf(stat.mode);
        if (kind === 'directory') {
          const existing = await lstat(target(stat.path)).catch(() => undefined);
          if (existing !== undefined && !existing.isDirectory()) await removeExisting(stat.path);
          if (!existing?.isDirectory()) await mkdir(target(stat.path), { mode: 0o700 });
          safeDirectories.add(stat.path);
          directories.push({ path: stat.path, stat });
        } else if (kind === 'symbolic-link') {
          await removeExisting(stat.path);
          await symlink(stat.linkname, target(stat.path));
          await lutimes(target(stat.path), seconds(stat.modTime), seconds(stat.modTime));
        } else if (kind === 'file' && stat.linkname !== '') {
          await checkPath(stat.linkname, 'hard link target');
          await removeExisting(stat.path);
          await link(target(stat.linkname), target(stat.path));
          received.files++;
        } else if (kind === 'file') {
          await removeExisting(stat.path);
          // Created now, filled when its data comes: a hard link listed later links to it.
          await (await open(target(stat.path), 'wx', (unixPermissionsOf(stat.mode) & 0o777) | 0o200)).close();
          pending.set(id, { path: stat.path, stat });
          await call.send(encodeFileSyncPacket({ type: FileSyncPacketType.request, id }));
        } else {
          received.skipped++;
        }
        return false;
      }
      case FileSyncPacketType.data: {
        const file = pending.get(packet.id);
        if (file === undefined) throw new GrpcStatusError(GrpcStatus.invalidArgument, `data for unrequested file id ${packet.id}`);
        file.handle ??= await open(target(file.path), 'r+');
        if (packet.data !== undefined && packet.data.length > 0) {
          await file.handle.write(packet.data);
          received.bytes += packet.data.length;
          return false;
        }
        await file.handle.close();
        file.handle = undefined;
        await chmod(target(file.path), unixPermissionsOf(file.stat.mode));
        await utimes(target(file.path), seconds(file.stat.modTime), seconds(file.stat.modTime));
        pending.delete(packet.id);
        received.files++;
        await finishIfComplete();
        return false;
      }
      case FileSyncPacketType.finish:
        if (!finishSent) throw new GrpcStatusError(GrpcStatus.failedPrecondition, 'the engine finished before every file was received');
        return true;
      case FileSyncPacketType.error:
        throw new GrpcStatusError(GrpcStatus.aborted, `error from the engine: ${Buffer.from(packet.data ?? []).toString('utf8')}`);
      default:
        throw new GrpcStatusError(GrpcStatus.invalidArgument, `unexpected packet type ${packet.type} from the sender`);
    }
  };

  try {
    let done = false;
    for await (const message of call.messages()) {
      if (done) continue; // drain after FIN
      done = await handle(message);
    }
    if (!done) throw new GrpcStatusError(GrpcStatus.cancelled, 'the engine ended the output transfer before finishing it');
    return received;
  } catch (error) {
    if (!call.signal.aborted) {
      await call.send(encodeFileSyncPacket({ type: FileSyncPacketType.error, id: 0, data: Buffer.from(error instanceof Error ? error.message : String(error)) })).catch(() => undefined);
    }
    throw error;
  } finally {
    for (const file of pending.values()) await file.handle?.close().catch(() => undefined);
  }
}

function seconds(nanoseconds: bigint): number {
  return Number(nanoseconds) / 1e9;
}
