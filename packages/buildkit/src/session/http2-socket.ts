// node:http2 drives a TLS socket's native handle directly. An upgraded TLS socket may still hold
// a write of the HTTP/1.1 request in that handle, and a second native writer trips an assertion
// in Node's TLS code (`TLSWrap::DoWrite: !current_write_`), killing the process. Such a socket is
// handed to http2 behind a plain stream, whose writes queue in JavaScript.
import { Duplex } from 'node:stream';
import { TLSSocket } from 'node:tls';

/**
 * The socket to give node:http2: the socket itself, or, for a TLS socket, a stream in front of
 * it (see the note above).
 *
 * @example
 * ```ts
 * import http2 from 'node:http2';
 *
 * const http2Session = http2.performServerHandshake(socketForHttp2(connection.socket));
 * ```
 */
export function socketForHttp2(socket: Duplex): Duplex {
  return socket instanceof TLSSocket ? streamInFrontOf(socket) : socket;
}

function streamInFrontOf(socket: Duplex): Duplex {
  const front = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      if (socket.write(chunk)) callback();
      else socket.once('drain', () => callback());
    },
    final(callback) {
      socket.end();
      callback();
    },
    destroy(error, callback) {
      if (!socket.destroyed) socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    if (!front.push(chunk)) socket.pause();
  });
  socket.on('end', () => front.push(null));
  socket.on('error', (error) => front.destroy(error));
  socket.on('close', () => {
    if (!front.destroyed) front.destroy();
  });
  return front;
}
