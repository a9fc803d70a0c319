// moby.filesync.v1.FileSend: with an output of type `local` or `tar`, the engine sends the build
// result to the session instead of storing an image: a directory as a DiffCopy (the session
// receives), a tar as a stream of BytesMessages.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { GrpcHandler } from '../grpc/grpc-server.js';
import { receiveDiffCopy, type DiffCopyReception } from '../filesync/diff-copy-receiver.js';
import { decodeBytesMessage } from '../messages/bytes-message.js';

/**
 * Where a build's result goes when it is sent to the client: a directory (`local`), or a tar
 * archive written to a file or a stream (`tar`).
 *
 * @example
 * ```ts
 * const output: SessionOutput = { type: 'local', dest: './out' };
 * const archive: SessionOutput = { type: 'tar', dest: process.stdout };
 * ```
 */
export type SessionOutput =
  | { readonly type: 'local'; readonly dest: string }
  | { readonly type: 'tar'; readonly dest: string | Writable };

/**
 * What the session received of the build result.
 *
 * @example
 * ```ts
 * console.log(`${session.statistics.output?.bytes ?? 0} bytes exported`);
 * ```
 */
export interface OutputStatistics extends DiffCopyReception {}

/**
 * The FileSend method of a session, for one output.
 *
 * @example
 * ```ts
 * // `received` is updated while the output arrives; `received.complete` tells when it is whole.
 * const server = new GrpcServer({ ...fileSendMethods({ type: 'local', dest: './out' }, (received) => (statistics.output = received)) });
 * ```
 */
export function fileSendMethods(output: SessionOutput, onReceived: (received: OutputStatistics) => void): Record<string, GrpcHandler> {
  return {
    '/moby.filesync.v1.FileSend/DiffCopy': async (call) => {
      const received: OutputStatistics = { entries: 0, files: 0, bytes: 0, skipped: 0, complete: false };
      // Live counts: the engine may end the build before this handler sees its stream end.
      onReceived(received);
      if (output.type === 'local') {
        await receiveDiffCopy(call, output.dest, received);
        return;
      }
      received.files = 1;
      const stream = typeof output.dest === 'string' ? createWriteStream(output.dest, { mode: 0o644 }) : output.dest;
      try {
        for await (const message of call.messages()) {
          const data = decodeBytesMessage(message);
          received.bytes += data.length;
          if (data.length > 0 && !stream.write(data)) await once(stream, 'drain', { signal: call.signal });
        }
      } catch (error) {
        if (typeof output.dest === 'string') stream.destroy();
        throw error;
      }
      // A file the session opened is closed; a stream the caller gave is left open for it.
      if (typeof output.dest === 'string') {
        stream.end();
        await finished(stream);
      }
      received.complete = true;
    },
  };
}
