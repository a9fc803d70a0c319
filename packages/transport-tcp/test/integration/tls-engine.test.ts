// The real harness engine over its --tlsverify TCP listener (BERTH_HARNESS_TLS=1), and every
// TLS fault a user can run into, each as a typed error within a per-call deadline.
import { readFileSync } from 'node:fs';
import {
  ConnectionError,
  TimeoutError,
  createEngineClient,
  getVersion,
  inspectImage,
  listImages,
  ping,
  saveImages,
  type EngineClient,
} from '@berth/engine-protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tcpTransport, tlsOptionsFromCertPath, type TcpTlsOptions } from '../../src/index.js';
import { startEngineFront, type EngineFront } from '../support/engine-front.js';
import { tarEntryNames } from '../support/tar-names.js';
import { createTcpTestTransport, findTlsTestEngine } from '../support/tls-test-engine.js';

const engine = findTlsTestEngine();
// A failure must come back as an error well within this; a hang would end as TimeoutError.
const callTimeout = 10_000;

describe.runIf(engine)('tcpTransport against the harness engine over mutual TLS', () => {
  const harness = engine!;
  let client: EngineClient;

  beforeAll(() => {
    client = createEngineClient({ transport: createTcpTestTransport() });
  });
  afterAll(() => client.close());

  it('pings and negotiates the engine API version', async () => {
    const result = await ping(client, { timeout: callTimeout });
    expect(result.body).toBe('OK');
    expect(result.apiVersion).toBe(harness.apiVersion);
    expect(client.transport.description).toBe(`${harness.tlsHost} (TLS)`);
  });

  it('reads the version', async () => {
    const version = await getVersion(client, { timeout: callTimeout });
    expect(version.ApiVersion).toBe(harness.apiVersion);
    expect(version.Os).toBe('linux');
  });

  it('lists and inspects the seed image', async () => {
    const images = await listImages(client, {}, { timeout: callTimeout });
    const seed = images.find((image) => image.RepoTags?.includes(harness.seedImage));
    expect(seed, `${harness.seedImage} in the list`).toBeDefined();
    const inspected = await inspectImage(client, { name: harness.seedImage }, { timeout: callTimeout });
    expect(inspected.Id).toBe(seed!.Id);
    expect(inspected.RepoTags).toContain(harness.seedImage);
  });

  it('streams a saved image to its end', async () => {
    const tar = await saveImages(client, { names: harness.seedImage }, { timeout: 60_000 });
    const chunks: Buffer[] = [];
    for await (const chunk of tar) chunks.push(chunk as Buffer);
    const archive = Buffer.concat(chunks);
    expect(archive.length % 512).toBe(0);
    const names = tarEntryNames(archive);
    expect(names).toContain('manifest.json');
    expect(names.some((name) => name.endsWith('layer.tar'))).toBe(true);
  });

  it('serves concurrent calls over the pool', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => ping(client, { timeout: callTimeout })));
    expect(results.map((result) => result.body)).toEqual(Array(8).fill('OK'));
  });

  it('takes the certificates as file paths and through https://localhost', async () => {
    const transport = tcpTransport({
      host: harness.tlsHost.replace('tcp://127.0.0.1', 'https://localhost'),
      tls: { ca: harness.certificate('ca.pem'), cert: harness.certificate('cert.pem'), key: harness.certificate('key.pem') },
    });
    const other = createEngineClient({ transport });
    expect((await ping(other, { timeout: callTimeout })).body).toBe('OK');
    await other.close();
  });
});

