import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tcpTransport, tlsOptionsFromCertPath } from '../../src/index.js';
import { loadTlsMaterial } from '../../src/tls-material.js';
import { createTestCertificates, type TestCertificates } from '../support/certificates.js';

let certificates: TestCertificates;
let scratch: string;

beforeAll(() => {
  certificates = createTestCertificates();
  scratch = mkdtempSync(join(tmpdir(), 'berth-tcp-material-'));
});
afterAll(() => {
  certificates.remove();
  rmSync(scratch, { recursive: true, force: true });
});

describe('PEM content or file path', () => {
  it('reads a string without -----BEGIN as a file path', () => {
    const loaded = loadTlsMaterial({ ca: certificates.path('ca.pem'), cert: certificates.path('cert.pem'), key: certificates.path('key.pem') });
    expect(loaded.ca).toEqual([certificates.read('ca.pem')]);
    expect(loaded.cert).toEqual(certificates.read('cert.pem'));
    expect(loaded.key).toEqual(certificates.read('key.pem'));
  });

  it('takes a string with -----BEGIN as the PEM itself', () => {
    const caPem = certificates.read('ca.pem').toString('utf8');
    const loaded = loadTlsMaterial({ ca: caPem });
    expect(loaded.ca?.[0]?.toString('utf8')).toBe(caPem);
    expect(loaded.cert).toBeUndefined();
  });

  it('takes Buffers and other Uint8Arrays holding PEM', () => {
    const cert = certificates.read('cert.pem');
    const key = new Uint8Array(certificates.read('key.pem'));
    const loaded = loadTlsMaterial({ cert, key });
    expect(loaded.cert).toEqual(cert);
    expect(Buffer.compare(loaded.key!, Buffer.from(key))).toBe(0);
  });

  it('takes several CAs, mixing paths and PEM', () => {
    const loaded = loadTlsMaterial({ ca: [certificates.path('ca.pem'), certificates.read('other-ca.pem')] });
    expect(loaded.ca).toEqual([certificates.read('ca.pem'), certificates.read('other-ca.pem')]);
  });

  it('names the option and the path of a missing file', () => {
    const missing = join(scratch, 'nope', 'ca.pem');
    const error = catchError(() => loadTlsMaterial({ ca: missing }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('tls.ca');
    expect((error as Error).message).toContain(missing);
    expect((error as Error).message).toContain('ENOENT');
  });

  it('refuses bytes that are not PEM', () => {
    const error = catchError(() => loadTlsMaterial({ ca: Buffer.from([0x30, 0x82, 0x01, 0x0a]) }));
    expect((error as Error).message).toMatch(/not PEM/);
  });

  it('refuses a file that is not PEM', () => {
    const path = join(scratch, 'ca.der');
    writeFileSync(path, Buffer.from([0x30, 0x82, 0x01, 0x0a]));
    const error = catchError(() => loadTlsMaterial({ ca: path }));
    expect((error as InvalidArgumentError).argument).toBe('tls.ca');
    expect((error as Error).message).toContain(`${path}) does not contain a certificate`);
  });

  it('catches swapped certificate and key without showing the key', () => {
    const keyPem = certificates.read('key.pem').toString('utf8');
    const error = catchError(() => loadTlsMaterial({ cert: keyPem, key: certificates.read('cert.pem') }));
    expect((error as InvalidArgumentError).argument).toBe('tls.cert');
    const keyBody = keyPem.split('\n')[1]!;
    expect(keyBody.length).toBeGreaterThan(20);
    expect((error as Error).message).not.toContain(keyBody);
    const keyAsCa = catchError(() => loadTlsMaterial({ ca: keyPem }));
    expect((keyAsCa as Error).message).not.toContain(keyBody);
  });

  it('needs cert and key together', () => {
    expect((catchError(() => loadTlsMaterial({ cert: certificates.path('cert.pem') })) as InvalidArgumentError).argument).toBe('tls.key');
    expect((catchError(() => loadTlsMaterial({ key: certificates.path('key.pem') })) as InvalidArgumentError).argument).toBe('tls.cert');
  });

  it('refuses an empty CA list and an empty path', () => {
    expect(catchError(() => loadTlsMaterial({ ca: [] }))).toBeInstanceOf(InvalidArgumentError);
    expect(catchError(() => loadTlsMaterial({ ca: '' }))).toBeInstanceOf(InvalidArgumentError);
  });

  it('checks the files when the transport is created, before any connection', () => {
    const error = catchError(() => tcpTransport({ host: 'tcp://127.0.0.1:1', tls: { ca: join(scratch, 'absent.pem') } }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
  });
});

describe('tlsOptionsFromCertPath', () => {
  it('reads ca.pem, cert.pem and key.pem of a Docker certificate folder', () => {
    const options = tlsOptionsFromCertPath(certificates.directory);
    expect(options).toEqual({ ca: certificates.read('ca.pem'), cert: certificates.read('cert.pem'), key: certificates.read('key.pem') });
    expect(options.insecureSkipVerify).toBeUndefined();
  });

  it('leaves out missing files, like the Docker CLI', () => {
    const onlyCa = folderWith(['ca.pem']);
    expect(tlsOptionsFromCertPath(onlyCa)).toEqual({ ca: certificates.read('ca.pem') });
    const clientOnly = folderWith(['cert.pem', 'key.pem']);
    expect(tlsOptionsFromCertPath(clientOnly)).toEqual({ cert: certificates.read('cert.pem'), key: certificates.read('key.pem') });
    expect(tlsOptionsFromCertPath(folderWith([]))).toEqual({});
    expect(tlsOptionsFromCertPath(join(scratch, 'does-not-exist'))).toEqual({});
  });

  it('refuses half a client certificate', () => {
    const folder = folderWith(['ca.pem', 'cert.pem']);
    const error = catchError(() => tlsOptionsFromCertPath(folder));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toContain('key.pem does not');
  });

  it('refuses a ca.pem that holds something else', () => {
    const folder = folderWith([]);
    copyFileSync(certificates.path('key.pem'), join(folder, 'ca.pem'));
    expect((catchError(() => tlsOptionsFromCertPath(folder)) as Error).message).toMatch(/ca\.pem does not contain a certificate/);
  });

  it('refuses an empty folder name', () => {
    expect(catchError(() => tlsOptionsFromCertPath(''))).toBeInstanceOf(InvalidArgumentError);
  });
});

function folderWith(files: string[]): string {
  const directory = mkdtempSync(join(scratch, 'folder-'));
  for (const file of files) copyFileSync(certificates.path(file), join(directory, file));
  return directory;
}

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
