// Regression test: node:http2 on a TLS socket that still has a write in flight (the engine's side
// just wrote `101 Switching Protocols`; on the client side undici's request may still be leaving)
// trips a native assertion in Node (`TLSWrap::DoWrite`), which kills the whole process. Seen on
// the BuildKit suites over TCP+TLS; socketForHttp2 puts a plain stream in front of TLS sockets.
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import http2 from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socketForHttp2 } from '../../src/session/http2-socket.js';

let directory: string;
let key: Buffer;
let certificate: Buffer;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'berth-http2-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(directory, 'key.pem'), '-out', join(directory, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], {
    stdio: 'ignore',
  });
  key = await readFile(join(directory, 'key.pem'));
  certificate = await readFile(join(directory, 'cert.pem'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('HTTP/2 on an upgraded TLS socket', () => {
  it('hands TLS sockets to http2 behind a plain stream, and other sockets as they are', () => {
    const tlsSocket = new TLSSocket(undefined as never);
    expect(socketForHttp2(tlsSocket)).not.toBe(tlsSocket);
    expect(socketForHttp2(tlsSocket)).not.toBeInstanceOf(TLSSocket);
    tlsSocket.destroy();
  });

  it('survives HTTP/2 started right after a write on the same TLS socket, many times over', async () => {
    const server = createServer({ key, cert: certificate });
    let served = 0;
    server.on('upgrade', (_request, socket: Socket) => {
      // The engine's side: 101, then at once an HTTP/2 client calling in with big messages.
      socket.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n');
      const session = http2.connect('http://localhost', { createConnection: () => socketForHttp2(socket) });
      session.on('error', () => undefined);
      for (let call = 0; call < 20; call++) {
        const stream = session.request({ ':method': 'POST', ':path': '/t.T/M', 'content-type': 'application/grpc' });
        stream.on('error', () => undefined);
        stream.resume();
        stream.end(Buffer.alloc(100_000));
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      for (let round = 0; round < 20; round++) {
        const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
        await once(socket, 'secureConnect');
        socket.write('POST /session HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n');
        await new Promise<void>((resolve) => {
          let head = '';
          const onData = (chunk: Buffer): void => {
            head += chunk.toString('latin1');
            if (!head.includes('\r\n\r\n')) return;
            socket.off('data', onData);
            socket.pause();
            const rest = Buffer.from(head.slice(head.indexOf('\r\n\r\n') + 4), 'latin1');
            if (rest.length > 0) socket.unshift(rest);
            resolve();
          };
          socket.on('data', onData);
        });
        const session = http2.performServerHandshake(socketForHttp2(socket));
        session.on('error', () => undefined);
        session.on('stream', (stream) => {
          stream.on('error', () => undefined);
          stream.resume();
          stream.respond({ ':status': 200 });
          stream.end(Buffer.alloc(200_000));
          served++;
        });
        await new Promise((resolve) => setTimeout(resolve, 30));
        session.destroy();
        socket.destroy();
      }
    } finally {
      server.close();
    }
    expect(served).toBeGreaterThan(0);
  }, 60_000);
});
