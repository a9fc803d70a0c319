// Ready-made answers for the fake engine: well-formed ones, and every way a reply can go wrong
// (stalls, resets, cut bodies, cut chunked encoding, garbage, huge bodies, redirects).
import type { Socket } from 'node:net';
import type { FakeBehaviour, FakeExchange } from './fake-engine.js';

/** How a connection ends after a partial answer. */
export type FakeEnding = 'reset' | 'close' | 'stall';

/** Requests held open by `stall` endings; released by the engine's close or the client. */
function endConnection(socket: Socket, ending: FakeEnding): void {
  if (ending === 'reset') {
    // A TLS socket resets the TCP connection under it.
    const tcp = (socket as Socket & { _parent?: Socket })._parent ?? socket;
    try {
      tcp.resetAndDestroy();
    } catch {
      tcp.destroy();
    }
    socket.destroy();
  } else if (ending === 'close') socket.destroy();
  // stall: leave it open, sending nothing.
}

/**
 * A JSON reply.
 *
 * @example
 * ```ts
 * fake.on(/images\/json/, replyJson(200, { Id: 'x' })); // an object where a list belongs
 * ```
 */
export function replyJson(status: number, body: unknown, headers: Record<string, string> = {}): FakeBehaviour {
  return replyText(status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
}

/**
 * A reply with this exact body text (truncated or invalid JSON, an empty body, …).
 *
 * @example
 * ```ts
 * fake.on(/images\/json/, replyText(200, '[{"Id":', { 'content-type': 'application/json' }));
 * ```
 */
export function replyText(status: number, body: string, headers: Record<string, string> = {}): FakeBehaviour {
  return ({ request, response }) => {
    request.resume();
    response.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(body);
  };
}

/**
 * An HTML error page, as a proxy in front of the engine sends.
 *
 * @example
 * ```ts
 * fake.on(/images/, replyHtml(502, 'Bad Gateway'));
 * ```
 */
export function replyHtml(status: number, title: string): FakeBehaviour {
  return replyText(status, `<!DOCTYPE html><html><head><title>${status} ${title}</title></head><body><h1>${title}</h1></body></html>`, {
    'content-type': 'text/html',
  });
}

/**
 * A redirect; the target answers 200 itself, so a client that follows it would "succeed".
 *
 * @example
 * ```ts
 * fake.on(/images\/create/, redirect(307, '/elsewhere'));
 * ```
 */
export function redirect(status: number, location: string): FakeBehaviour {
  return replyText(status, `<a href="${location}">Moved</a>.`, { location, 'content-type': 'text/html' });
}

/**
 * Never answers: the request is read, then nothing comes back.
 *
 * @example
 * ```ts
 * fake.on(/_ping/, stallBeforeHeaders());
 * ```
 */
export function stallBeforeHeaders(): FakeBehaviour {
  return ({ request }) => {
    request.resume();
  };
}

/**
 * Ends the connection before any answer: `reset` sends a TCP RST (ECONNRESET on the client),
 * `close` a plain FIN.
 *
 * @example
 * ```ts
 * fake.on(/images\/json/, dropBeforeHeaders('reset'));
 * ```
 */
export function dropBeforeHeaders(ending: Exclude<FakeEnding, 'stall'>): FakeBehaviour {
  return ({ socket }) => endConnection(socket, ending);
}

/**
 * Answers with a `Content-Length` body but sends only part of it, then ends as told.
 *
 * @example
 * ```ts
 * fake.on(/images\/json/, cutBody('[{"Id":"sha256:1"},{"Id":"sha256:2"}]', 10, 'reset'));
 * ```
 */
export function cutBody(body: string, sendBytes: number, ending: FakeEnding, contentType = 'application/json'): FakeBehaviour {
  return ({ request, response, socket }) => {
    request.resume();
    const bytes = Buffer.from(body);
    response.writeHead(200, { 'content-type': contentType, 'content-length': String(bytes.length) });
    response.write(bytes.subarray(0, sendBytes), () => endConnection(socket, ending));
  };
}

/**
 * A chunked reply (how the engine streams progress) that breaks off in the middle of a chunk:
 * the raw bytes are written to the socket, then it ends as told.
 *
 * @example
 * ```ts
 * fake.on(/images\/create/, cutChunked(['{"status":"Pulling"}\r\n'], '{"status":"Downl', 'close'));
 * ```
 */
export function cutChunked(wholeChunks: readonly string[], partialChunk: string, ending: FakeEnding): FakeBehaviour {
  return ({ request, socket }) => {
    request.resume();
    const parts = ['HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n'];
    for (const chunk of wholeChunks) parts.push(`${Buffer.byteLength(chunk).toString(16)}\r\n${chunk}\r\n`);
    // Announce more bytes than are sent.
    parts.push(`${(Buffer.byteLength(partialChunk) + 100).toString(16)}\r\n${partialChunk}`);
    socket.write(parts.join(''), () => endConnection(socket, ending));
  };
}

/**
 * Writes these raw bytes as the whole answer (garbage instead of HTTP, a bad status line), then
 * ends as told.
 *
 * @example
 * ```ts
 * fake.on(/images\/json/, rawAnswer('SSH-2.0-OpenSSH\r\n', 'close'));
 * ```
 */
export function rawAnswer(bytes: string | Buffer, ending: FakeEnding): FakeBehaviour {
  return ({ request, socket }) => {
    request.resume();
    socket.write(bytes, () => endConnection(socket, ending));
  };
}

/**
 * A progress stream: these JSON messages, one per line, then the stream ends as told (`end`
 * finishes it properly).
 *
 * @example
 * ```ts
 * fake.on(/images\/create/, progressStream([{ status: 'Pulling from x' }], 'stall'));
 * ```
 */
export function progressStream(messages: readonly unknown[], ending: FakeEnding | 'end', trailer = ''): FakeBehaviour {
  return ({ request, response, socket }) => {
    request.resume();
    response.writeHead(200, { 'content-type': 'application/json' });
    const text = messages.map((message) => `${typeof message === 'string' ? message : JSON.stringify(message)}\r\n`).join('') + trailer;
    response.write(text, () => {
      if (ending === 'end') response.end();
      else endConnection(socket, ending);
    });
  };
}

/**
 * A reply body of `totalBytes` (or endless), produced as the client reads it (with
 * backpressure), from `unit` repeated; `prefix` first.
 *
 * @example
 * ```ts
 * fake.on(/images\/json/, hugeBody(200, '[', '{"Id":"sha256:x"},', 64 * 1024 * 1024));
 * ```
 */
export function hugeBody(status: number, prefix: string, unit: string, totalBytes = Number.POSITIVE_INFINITY, contentType = 'application/json'): FakeBehaviour {
  return ({ request, response }) => {
    request.resume();
    response.writeHead(status, { 'content-type': contentType });
    let sent = 0;
    const block = Buffer.from(unit.repeat(Math.max(1, Math.floor(65_536 / Math.max(1, unit.length)))));
    response.write(prefix);
    const pump = (): void => {
      while (sent < totalBytes && !response.destroyed) {
        sent += block.length;
        if (!response.write(block)) {
          response.once('drain', pump);
          return;
        }
      }
      if (!response.destroyed) response.end();
    };
    response.on('error', () => undefined);
    pump();
  };
}

/**
 * Reads `readBytes` of the request body (an upload), then stops reading and ends as told; with
 * `stall` the client's upload blocks once the socket buffers are full. A stall lasts
 * `stallFor` ms, after which the rest is read and dropped: only then does this side notice a
 * client that has gone (a socket that is not read sees no end), so nothing is left open.
 *
 * @example
 * ```ts
 * fake.on(/images\/load/, breakUpload(256 * 1024, 'reset'));
 * ```
 */
export function breakUpload(readBytes: number, ending: FakeEnding, stallFor = 2_000): FakeBehaviour {
  return ({ request, socket }) => {
    let received = 0;
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received < readBytes) return;
      request.off('data', onData);
      request.pause();
      endConnection(socket, ending);
      if (ending === 'stall') setTimeout(() => request.resume(), stallFor).unref();
    };
    request.on('data', onData);
  };
}

