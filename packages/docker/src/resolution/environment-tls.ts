import { join } from 'node:path';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { fileExists } from './file-exists.js';
import type { EndpointTls } from './resolved-endpoint.js';

/**
 * What the TLS variables ask for: `DOCKER_TLS_VERIFY` (ANY non-empty value, even `0`) means TLS
 * with verification, `DOCKER_TLS` (non-empty) TLS without; files come from `DOCKER_CERT_PATH`,
 * else the configuration directory.
 */
export interface TlsRequest {
  /** Check the engine's certificate. */
  readonly verify: boolean;
  /** Folder holding `ca.pem`, `cert.pem`, `key.pem`. */
  readonly certificateDirectory: string;
  /** Which variable set the folder, for messages. */
  readonly certificateDirectorySource: 'DOCKER_CERT_PATH' | 'the Docker configuration directory';
}

/**
 * Reads the TLS variables of the default context; `undefined` when TLS is off.
 *
 * @example
 * ```ts
 * tlsRequestFromEnvironment({ DOCKER_TLS_VERIFY: '0' }, '/home/me/.docker'); // { verify: true, … }: any value counts
 * ```
 */
export function tlsRequestFromEnvironment(
  environment: Readonly<Record<string, string | undefined>>,
  configDirectory: string,
): TlsRequest | undefined {
  const verify = (environment['DOCKER_TLS_VERIFY'] ?? '') !== '';
  const enabled = verify || (environment['DOCKER_TLS'] ?? '') !== '';
  if (!enabled) return undefined;
  const certPath = environment['DOCKER_CERT_PATH'] ?? '';
  return certPath === ''
    ? { verify, certificateDirectory: configDirectory, certificateDirectorySource: 'the Docker configuration directory' }
    : { verify, certificateDirectory: certPath, certificateDirectorySource: 'DOCKER_CERT_PATH' };
}

/**
 * Finds the files of a {@link TlsRequest} as the CLI does: with verification (`DOCKER_TLS_VERIFY`)
 * `ca.pem` must exist; without it (`DOCKER_TLS` alone) the CLI never reads the CA, so neither
 * does Berth, and a missing `ca.pem` is fine. `cert.pem` and `key.pem` are presented when both
 * exist, verified or not.
 *
 * @example
 * ```ts
 * const tls = await loadTlsFiles({ verify: true, certificateDirectory: '/certs', certificateDirectorySource: 'DOCKER_CERT_PATH' });
 * ```
 */
export async function loadTlsFiles(request: TlsRequest): Promise<EndpointTls> {
  const caFile = join(request.certificateDirectory, 'ca.pem');
  const certificateFile = join(request.certificateDirectory, 'cert.pem');
  const keyFile = join(request.certificateDirectory, 'key.pem');
  const [hasCert, hasKey] = await Promise.all([fileExists(certificateFile), fileExists(keyFile)]);
  const clientCertificate = hasCert && hasKey ? { certificateFile, keyFile } : {};
  // go-connections' tlsconfig loads the CA only when it verifies (!InsecureSkipVerify).
  if (!request.verify) return { verify: false, ...clientCertificate };
  if (!(await fileExists(caFile))) {
    throw new InvalidArgumentError(`TLS verification is on but the CA certificate ${caFile} does not exist.`, {
      argument: 'DOCKER_CERT_PATH',
      metaMessages: [
        'TLS turned on by: DOCKER_TLS_VERIFY',
        `Certificates folder (${request.certificateDirectorySource}): ${request.certificateDirectory}`,
      ],
      details: 'Point DOCKER_CERT_PATH at the folder holding ca.pem, cert.pem and key.pem, or unset DOCKER_TLS_VERIFY (DOCKER_TLS alone skips verification and needs no CA).',
    });
  }
  return { verify: true, caFile, ...clientCertificate };
}
