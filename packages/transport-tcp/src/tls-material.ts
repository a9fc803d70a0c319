import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { definedEntries } from '@berth/engine-protocol/internal';

/**
 * A certificate or key: PEM text (a string or bytes containing `-----BEGIN`) or the path of a
 * PEM file. Strings without `-----BEGIN` are read as file paths.
 *
 * @example
 * ```ts
 * const fromFile: TlsMaterial = '/home/me/.docker/ca.pem';
 * const inline: TlsMaterial = process.env.ENGINE_CA_PEM!; // '-----BEGIN CERTIFICATE-----\n…'
 * ```
 */
export type TlsMaterial = string | Uint8Array;

/**
 * TLS settings of `tcpTransport`; verification is on unless `insecureSkipVerify` says otherwise.
 *
 * @example
 * ```ts
 * const tls: TcpTlsOptions = { ca: '/certs/ca.pem', cert: '/certs/cert.pem', key: '/certs/key.pem', servername: 'docker.internal' };
 * ```
 */
export interface TcpTlsOptions {
  /** CA certificate(s) that signed the engine's certificate. Default: the system CAs. */
  readonly ca?: TlsMaterial | readonly TlsMaterial[] | undefined;
  /** Client certificate, for engines started with `--tlsverify`. Needs `key`. */
  readonly cert?: TlsMaterial | undefined;
  /** Private key of the client certificate. Needs `cert`. */
  readonly key?: TlsMaterial | undefined;
  /** Name to check the engine's certificate against (and to send as SNI). Default: the host. */
  readonly servername?: string | undefined;
  /**
   * DANGER: accept any certificate the engine presents, from anyone, for any name (what
   * `DOCKER_TLS` without `DOCKER_TLS_VERIFY` does). Traffic is encrypted but the engine is
   * not authenticated. Default: `false`.
   */
  readonly insecureSkipVerify?: boolean | undefined;
}

/**
 * The `ca`, `cert` and `key` of a {@link TcpTlsOptions}, loaded as PEM bytes.
 *
 * @example
 * ```ts
 * const { ca, cert, key }: LoadedTlsMaterial = loadTlsMaterial({ ca: '/certs/ca.pem' });
 * ```
 */
