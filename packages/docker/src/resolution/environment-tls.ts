import { join } from 'node:path';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { fileExists } from './file-exists.js';
import type { EndpointTls } from './resolved-endpoint.js';

/**
 * What the TLS variables ask for: `DOCKER_TLS_VERIFY` (ANY non-empty value, even `0`) means TLS
 * with verification, `DOCKER_TLS` (non-empty) TLS without; files come from `DOCKER_CERT_PATH`,
 * else the configuration directory.
 *
 * @example
 * ```ts
 * const request: TlsRequest = { verify: true, certificateDirectory: '/home/me/.docker' };
 * ```
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
 * Finds the files of a {@link TlsRequest} as the CLI does: `ca.pem` must exist (the CLI reads
 * it unconditionally); `cert.pem` and `key.pem` are used when both exist.
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
  const [hasCa, hasCert, hasKey] = await Promise.all([fileExists(caFile), fileExists(certificateFile), fileExists(keyFile)]);
  if (!hasCa) {
    throw new InvalidArgumentError(`TLS is on but the CA certificate ${caFile} does not exist.`, {
      argument: 'DOCKER_CERT_PATH',
      metaMessages: [
        `TLS turned on by: ${request.verify ? 'DOCKER_TLS_VERIFY' : 'DOCKER_TLS'}`,
        `Certificates folder (${request.certificateDirectorySource}): ${request.certificateDirectory}`,
      ],
      details: 'Point DOCKER_CERT_PATH at the folder holding ca.pem, cert.pem and key.pem, or unset DOCKER_TLS_VERIFY / DOCKER_TLS.',
    });
  }
  return { verify: request.verify, caFile, ...(hasCert && hasKey ? { certificateFile, keyFile } : {}) };
}