describe.runIf(engine)('TLS faults against the harness engine', () => {
  const harness = engine!;
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });

  function clientTls(overrides: TcpTlsOptions = {}): TcpTlsOptions {
    return { ...tlsOptionsFromCertPath(harness.certificates), ...overrides };
  }

  function clientFor(host: string, tls?: TcpTlsOptions): EngineClient {
    const faulty = createEngineClient({ transport: tcpTransport({ host, ...(tls ? { tls } : {}) }) });
    cleanups.push(() => faulty.close());
    return faulty;
  }

  async function front(tls?: Parameters<typeof startEngineFront>[1]): Promise<EngineFront> {
    const started = await startEngineFront(harness.socketPath, tls);
    cleanups.push(() => started.close());
    return started;
  }

  /** A TLS front presenting the named certificate of tls.sh (`expired`, `wrong-san`, `server`). */
  function tlsFront(certificate: string): Promise<EngineFront> {
    return front({
      cert: readFileSync(harness.certificate(`${certificate}-cert.pem`)),
      key: readFileSync(harness.certificate(`${certificate}-key.pem`)),
    });
  }

  async function connectionError(faulty: EngineClient): Promise<ConnectionError> {
    const started = Date.now();
    const error = await ping(faulty, { timeout: callTimeout }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error, 'the call should have failed').toBeDefined();
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(callTimeout);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).cause).toBeDefined();
    return error as ConnectionError;
  }

  const authority = (host: string): string => host.replace('tcp://', '');

  it('wrong CA: the engine certificate is not trusted', async () => {
    const error = await connectionError(clientFor(harness.tlsHost, clientTls({ ca: harness.certificate('other-ca.pem') })));
    expect(error.shortMessage).toBe(`The engine's certificate is not trusted: check the CA (${authority(harness.tlsHost)}).`);
    expect(error.causeCode).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('client without a certificate: the engine requires one', async () => {
    const error = await connectionError(clientFor(harness.tlsHost, { ca: harness.certificate('ca.pem') }));
    expect(error.shortMessage).toBe(`The engine requires a client certificate and none was given (${authority(harness.tlsHost)}).`);
    // Go answers with a bad_certificate alert (certificate_required from Go 1.21 on).
    expect(error.causeCode).toMatch(/^ERR_SSL_.*(BAD_CERTIFICATE|CERTIFICATE_REQUIRED)$/);
  });

  it('client certificate of another CA: the engine rejects it', async () => {
    const tls = clientTls({ cert: harness.certificate('other-client-cert.pem'), key: harness.certificate('other-client-key.pem') });
    const error = await connectionError(clientFor(harness.tlsHost, tls));
    expect(error.shortMessage).toBe(`The engine rejected the client certificate (${authority(harness.tlsHost)}).`);
  });

  it('expired engine certificate', async () => {
    const control = await tlsFront('server');
    expect((await ping(clientFor(control.host, clientTls()), { timeout: callTimeout })).apiVersion).toBe(harness.apiVersion);
    const expired = await tlsFront('expired');
    const error = await connectionError(clientFor(expired.host, clientTls()));
    expect(error.shortMessage).toBe(`The engine's certificate has expired (${authority(expired.host)}).`);
    expect(error.causeCode).toBe('CERT_HAS_EXPIRED');
  });

  it('engine certificate for other names (SAN mismatch)', async () => {
    const misnamed = await tlsFront('wrong-san');
    const error = await connectionError(clientFor(misnamed.host, clientTls()));
    expect(error.shortMessage).toBe(`The engine's certificate is not valid for the name "127.0.0.1" (${authority(misnamed.host)}).`);
    expect(error.causeCode).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it("a servername the engine's own certificate does not list", async () => {
    const error = await connectionError(clientFor(harness.tlsHost, clientTls({ servername: 'docker.example' })));
    expect(error.shortMessage).toMatch(/not valid for the name "docker\.example"/);
    expect(error.details).toContain('DNS:localhost');
  });

  it('plain-HTTP client on the TLS port', async () => {
    const error = await connectionError(clientFor(harness.tlsHost));
    expect(error.shortMessage).toBe(`The engine on ${authority(harness.tlsHost)} expects TLS, but this transport speaks plain HTTP.`);
    expect(error.causeCode).toBe('BERTH_PLAIN_HTTP_TO_TLS_PORT');
  });

  it('TLS client on a plain-HTTP engine port', async () => {
    const plain = await front();
    expect((await ping(clientFor(plain.host), { timeout: callTimeout })).apiVersion).toBe(harness.apiVersion);
    const error = await connectionError(clientFor(plain.host, clientTls()));
    expect(error.shortMessage).toBe(`The engine does not speak TLS on ${authority(plain.host)}: the reply was not a TLS handshake.`);
    expect(error.causeCode).toBe('ERR_SSL_WRONG_VERSION_NUMBER');
  });

  it('TLS client on a plain-HTTP Go server (the registry)', async () => {
    const error = await connectionError(clientFor(`tcp://${harness.registry}`, clientTls()));
    expect(error.shortMessage).toMatch(/does not speak TLS/);
  });

  it('connection refused names host:port', async () => {
    const gone = await front();
    await gone.close();
    const error = await connectionError(clientFor(gone.host, clientTls()));
    expect(error.shortMessage).toBe(`Connection refused by ${authority(gone.host)}: nothing listens there.`);
  });
});
