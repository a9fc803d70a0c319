import { BerthError, createEngineClient, ping } from '@berth/engine-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tcpTransport } from '../../src/index.js';
import { createTestCertificates, type TestCertificates } from '../support/certificates.js';
import { startHttpServer, startHttpsServer, type LocalServer } from '../support/servers.js';

let certificates: TestCertificates;
let mutualTls: LocalServer;
let plain: LocalServer;

beforeAll(async () => {
  certificates = createTestCertificates();
  mutualTls = await startHttpsServer({
    cert: certificates.read('server-cert.pem'),
    key: certificates.read('server-key.pem'),
    ca: certificates.read('ca.pem'),
    requestCert: true,
    rejectUnauthorized: true,
  });
  plain = await startHttpServer();
});
afterAll(async () => {
  await mutualTls.close();
  await plain.close();
  certificates.remove();
});

describe('tcpTransport', () => {
  it('speaks mutual TLS with PEM given inline as strings and Buffers', async () => {
    const transport = tcpTransport({
      host: `tcp://127.0.0.1:${mutualTls.port}`,
      tls: {
        ca: certificates.read('ca.pem').toString('utf8'),
        cert: certificates.read('cert.pem'),
        key: certificates.read('key.pem').toString('utf8'),
      },
    });
    const client = createEngineClient({ transport, apiVersion: '1.41' });
    expect((await ping(client, { timeout: 5_000 })).body).toBe('OK');
    await client.close();
  });

  it('reaches a TLS engine through https:// and "localhost", which the certificate lists', async () => {
    const transport = tcpTransport({
      host: `https://localhost:${mutualTls.port}`,
      tls: { ca: certificates.path('ca.pem'), cert: certificates.path('cert.pem'), key: certificates.path('key.pem') },
    });
    const client = createEngineClient({ transport, apiVersion: '1.41' });
    expect((await ping(client, { timeout: 5_000 })).body).toBe('OK');
    await client.close();
  });

  it('closes its pooled connections and refuses calls afterwards', async () => {
    const transport = tcpTransport({ host: `tcp://127.0.0.1:${plain.port}` });
    const client = createEngineClient({ transport, apiVersion: '1.41' });
    await ping(client, { timeout: 5_000 });
    expect(plain.open()).toBe(1);
    await client.close();
    await waitFor(() => plain.open() === 0);
    const error = await ping(client, { timeout: 5_000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BerthError);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 100 && !condition(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}