/**
 * A multiplexed attach/logs stream (8-byte frame headers) whose bytes are given raw, so that a
 * test can send a bad header.
 *
 * @example
 * ```ts
 * fake.on(/logs/, multiplexedStream([frame(1, 'hello\n'), Buffer.from([9, 0, 0, 0, 0, 0, 0, 1, 0x41])]));
 * ```
 */
export function multiplexedStream(parts: readonly Buffer[], ending: FakeEnding | 'end' = 'end'): FakeBehaviour {
  return ({ request, response, socket }) => {
    request.resume();
    response.writeHead(200, { 'content-type': 'application/vnd.docker.multiplexed-stream' });
    response.write(Buffer.concat(parts), () => {
      if (ending === 'end') response.end();
      else endConnection(socket, ending);
    });
  };
}

/**
 * One well-formed multiplexed frame: `[stream, 0, 0, 0, size (4 bytes, big endian)]` + payload.
 *
 * @example
 * ```ts
 * frame(1, 'to stdout\n'); frame(2, 'to stderr\n');
 * ```
 */
export function frame(stream: number, payload: string | Buffer): Buffer {
  const body = Buffer.from(payload);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

/**
 * Answers with the default behaviour of the exchange's request after `delay` ms: for pacing.
 * Mostly useful in combination: `(exchange) => later(exchange, 100, replyJson(200, []))`.
 *
 * @example
 * ```ts
 * fake.on(/images\/json/, (exchange) => later(exchange, 50, replyJson(200, [])));
 * ```
 */
export function later(exchange: FakeExchange, delay: number, behaviour: FakeBehaviour): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, delay)).then(() => behaviour(exchange));
}
