// moby.filesync.v1.FileSync: the engine pulls the build's local directories (`context`,
// `dockerfile`, named contexts) from the session with DiffCopy, asking only for files that
// changed since it last synced the same directory (same session shared key).
import type { GrpcHandler } from '../grpc/grpc-server.js';
import { GrpcStatus, GrpcStatusError } from '../grpc/grpc-status.js';
import { sendDiffCopy, type DiffCopyObserver, type DiffCopyTransfer } from '../filesync/diff-copy-sender.js';
import type { DirectorySource } from '../filesync/directory-source.js';
import { readSyncRequestOptions } from '../filesync/sync-request-options.js';
import { InvalidArgumentError } from '@berth/engine-protocol';

/**
 * Transfers of one served directory, added up over the engine's requests.
 *
 * @example
 * ```ts
 * const transfer = session.statistics.directories['context'];
 * if (transfer) console.log(`${transfer.requests} requests, ${transfer.entriesListed} entries, ${transfer.filesSent} files, ${transfer.bytesSent} bytes`);
 * ```
 */
export interface DirectoryTransferStatistics extends DiffCopyTransfer {
  /** DiffCopy calls the engine made for the directory. */
  requests: number;
}

/**
 * An event of a FileSync transfer, for observers: an entry listed to the engine, or a file whose
 * content was sent.
 *
 * @example
 * ```ts
 * const event: FileSyncEvent = { directory: 'context', type: 'sent', path: 'src/app.js', bytes: 120 };
 * ```
 */
export interface FileSyncEvent {
  /** The served directory's name (`context`, `dockerfile`, …). */
  readonly directory: string;
  /** `listed`: the entry was listed to the engine; `sent`: a file's content was sent. */
  readonly type: 'listed' | 'sent';
  /** Relative, `/`-separated. */
  readonly path: string;
  /** Content bytes sent (0 for `listed`). */
  readonly bytes: number;
}

/**
 * The FileSync methods of a session. A directory name the session does not serve is answered
 * NOT_FOUND; invalid patterns INVALID_ARGUMENT.
 *
 * @example
 * ```ts
 * const server = new GrpcServer({ ...fileSyncMethods(new Map([['context', await localDirectory('.')]]), statistics.directories, undefined) });
 * ```
 */
export function fileSyncMethods(
  directories: ReadonlyMap<string, DirectorySource>,
  statistics: Record<string, DirectoryTransferStatistics>,
  observer: ((event: FileSyncEvent) => void) | undefined,
): Record<string, GrpcHandler> {
  return {
    '/moby.filesync.v1.FileSync/DiffCopy': async (call) => {
      const { directoryName, filters } = readSyncRequestOptions(call.metadata);
      const source = directories.get(directoryName);
      if (source === undefined) {
        throw new GrpcStatusError(GrpcStatus.notFound, `no access allowed to dir "${directoryName}": this build's session serves ${[...directories.keys()].join(', ') || 'no directories'}`);
      }
      const transfer = (statistics[directoryName] ??= { requests: 0, entriesListed: 0, filesSent: 0, bytesSent: 0 });
      transfer.requests++;
      const forward: DiffCopyObserver | undefined = observer === undefined ? undefined : (event) => observer({ directory: directoryName, ...event });
      try {
        await sendDiffCopy(call, source, filters, transfer, forward);
      } catch (error) {
        if (error instanceof InvalidArgumentError) throw new GrpcStatusError(GrpcStatus.invalidArgument, error.message, { cause: error });
        throw error;
      }
    },
  };
}
