import { randomUUID } from 'node:crypto';
import type { BuildkitController, SolveRequestFields } from '@berth/buildkit';
import { AbortedError, StreamMessageError, TimeoutError, type CallOptions, type JsonMessage } from '@berth/engine-protocol';

/**
 * Runs a build on the engine's BuildKit controller and presents it as the engine's build
 * progress stream would: each `StatusResponse` as a `moby.buildkit.trace` message, the image as
 * `moby.image.id` (for an image exporter), a failure as a thrown `StreamMessageError` with
 * BuildKit's message. The call's `signal` and `timeout` cancel the build (`AbortedError`,
 * `TimeoutError`).
 *
 * @example
 * ```ts
 * for await (const message of controllerBuildMessages(controller, request, { signal })) console.log(message.id);
 * ```
 * @internal
 */
export async function* controllerBuildMessages(
  controller: BuildkitController,
  request: Omit<SolveRequestFields, 'ref'>,
  options: CallOptions,
): AsyncGenerator<JsonMessage, void, undefined> {
  const ref = randomUUID();
  const cancel = new AbortController();
  let reason: Error | undefined;
  const onAbort = (): void => {
    reason ??= new AbortedError('Build aborted (BuildKit controller)', { cause: options.signal?.reason });
    cancel.abort(reason);
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    options.timeout === undefined
      ? undefined
      : setTimeout(() => {
          reason ??= new TimeoutError(`Timed out after ${options.timeout} ms: build (BuildKit controller)`, { causeCode: 'BERTH_CALL_TIMEOUT' });
          cancel.abort(reason);
        }, options.timeout);

  const pending: JsonMessage[] = [];
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const waiting = wake;
    wake = undefined;
    waiting?.();
  };
  let statusDone = false;
  let solved: Record<string, string> | undefined;
  let solveFailure: unknown;
  let solveDone = false;

  const solving = controller.solve({ ...request, ref }, cancel.signal).then(
    (response) => {
      solved = response;
    },
    (error: unknown) => {
      solveFailure = error;
    },
  ).finally(() => {
    solveDone = true;
    notify();
  });
  const following = (async () => {
    try {
      for await (const status of controller.status(ref, cancel.signal)) {
        pending.push({ id: 'moby.buildkit.trace', aux: Buffer.from(status).toString('base64') });
        notify();
      }
    } catch {
      // The status stream ends with the build; its failure is the solve's.
    } finally {
      statusDone = true;
      notify();
    }
  })();

  try {
    for (;;) {
      while (pending.length > 0) yield pending.shift() as JsonMessage;
      if (solveDone && statusDone) break;
      // The status stream can outlive a failed solve; the solve's end is what counts.
      if (solveDone && solveFailure !== undefined) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    await solving;
    if (reason !== undefined) throw reason;
    if (solveFailure !== undefined) {
      const message = solveFailure instanceof Error ? solveFailure.message : String(solveFailure);
      const rawMessage = { errorDetail: { message }, error: message };
      throw new StreamMessageError(message, { rawMessage, cause: solveFailure });
    }
    const digest = solved?.['containerimage.digest'];
    if (digest !== undefined && request.exporter?.type === 'moby') yield { id: 'moby.image.id', aux: { ID: digest } };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (timer !== undefined) clearTimeout(timer);
    cancel.abort(reason ?? new Error('build stream closed'));
    await following;
  }
}
