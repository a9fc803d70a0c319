// A gRPC server on one HTTP/2 session (node:http2), as small as a BuildKit session needs: the
// engine is the gRPC client and calls the methods the session registered. Unary and streaming
// methods share one shape: a handler reads the request messages and sends reply messages; its
// promise settles the call's status.
import type { Http2Session, IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { encodeGrpcFrame, GrpcFrameDecoder } from './grpc-frames.js';
import { readGrpcMetadata, type GrpcMetadata } from './grpc-metadata.js';
import { encodeGrpcMessage, GrpcStatus, GrpcStatusError, type GrpcStatusCode } from './grpc-status.js';

/**
 * One call the engine made, as its handler sees it.
 *
 * @example
 * ```ts
 * const handler: GrpcHandler = async (call) => {
 *   for await (const message of call.messages()) await call.send(message); // echo
 * };
 * ```
 */
export interface GrpcServerCall {
  /** `/package.Service/Method`. */
  readonly method: string;
  /** The call's metadata (custom headers), lower-case names, every value kept. */
  readonly metadata: GrpcMetadata;
  /** Aborted when the engine cancels the call or the session closes. */
  readonly signal: AbortSignal;
  /** The request messages; ends when the engine has sent its last one. Iterate once. */
  messages(): AsyncIterable<Uint8Array>;
  /** Sends one reply message; resolves when the stream can take more (backpressure). */
  send(message: Uint8Array): Promise<void>;
}

/**
 * Serves one method. Resolving ends the call with status OK; throwing a `GrpcStatusError` ends
 * it with that status; any other error ends it with UNKNOWN and the error's message.
 *
 * @example
 * ```ts
 * const check: GrpcHandler = async (call) => { await firstMessage(call); await call.send(encodeServingHealthResponse()); };
 * ```
 */
export type GrpcHandler = (call: GrpcServerCall) => Promise<void>;

/** Bytes of reply messages gathered before one write to the stream. */
const writeBatchBytes = 64 * 1024;

/**
 * Routes the streams of an HTTP/2 session to method handlers. An unknown method is answered
 * UNIMPLEMENTED.
 *
 * @example
 * ```ts
 * import http2 from 'node:http2';
 *
 * const server = new GrpcServer({ '/grpc.health.v1.Health/Check': handler });
 * server.serve(http2.performServerHandshake(socket));
 * ```
 */
export class GrpcServer {
  readonly #handlers: ReadonlyMap<string, GrpcHandler>;
  readonly #active = new Set<AbortController>();
  /** Called with a handler's failure (for diagnostics); the call itself is answered already. */
  onHandlerError: ((method: string, error: unknown) => void) | undefined;

  constructor(handlers: Readonly<Record<string, GrpcHandler>>) {
    this.#handlers = new Map(Object.entries(handlers));
  }

  /** The served methods, `/package.Service/Method`. */
  get methods(): string[] {
    return [...this.#handlers.keys()];
  }

  /** Calls in progress. */
  get activeCalls(): number {
    return this.#active.size;
  }

  /** Starts answering the session's streams. */
  serve(session: Http2Session): void {
    session.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, _flags: number, rawHeaders: string[]) => {
      this.#dispatch(stream, headers, rawHeaders);
    });
  }

  /** Aborts every call in progress (their handlers see `signal` fire). */
  abortAll(reason: Error): void {
    for (const controller of this.#active) controller.abort(reason);
  }

  #dispatch(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, rawHeaders: readonly string[]): void {
    // A reset stream still emits 'error'; the call's signal reports it.
    stream.on('error', () => undefined);
    const method = String(headers[':path'] ?? '');
    const handler = this.#handlers.get(method);
    const contentType = String(headers['content-type'] ?? '');
    if (headers[':method'] !== 'POST' || !contentType.startsWith('application/grpc')) {
      stream.respond({ ':status': 415 }, { endStream: true });
      return;
    }
    if (handler === undefined) {
      stream.resume();
      respondWithStatus(stream, GrpcStatus.unimplemented, `unknown method ${method}`);
      return;
    }
    const controller = new AbortController();
    this.#active.add(controller);
    const call = new ServerCall(stream, method, readGrpcMetadata(rawHeaders), controller, headers['grpc-encoding'] as string | undefined);
    handler(call).then(
      () => call.finish(GrpcStatus.ok, ''),
      (error: unknown) => {
        this.onHandlerError?.(method, error);
        if (error instanceof GrpcStatusError) call.finish(error.status, error.message);
        else if (controller.signal.aborted) call.finish(GrpcStatus.cancelled, 'cancelled');
        else call.finish(GrpcStatus.unknown, error instanceof Error ? error.message : String(error));
      },
    ).finally(() => this.#active.delete(controller));
  }
}

/** Answers a call with only a status (a "trailers-only" reply). */
function respondWithStatus(stream: ServerHttp2Stream, code: GrpcStatusCode, message: string): void {
  if (stream.destroyed || stream.closed) return;
  if (stream.headersSent) {
    stream.close();
    return;
  }
  stream.respond(
    { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(code), ...(message ? { 'grpc-message': encodeGrpcMessage(message) } : {}) },
    { endStream: true },
  );
}

class ServerCall implements GrpcServerCall {
  readonly method: string;
  readonly metadata: GrpcMetadata;
  readonly signal: AbortSignal;
  readonly #stream: ServerHttp2Stream;
  readonly #encoding: string | undefined;
  // Reply messages are framed straight into one batch buffer, written out when full or on the
  // next turn of the event loop: a listing sends tens of thousands of small messages.
  #batch: Buffer = Buffer.allocUnsafe(writeBatchBytes);
  #pendingBytes = 0;
  #flushScheduled = false;
  #drain: Promise<void> | undefined;
  #finished = false;

  constructor(stream: ServerHttp2Stream, method: string, metadata: GrpcMetadata, controller: AbortController, encoding: string | undefined) {
    this.#stream = stream;
    this.method = method;
    this.metadata = metadata;
    this.signal = controller.signal;
    this.#encoding = encoding;
    const onClose = (): void => {
      if (!this.#finished) controller.abort(new GrpcStatusError(GrpcStatus.cancelled, `${method} was cancelled by the engine`));
    };
    stream.once('close', onClose);
    stream.once('aborted', onClose);
  }

  async *messages(): AsyncGenerator<Uint8Array, void, undefined> {
    // Not `for await (… of stream)`: leaving that loop early destroys the stream, which resets it
    // (RST_STREAM CANCEL) while the engine still reads the reply. A handler may stop reading
    // before the engine stops sending (fsutil's sender returns on FIN).
    const decoder = new GrpcFrameDecoder(this.#encoding);
    const stream = this.#stream;
    for (;;) {
      if (this.signal.aborted) throw this.signal.reason;
      const chunk = stream.read() as Buffer | null;
      if (chunk !== null) {
        for (const message of decoder.push(chunk)) yield message;
        continue;
      }
      if (stream.readableEnded) break;
      if (stream.destroyed) throw this.signal.reason ?? new GrpcStatusError(GrpcStatus.cancelled, `${this.method}: the stream closed`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          stream.off('readable', wake);
          stream.off('end', wake);
          stream.off('close', wake);
          resolve();
        };
        stream.on('readable', wake);
        stream.on('end', wake);
        stream.on('close', wake);
      });
    }
    decoder.finish();
  }

  send(message: Uint8Array): Promise<void> {
    if (this.signal.aborted) return Promise.reject(this.signal.reason);
    if (this.#finished) return Promise.reject(new Error(`${this.method}: send after the call ended`));
    const frameLength = 5 + message.length;
    if (this.#pendingBytes + frameLength > this.#batch.length) this.#flush();
    if (frameLength > this.#batch.length) {
      // A large message goes out on its own.
      this.#write(encodeGrpcFrame(message));
      return this.#drain ?? Promise.resolve();
    }
    const batch = this.#batch;
    const at = this.#pendingBytes;
    batch[at] = 0;
    batch.writeUInt32BE(message.length, at + 1);
    batch.set(message, at + 5);
    this.#pendingBytes += frameLength;
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.#flush());
    }
    return this.#drain ?? Promise.resolve();
  }

  #flush(): void {
    this.#flushScheduled = false;
    if (this.#pendingBytes === 0) return;
    const data = this.#batch.subarray(0, this.#pendingBytes);
    // The written bytes belong to the stream until sent: the next messages go to a new buffer.
    this.#batch = Buffer.allocUnsafe(writeBatchBytes);
    this.#pendingBytes = 0;
    this.#write(data);
  }

  #write(data: Buffer): void {
    if (this.#stream.destroyed) return;
    if (!this.#stream.headersSent) this.#stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    if (!this.#stream.write(data) && this.#drain === undefined) {
      this.#drain = new Promise<void>((resolve, reject) => {
        const done = (): void => {
          this.#stream.off('drain', done);
          this.#stream.off('close', closed);
          this.#drain = undefined;
          resolve();
        };
        const closed = (): void => {
          this.#stream.off('drain', done);
          this.#drain = undefined;
          reject(this.signal.reason ?? new GrpcStatusError(GrpcStatus.cancelled, `${this.method}: the stream closed`));
        };
        this.#stream.on('drain', done);
        this.#stream.once('close', closed);
      });
      // Nobody may be waiting when the stream closes; the rejection is reported through `signal`.
      this.#drain.catch(() => undefined);
    }
  }

  finish(code: GrpcStatusCode, message: string): void {
    if (this.#finished) return;
    this.#finished = true;
    const stream = this.#stream;
    if (stream.destroyed || stream.closed) return;
    if (!stream.headersSent && this.#pendingBytes === 0) {
      respondWithStatus(stream, code, message);
      return;
    }
    this.#flush();
    stream.once('wantTrailers', () => {
      stream.sendTrailers({ 'grpc-status': String(code), ...(message ? { 'grpc-message': encodeGrpcMessage(message) } : {}) });
    });
    stream.end();
  }
}

/**
 * Reads the first request message of a unary call (the engine sends exactly one).
 *
 * @example
 * ```ts
 * const host = decodeAuthHostRequest(await firstMessage(call));
 * ```
 */
export async function firstMessage(call: GrpcServerCall): Promise<Uint8Array> {
  let first: Uint8Array | undefined;
  for await (const message of call.messages()) first ??= message;
  if (first === undefined) throw new GrpcStatusError(GrpcStatus.invalidArgument, `${call.method}: no request message`);
  return first;
}

/**
 * Wraps a unary method: decode the one request, compute the reply, send it.
 *
 * @example
 * ```ts
 * const handler = unaryHandler(decodeSecretRequest, async (request) => encodeSecretResponse(new TextEncoder().encode(`value of ${request.id}`)));
 * ```
 */
export function unaryHandler<Request>(
  decode: (bytes: Uint8Array) => Request,
  answer: (request: Request, call: GrpcServerCall) => Promise<Uint8Array>,
): GrpcHandler {
  return async (call) => {
    let request: Request;
    try {
      request = decode(await firstMessage(call));
    } catch (error) {
      if (error instanceof RangeError) throw new GrpcStatusError(GrpcStatus.invalidArgument, `${call.method}: malformed request (${error.message})`);
      throw error;
    }
    await call.send(await answer(request, call));
  };
}