export interface LoadedTlsMaterial {
  readonly ca?: Buffer[];
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

type MaterialKind = 'ca' | 'cert' | 'key';

const pemStart = '-----BEGIN';
// What each option must contain, to catch swapped files before a confusing handshake error.
const expectedBlock: Record<MaterialKind, { marker: RegExp; label: string }> = {
  ca: { marker: /-----BEGIN (TRUSTED )?CERTIFICATE-----/, label: 'a certificate (BEGIN CERTIFICATE)' },
  cert: { marker: /-----BEGIN (TRUSTED )?CERTIFICATE-----/, label: 'a certificate (BEGIN CERTIFICATE)' },
  key: { marker: /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/, label: 'a private key (BEGIN … PRIVATE KEY)' },
};

/**
 * Loads `ca`, `cert` and `key` (PEM text or file paths) into PEM bytes, checking that each
 * holds what its name says and that `cert` and `key` come together. Errors name the option
 * and the path, never the content.
 *
 * @example
 * ```ts
 * const material = loadTlsMaterial({ ca: '/certs/ca.pem', cert: process.env['ENGINE_CERT_PEM'], key: '/certs/key.pem' });
 * ```
 */
export function loadTlsMaterial(options: TcpTlsOptions): LoadedTlsMaterial {
  if ((options.cert === undefined) !== (options.key === undefined)) {
    const missing = options.cert === undefined ? 'cert' : 'key';
    throw new InvalidArgumentError(`tls.${missing} is missing: a client certificate needs both tls.cert and tls.key.`, {
      argument: `tls.${missing}`,
    });
  }
  const cas = options.ca === undefined ? undefined : isMaterialList(options.ca) ? [...options.ca] : [options.ca];
  if (cas !== undefined && cas.length === 0) {
    throw new InvalidArgumentError('tls.ca is an empty list: leave it out to use the system CAs.', { argument: 'tls.ca' });
  }
  return {
    ...(cas === undefined ? {} : { ca: cas.map((item) => loadOne(item, 'ca')) }),
    ...(options.cert === undefined ? {} : { cert: loadOne(options.cert, 'cert') }),
    ...(options.key === undefined ? {} : { key: loadOne(options.key, 'key') }),
  };
}

/**
 * Reads the Docker CLI's certificate folder (`DOCKER_CERT_PATH`): `ca.pem`, `cert.pem` and
 * `key.pem`. Like the CLI, a missing file (or folder) is left out: without `ca.pem` the system
 * CAs apply, without `cert.pem`/`key.pem` no client certificate is sent. Having only one of
 * `cert.pem` and `key.pem` is an error. Verification stays on.
 *
 * @example
 * ```ts
 * import { tcpTransport, tlsOptionsFromCertPath } from '@berth/transport-tcp';
 *
 * const transport = tcpTransport({
 *   host: 'tcp://build-host:2376',
 *   tls: tlsOptionsFromCertPath(process.env.DOCKER_CERT_PATH ?? `${process.env.HOME}/.docker`),
 * });
 * ```
 */
export function tlsOptionsFromCertPath(directory: string): TcpTlsOptions {
  if (typeof directory !== 'string' || directory === '') {
    throw new InvalidArgumentError('The certificate folder must be a non-empty path.', { argument: 'directory' });
  }
  const ca = readIfPresent(join(directory, 'ca.pem'), 'ca');
  const cert = readIfPresent(join(directory, 'cert.pem'), 'cert');
  const key = readIfPresent(join(directory, 'key.pem'), 'key');
  if ((cert === undefined) !== (key === undefined)) {
    const [present, missing] = cert === undefined ? ['key.pem', 'cert.pem'] : ['cert.pem', 'key.pem'];
    throw new InvalidArgumentError(`${join(directory, present)} exists but ${missing} does not: a client certificate needs both.`, {
      argument: 'directory',
    });
  }
  return {
    ...definedEntries({ ca, cert, key }),
  };
}

function isMaterialList(value: TlsMaterial | readonly TlsMaterial[]): value is readonly TlsMaterial[] {
  return Array.isArray(value);
}

function loadOne(value: TlsMaterial, kind: MaterialKind): Buffer {
  const argument = `tls.${kind}`;
  if (typeof value === 'string') {
    if (value.includes(pemStart)) return checkKind(Buffer.from(value, 'utf8'), kind, `tls.${kind}`);
    if (value.trim() === '') throw new InvalidArgumentError(`${argument} is empty.`, { argument });
    return checkKind(readPemFile(value, kind), kind, `${argument} (${value})`);
  }
  if (value instanceof Uint8Array) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    if (!bytes.includes(pemStart)) {
      throw new InvalidArgumentError(`${argument} holds bytes that are not PEM (no "${pemStart}"); DER is not supported, convert it with openssl.`, {
        argument,
      });
    }
    return checkKind(bytes, kind, argument);
  }
  throw new InvalidArgumentError(`${argument} must be PEM text, PEM bytes or a file path.`, { argument });
}

function readPemFile(path: string, kind: MaterialKind): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new InvalidArgumentError(`Cannot read tls.${kind} from ${path} (${typeof code === 'string' ? code : 'read error'}).`, {
      argument: `tls.${kind}`,
      cause: error,
      details: `A string without "${pemStart}" is taken as a file path.`,
    });
  }
}

function readIfPresent(path: string, kind: MaterialKind): Buffer | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
  } catch {
    return undefined;
  }
  const content = readPemFile(path, kind);
  return checkKind(content, kind, path);
}

function checkKind(content: Buffer, kind: MaterialKind, where: string): Buffer {
  const expected = expectedBlock[kind];
  if (!expected.marker.test(content.toString('latin1'))) {
    throw new InvalidArgumentError(`${where} does not contain ${expected.label}.`, { argument: `tls.${kind}` });
  }
  return content;
}
