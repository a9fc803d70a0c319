// The client side of gRPC on a node:http2 session, for the engine's BuildKit controller
// (`POST /grpc`): unary calls and server-streaming calls.
import type { ClientHttp2Session, ClientHttp2Stream, IncomingHttpHeaders } from 'node:http2';
import { encodeGrpcFrame, GrpcFrameDecoder } from './grpc-frames.js';
import { decodeGrpcMessage, GrpcStatus, GrpcStatusError, type GrpcStatusCode } from './grpc-status.js';

function statusOf(headers: IncomingHttpHeaders | undefined): { code: GrpcStatusCode; message: string } | undefined {
  const raw = headers?.['grpc-status'];
  if (raw === undefined) return undefined;
  const code = Number(raw) as GrpcStatusCode;
  return { code, message: decodeGrpcMessage(String(headers?.['grpc-message'] ?? '')) };
}

/**
 * Calls a server-streaming (or unary) method and yields the reply messages. Ends when the server
 * ends with status OK; throws `GrpcStatusError` with the server's status otherwise, or CANCELLED
 * when `signal` fires (the call is reset, which the server sees as a cancellation).
 *
 * @example
 * ```ts
 * for await (const message of callGrpc(session, '/moby.buildkit.v1.Control/Status', encodeStatusRequest(ref), signal)) handle(message);
 * ```
 */
export async function* callGrpc(session: ClientHttp2Session, method: string, request: Uint8Array, signal?: AbortSignal): AsyncGenerator<Uint8Array, void, undefined> {
  signal?.throwIfAborted();
  const stream: ClientHttp2Stream = session.request({
    ':method': 'POST',
    ':path': method,
    'content-type': 'application/grpc',
    te: 'trailers',
  });
  let headers: IncomingHttpHeaders | undefined;
  let trailers: IncomingHttpHeaders | undefined;
  let failure: Error | undefined;
  stream.on('response', (received) => (headers = received));
  stream.on('trailers', (received) => (trailers = received));
  stream.on('error', (error) => (failure ??= error));
  const abort = (): void => {
    // RST_STREAM CANCEL: grpc-go cancels the server's context.
    if (!stream.closed) stream.close(8);
  };
  signal?.addEventListener('abort', abort, { once: true });
  try {
    stream.end(encodeGrpcFrame(request));
    const decoder = new GrpcFrameDecoder(undefined);
    for await (const chunk of stream) {
      for (const message of decoder.push(chunk as Buffer)) yield message;
    }
    if (signal?.aborted) throw new GrpcStatusError(GrpcStatus.cancelled, `${method} was cancelled`, { cause: signal.reason });
    const status = statusOf(trailers) ?? statusOf(headers);
    if (status === undefined) {
      throw new GrpcStatusError(GrpcStatus.unknown, `${method} ended without a status${failure ? `: ${failure.message}` : ''}`, { cause: failure });
    }
    if (status.code !== GrpcStatus.ok) throw new GrpcStatusError(status.code, status.message || `${method} failed with status ${status.code}`);
  } catch (error) {
    if (signal?.aborted && !(error instanceof GrpcStatusError)) throw new GrpcStatusError(GrpcStatus.cancelled, `${method} was cancelled`, { cause: signal.reason });
    throw error;
  } finally {
    signal?.removeEventListener('abort', abort);
    if (!stream.closed) stream.close(8);
  }
}

/**
 * Calls a unary method and resolves to its one reply message.
 *
 * @example
 * ```ts
 * const reply = await callGrpcUnary(session, '/moby.buildkit.v1.Control/Solve', encodeSolveRequest(request), signal);
 * ```
 */
export async function callGrpcUnary(session: ClientHttp2Session, method: string, request: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
  let reply: Uint8Array | undefined;
  for await (const message of callGrpc(session, method, request, signal)) reply ??= message;
  if (reply === undefined) throw new GrpcStatusError(GrpcStatus.internal, `${method} answered no message`);
  return reply;
}
