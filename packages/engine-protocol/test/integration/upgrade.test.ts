// EngineClient.upgrade on the real engine: POST /grpc switches to HTTP/2 (the engine's BuildKit
// controller answers gRPC on it); POST /session too (@berth/buildkit's suites serve sessions).
import { once } from 'node:events';
import http2 from 'node:http2';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineError, grpcEndpoint, sessionEndpoint } from '../../src/index.js';
import { createClient, engine } from './support/engine.js';

describe.runIf(engine)('protocol upgrades on the real engine', () => {
  const { client } = createClient();
  afterAll(() => client.close());

  it('POST /grpc: the switched connection speaks gRPC (an unknown method is answered UNIMPLEMENTED)', async () => {
    const connection = await client.upgrade(grpcEndpoint, {}, { protocol: 'h2c', timeout: 10_000 });
    const session = http2.connect('http://localhost', { createConnection: () => connection.socket });
    try {
      const stream = session.request({
        ':method': 'POST',
        ':path': '/berth.test.v1.Nothing/Nothing',
        'content-type': 'application/grpc',
        te: 'trailers',
      });
      stream.end(Buffer.alloc(5)); // one empty message
      const [headers] = (await once(stream, 'response')) as [http2.IncomingHttpHeaders];
      stream.resume();
      // An unknown method is a "trailers-only" reply: the status is in the headers.
      const trailers = headers['grpc-status'] === undefined ? ((await once(stream, 'trailers')) as [http2.IncomingHttpHeaders])[0] : headers;
      expect(trailers['grpc-status']).toBe('12');
    } finally {
      session.destroy();
      connection.close();
    }
  });

  it('refuses a second session with the same id with the engine\'s message', async () => {
    const id = randomUUID();
    const headers = { 'X-Docker-Expose-Session-Uuid': id, 'X-Docker-Expose-Session-Grpc-Method': ['/grpc.health.v1.Health/Check'] };
    const first = await client.upgrade(sessionEndpoint, {}, { protocol: 'h2c', headers });
    const session = http2.performServerHandshake(first.socket);
    try {
      const error = await client.upgrade(sessionEndpoint, {}, { protocol: 'h2c', headers }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).engineMessage).toContain('already exists');
    } finally {
      session.destroy();
      first.close();
    }
  });
});
