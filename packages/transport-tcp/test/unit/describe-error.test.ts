// Every failure is provoked for real: actual TLS handshakes against local servers on
// 127.0.0.1 that use the certificates of scripts/harness/tls.sh.
import {
  ConnectionError,
  EngineError,
  NotFoundError,
  TimeoutError,
  createEngineClient,
  inspectImage,
  ping,
  type EngineClient,
} from '@berth/engine-protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tcpTransport, type TcpTlsOptions } from '../../src/index.js';
import { describeTcpError } from '../../src/describe-error.js';
import { createTestCertificates, type TestCertificates } from '../support/certificates.js';
import {
  closedPort,
  startHttpServer,
  startHttpsServer,
  startRawReplyServer,
  startOpensslServer,
  startSilentServer,
  type LocalServer,
} from '../support/servers.js';

// Every call gets a deadline: a hang shows up as a TimeoutError, which the tests reject.
const callTimeout = 5_000;

let certificates: TestCertificates;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(() => {
  certificates = createTestCertificates();
});
afterAll(() => certificates.remove());
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** The harness client identity and CA. */
function clientTls(overrides: TcpTlsOptions = {}): TcpTlsOptions {
  return { ca: certificates.path('ca.pem'), cert: certificates.path('cert.pem'), key: certificates.path('key.pem'), ...overrides };
}

/** A TLS server with the named certificate (server-cert, expired-cert, …). */
async function tlsServer(certificate: string, extra: Record<string, unknown> = {}): Promise<LocalServer> {
  const server = await startHttpsServer({
    cert: certificates.read(`${certificate}-cert.pem`),
    key: certificates.read(`${certificate}-key.pem`),
    ...extra,
  });
  cleanups.push(() => server.close());
  return server;
}

/** A server like dockerd --tlsverify: the client must present a certificate of our CA. */
function mutualTlsServer(extra: Record<string, unknown> = {}): Promise<LocalServer> {
  return tlsServer('server', { ca: certificates.read('ca.pem'), requestCert: true, rejectUnauthorized: true, ...extra });
}

function clientFor(host: string, tls?: TcpTlsOptions, connectTimeout?: number): EngineClient {
  const transport = tcpTransport({ host, ...(tls ? { tls } : {}), ...(connectTimeout ? { connectTimeout } : {}) });
  const client = createEngineClient({ transport, apiVersion: '1.41' });
  cleanups.push(() => client.close());
  return client;
}

async function pingError(client: EngineClient): Promise<ConnectionError> {
  const started = Date.now();
  const error = await ping(client, { timeout: callTimeout }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'ping should have failed').toBeDefined();
  expect(error).not.toBeInstanceOf(TimeoutError);
  expect(Date.now() - started).toBeLessThan(callTimeout);
  expect(error).toBeInstanceOf(ConnectionError);
  return error as ConnectionError;
}

function expectCause(error: ConnectionError, code: string): void {
  expect(error.causeCode).toBe(code);
  expect((error.cause as { code?: unknown }).code).toBe(code);
}

describe('working connections (controls for the fault tests)', () => {
  it('pings over mutual TLS', async () => {
    const server = await mutualTlsServer();
    const result = await ping(clientFor(`tcp://127.0.0.1:${server.port}`, clientTls()), { timeout: callTimeout });
    expect(result).toMatchObject({ body: 'OK', apiVersion: '1.41' });
  });

  it('pings over plain HTTP', async () => {
    const server = await startHttpServer();
    cleanups.push(() => server.close());
    expect((await ping(clientFor(`tcp://127.0.0.1:${server.port}`), { timeout: callTimeout })).body).toBe('OK');
  });

  it('checks the certificate against tls.servername when given', async () => {
    const server = await tlsServer('wrong-san');
    const client = clientFor(`tcp://127.0.0.1:${server.port}`, clientTls({ servername: 'wrong.example' }));
    expect((await ping(client, { timeout: callTimeout })).body).toBe('OK');
  });

  it('keeps connections alive for the calls that follow', async () => {
    const server = await mutualTlsServer();
    const client = clientFor(`tcp://127.0.0.1:${server.port}`, clientTls());
    for (let call = 0; call < 6; call += 1) await ping(client, { timeout: callTimeout });
    // One connection per call without keep-alive; undici may open a second one when a call
    // starts in the same tick the previous reply ended.
    expect(server.connections()).toBeLessThanOrEqual(2);
  });

  it('accepts any certificate only with insecureSkipVerify', async () => {
    const expired = await tlsServer('expired');
    const selfSigned = await tlsServer('self-signed');
    for (const server of [expired, selfSigned]) {
      const client = clientFor(`tcp://127.0.0.1:${server.port}`, { insecureSkipVerify: true });
      expect((await ping(client, { timeout: callTimeout })).body).toBe('OK');
    }
  });
});

