import type { Dispatcher } from 'undici';
import { TarFeedReadable } from '../streams/guard-tar-readable.js';

/**
 * What {@link dispatchByteStream} resolves to: the reply's status and headers, and its body as
 * one {@link TarFeedReadable} the HTTP client feeds directly.
 *
 * @internal
 */
export interface ByteStreamReply {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: TarFeedReadable;
}

/**
 * Sends a request whose reply is a large byte stream (a save's tar) through the dispatcher's
 * low-level `dispatch()`, so that each body chunk goes from the HTTP parser straight into the
 * one `Readable` the consumer reads, instead of through undici's own body stream first (one
 * stream hop, its buffer and its events less per chunk). Backpressure reaches the parser through
 * the handler's controller (pause/resume); the abort signal ends the request before the reply
 * and fails the body after it; a body destroyed early aborts the request (closing the
 * connection).
 *
 * @internal
 */
export async function dispatchByteStream(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: AbortSignal,
): Promise<ByteStreamReply> {
  return new Promise<ByteStreamReply>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let body: TarFeedReadable | undefined;
    let settled = false;
    const onAbort = (): void => {
      const reason: unknown = signal.reason;
      if (body !== undefined) {
        body.feedError(reason);
        return;
      }
      // Before the reply: the caller hears at once; the request is stopped now or, when it has
      // not reached a connection yet, as soon as it does (onRequestStart).
      controller?.abort(reason instanceof Error ? reason : new Error(String(reason)));
      if (!settled) {
        settled = true;
        reject(reason);
      }
    };
    const stopListening = (): void => signal.removeEventListener('abort', onAbort);
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(requestController) {
        controller = requestController;
        if (signal.aborted) onAbort();
      },
      onResponseStart(requestController, statusCode, headers) {
        // 1xx replies are informational: the real one follows.
        if (statusCode < 200) return;
        // undici's body pieces are views of its socket reads, which nobody else holds.
        body = new TarFeedReadable().joinAdjacentPieces().attach({
          pause: () => requestController.pause(),
          resume: () => requestController.resume(),
          abort: (error) => requestController.abort(error),
        });
        body.once('close', stopListening);
        settled = true;
        resolve({ statusCode, headers: headers as ByteStreamReply['headers'], body });
      },
      onResponseData(_requestController, chunk) {
        body?.feed(chunk);
      },
      onResponseEnd() {
        body?.feedEnd();
      },
      onResponseError(_requestController, error) {
        if (!settled) {
          settled = true;
          stopListening();
          reject(error);
          return;
        }
        // Like undici's own body: let the handlers already queued run before failing it.
        const failed = body;
        queueMicrotask(() => failed?.feedError(error));
      },
    };
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      dispatcher.dispatch(options, handler);
    } catch (error) {
      stopListening();
      settled = true;
      reject(error);
    }
  });
}