describe('describeError with real handshakes', () => {
  it('says the certificate is not trusted when the CA is the wrong one', async () => {
    const server = await tlsServer('server');
    const error = await pingError(clientFor(`tcp://127.0.0.1:${server.port}`, clientTls({ ca: certificates.path('other-ca.pem') })));
    expect(error.shortMessage).toBe(`The engine's certificate is not trusted: check the CA (127.0.0.1:${server.port}).`);
    expectCause(error, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('says the certificate is not trusted when it is self-signed', async () => {
    const server = await tlsServer('self-signed');
    const error = await pingError(clientFor(`tcp://127.0.0.1:${server.port}`, clientTls()));
    expect(error.shortMessage).toMatch(/not trusted: check the CA/);
    expectCause(error, 'DEPTH_ZERO_SELF_SIGNED_CERT');
  });

  it('says the certificate is not trusted when no CA is given (system CAs)', async () => {
    const server = await tlsServer('server');
    const error = await pingError(clientFor(`tcp://127.0.0.1:${server.port}`, {}));
    expect(error.shortMessage).toMatch(/not trusted: check the CA/);
  });

  it('says the certificate has expired', async () => {
    const server = await tlsServer('expired');
    const error = await pingError(clientFor(`tcp://127.0.0.1:${server.port}`, clientTls()));
    expect(error.shortMessage).toBe(`The engine's certificate has expired (127.0.0.1:${server.port}).`);
    expectCause(error, 'CERT_HAS_EXPIRED');
  });

  it('names the host when the certificate is for another name', async () => {
    const server = await tlsServer('wrong-san');
    const error = await pingError(clientFor(`tcp://127.0.0.1:${server.port}`, clientTls()));
    expect(error.shortMessage).toBe(`The engine's certificate is not valid for the name "127.0.0.1" (127.0.0.1:${server.port}).`);
    // Node lists the certificate's IP addresses when the host is an IP.
    expect(error.details).toContain('192.0.2.1');
    expectCause(error, 'ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('names tls.servername when the certificate does not list it', async () => {
    const server = await tlsServer('server');
    const error = await pingError(clientFor(`tcp://127.0.0.1:${server.port}`, clientTls({ servername: 'docker.example' })));
    expect(error.shortMessage).toMatch(/not valid for the name "docker\.example"/);
  });

  it('says a client certificate is required when none was given (TLS 1.3)', async () => {
    const server = await mutualTlsServer();
    const error = await pingError(clientFor(`tcp://127.0.0.1:${server.port}`, { ca: certificates.path('ca.pem') }));
    expect(error.shortMessage).toBe(`The engine requires a client certificate and none was given (127.0.0.1:${server.port}).`);
    expectCause(error, 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
  });

  it('says a client certificate is probably required when none was given (TLS 1.2)', async () => {
    const server = await mutualTlsServer({ maxVersion: 'TLSv1.2' });
    const error = await pingError(clientFor(`tcp://127.0.0.1:${server.port}`, { ca: certificates.path('ca.pem') }));
    expect(error.shortMessage).toMatch(/requires a client certificate and none was given/);
    expect(error.causeCode).toMatch(/^ERR_SSL_/);
  });

  it('says the client certificate was rejected when the engine does not trust its CA', async () => {
    // Node's own TLS server drops such a client without an alert; OpenSSL's sends one, as dockerd does.
    const server = await startOpensslServer(['-Verify', '1', '-verify_return_error', '-CAfile', certificates.path('ca.pem'),
      '-cert', certificates.path('server-cert.pem'), '-key', certificates.path('server-key.pem')]);
    cleanups.push(() => server.close());
    const tls = clientTls({ cert: certificates.path('other-client-cert.pem'), key: certificates.path('other-client-key.pem') });
    const error = await pingError(clientFor(`tcp://127.0.0.1:${server.port}`, tls));
    expect(error.shortMessage).toBe(`The engine rejected the client certificate (127.0.0.1:${server.port}).`);
    expectCause(error, 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA');
  });

  it('says the engine does not speak TLS when a TLS client meets a plain-HTTP port', async () => {
    const server = await startHttpServer();
    cleanups.push(() => server.close());
    const error = await pingError(clientFor(`tcp://127.0.0.1:${server.port}`, clientTls()));
    expect(error.shortMessage).toBe(`The engine does not speak TLS on 127.0.0.1:${server.port}: the reply was not a TLS handshake.`);
    expectCause(error, 'ERR_SSL_WRONG_VERSION_NUMBER');
  });

  it("says the engine expects TLS when a plain client gets Go's HTTPS notice", async () => {
    const server = await startRawReplyServer('HTTP/1.0 400 Bad Request\r\n\r\nClient sent an HTTP request to an HTTPS server.\n');
    cleanups.push(() => server.close());
    const error = await pingError(clientFor(`tcp://127.0.0.1:${server.port}`));
    expect(error.shortMessage).toBe(`The engine on 127.0.0.1:${server.port} expects TLS, but this transport speaks plain HTTP.`);
    expect(error.causeCode).toBe('BERTH_PLAIN_HTTP_TO_TLS_PORT');
    expect((error.cause as Error).message).toContain('Client sent an HTTP request to an HTTPS server.');
  });

  it('passes other header-less 400 replies on as engine errors', async () => {
    const server = await startRawReplyServer('HTTP/1.0 400 Bad Request\r\n\r\nsomething else entirely\n');
    cleanups.push(() => server.close());
    const error = await ping(clientFor(`tcp://127.0.0.1:${server.port}`), { timeout: callTimeout }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ status: 400, engineMessage: 'something else entirely' });
  });

  it('passes a long header-less 400 reply on whole', async () => {
    const body = 'x'.repeat(3000);
    const server = await startRawReplyServer(`HTTP/1.0 400 Bad Request\r\n\r\n${body}`);
    cleanups.push(() => server.close());
    const error = await ping(clientFor(`tcp://127.0.0.1:${server.port}`), { timeout: callTimeout }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).engineMessage).toBe(`${'x'.repeat(500)}…`);
  });

  it("leaves the engine's own error replies alone on plain HTTP", async () => {
    const server = await startHttpServer();
    cleanups.push(() => server.close());
    const error = await inspectImage(clientFor(`tcp://127.0.0.1:${server.port}`), { name: 'nope' }, { timeout: callTimeout }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(NotFoundError);
  });

  it.each([false, true])('names host:port when the connection is refused (tls: %s)', async (tls) => {
    const port = await closedPort();
    const error = await pingError(clientFor(`tcp://127.0.0.1:${port}`, tls ? clientTls() : undefined));
    expect(error.shortMessage).toBe(`Connection refused by 127.0.0.1:${port}: nothing listens there.`);
    expectCause(error, 'ECONNREFUSED');
  });

  it('does not hang on a port that never answers the handshake', async () => {
    const server = await startSilentServer();
    cleanups.push(() => server.close());
    const started = Date.now();
    const error = await ping(clientFor(`tcp://127.0.0.1:${server.port}`, clientTls(), 300), { timeout: callTimeout }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).causeCode).toBe('UND_ERR_CONNECT_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe('describeTcpError', () => {
  const context = { authority: 'h:2376', tls: true, servername: 'h', clientCertificate: false };

  it('leaves errors it does not know to the default mapping', () => {
    expect(describeTcpError(Object.assign(new Error('slow'), { code: 'UND_ERR_BODY_TIMEOUT' }), context)).toBeUndefined();
    expect(describeTcpError(new Error('no code'), context)).toBeUndefined();
    expect(describeTcpError('not an error', context)).toBeUndefined();
  });

  it('keeps TLS explanations for TLS transports', () => {
    const wrongVersion = Object.assign(new Error('wrong version number'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' });
    expect(describeTcpError(wrongVersion, { ...context, tls: false })).toBeUndefined();
    expect(describeTcpError(wrongVersion, context)).toBeInstanceOf(ConnectionError);
  });

  // Regression (issue 9, bug 5): on Node 22 and 24 (OpenSSL 3.5) the hints were lost.
  it.each([
    ['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', /probably requires a client certificate/],
    ['ERR_SSL_SSL/TLS_ALERT_HANDSHAKE_FAILURE', /probably requires a client certificate/],
    ['ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', /requires a client certificate and none was given/],
    ['ERR_SSL_SSL/TLS_ALERT_BAD_CERTIFICATE', /requires a client certificate and none was given/],
    ['ERR_SSL_SSL/TLS_ALERT_CERTIFICATE_EXPIRED', /requires a client certificate and none was given/],
  ])('reads the OpenSSL alert %s whichever OpenSSL spelled it', (code, expected) => {
    const error = Object.assign(new Error(`alert ${code}`), { code });
    const described = describeTcpError(error, context) as ConnectionError;
    expect(described).toBeInstanceOf(ConnectionError);
    expect(described.shortMessage).toMatch(expected);
    expect(described.causeCode).toBe(code);
  });

  it('reads an EPROTO "wrong version number" as a plain-HTTP port', () => {
    const error = Object.assign(new Error('write EPROTO 00:error:ssl3_get_record:wrong version number'), { code: 'EPROTO' });
    expect((describeTcpError(error, context) as ConnectionError).shortMessage).toMatch(/does not speak TLS on h:2376/);
  });
});
