import { ConnectionError } from '@berth/engine-protocol';
import { errorCode } from '@berth/engine-protocol/internal';

/**
 * What {@link describeTcpError} needs to know about the transport.
 *
 * @example
 * ```ts
 * const context: TcpErrorContext = { authority: '10.0.0.5:2376', tls: true, servername: '10.0.0.5', clientCertificate: false };
 * ```
 */
export interface TcpErrorContext {
  /** `host:port` of the engine. */
  readonly authority: string;
  /** Whether the transport speaks TLS. */
  readonly tls: boolean;
  /** The name the engine's certificate is checked against (servername or host). */
  readonly servername: string;
  /** Whether a client certificate is configured. */
  readonly clientCertificate: boolean;
}

// OpenSSL verification results meaning "no trusted chain to this certificate".
const untrustedCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'INVALID_CA',
  'CERT_REJECTED',
]);

// TLS alerts a server sends when it refuses (or misses) the client's certificate.
const clientCertificateAlerts = new Set([
  'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
  'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN',
  'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED',
  'ERR_SSL_SSLV3_ALERT_CERTIFICATE_REVOKED',
  'ERR_SSL_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE',
  'ERR_SSL_TLSV1_ALERT_ACCESS_DENIED',
]);

/**
 * OpenSSL 3.5 (Node 22.20+, 24) renamed the `SSLV3_ALERT_*` reasons to `SSL/TLS_ALERT_*`
 * (`ERR_SSL_SSL/TLS_ALERT_BAD_CERTIFICATE`); both spellings are read as the older one.
 */
function canonicalAlertCode(code: string): string {
  return code.startsWith('ERR_SSL_SSL/TLS_ALERT_') ? `ERR_SSL_SSLV3_ALERT_${code.slice('ERR_SSL_SSL/TLS_ALERT_'.length)}` : code;
}

// OpenSSL's reading of an HTTP reply as if it were a TLS record.
const notTlsCodes = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_RECORD_LAYER_FAILURE']);

const clientCertificateHint = 'Pass tls.cert and tls.key (the cert.pem and key.pem of DOCKER_CERT_PATH).';

/**
 * Turns a connection-level failure of a TCP/TLS transport into a `ConnectionError` that says
 * what went wrong and where (`host:port`): connection refused, an untrusted, expired or
 * misnamed engine certificate, a missing or refused client certificate, TLS spoken to a
 * plain-HTTP port. The system or undici code stays as `causeCode`, the original as `cause`.
 * Returns `undefined` for anything else (the protocol layer's default mapping applies).
 *
 * @example
 * ```ts
 * const described = describeTcpError(error, { authority: '10.0.0.5:2376', tls: true, servername: '10.0.0.5', clientCertificate: true });
 * ```
 */
export function describeTcpError(error: unknown, context: TcpErrorContext): Error | undefined {
  const code = errorCode(error);
  if (code === undefined) return undefined;
  const where = context.authority;
  const options = { cause: error, causeCode: code };
  const reason = tlsReason(error);

  if (code === 'ECONNREFUSED') {
    return new ConnectionError(`Connection refused by ${where}: nothing listens there.`, {
      ...options,
      details: `Is the engine running and listening on ${where}? (dockerd -H tcp://…; 2376 is the usual TLS port, 2375 the plain one)`,
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ConnectionError(`Cannot resolve the engine's host name in ${where} (${code}).`, options);
  }
  if (!context.tls) return undefined;

  if (untrustedCodes.has(code)) {
    return new ConnectionError(`The engine's certificate is not trusted: check the CA (${where}).`, {
      ...options,
      details: `${reason ?? code}. The CA given as tls.ca (ca.pem of DOCKER_CERT_PATH) must be the one that signed the engine's certificate (dockerd --tlscacert / --tlscert).`,
    });
  }
  if (code === 'CERT_HAS_EXPIRED') {
    return new ConnectionError(`The engine's certificate has expired (${where}).`, {
      ...options,
      details: "Renew the engine's certificate (dockerd --tlscert), or check this machine's clock.",
    });
  }
  if (code === 'CERT_NOT_YET_VALID') {
    return new ConnectionError(`The engine's certificate is not valid yet (${where}).`, {
      ...options,
      details: "Check this machine's clock.",
    });
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new ConnectionError(`The engine's certificate is not valid for the name "${context.servername}" (${where}).`, {
      ...options,
      details: `${reason ?? code}. Connect through a name the certificate lists, or set tls.servername to one of them.`,
    });
  }
  const alert = canonicalAlertCode(code);
  if (clientCertificateAlerts.has(alert)) {
    return context.clientCertificate
      ? new ConnectionError(`The engine rejected the client certificate (${where}).`, {
          ...options,
          details: `${reason ?? code}. The client certificate must be signed by the CA the engine trusts (dockerd --tlscacert), be valid now, and allow client authentication (extendedKeyUsage clientAuth).`,
        })
      : new ConnectionError(`The engine requires a client certificate and none was given (${where}).`, {
          ...options,
          details: `${reason ?? code}. The engine runs with --tlsverify. ${clientCertificateHint}`,
        });
  }
  if (alert === 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE') {
    return new ConnectionError(
      context.clientCertificate
        ? `The engine refused the TLS handshake (${where}).`
        : `The engine refused the TLS handshake (${where}): it probably requires a client certificate and none was given.`,
      {
        ...options,
        details: `${reason ?? code}. ${context.clientCertificate ? 'Client and engine may share no TLS version or cipher.' : clientCertificateHint}`,
      },
    );
  }
  if (notTlsCodes.has(code) || (code === 'EPROTO' && /wrong version number/i.test(messageOf(error)))) {
    return new ConnectionError(`The engine does not speak TLS on ${where}: the reply was not a TLS handshake.`, {
      ...options,
      details: 'It is probably a plain-HTTP port (2375 by convention): drop the TLS options, or connect to the TLS port (2376 by convention).',
    });
  }
  if (code === 'ECONNRESET' && /before secure TLS connection/i.test(messageOf(error))) {
    return new ConnectionError(`The connection to ${where} closed during the TLS handshake.`, {
      ...options,
      details: 'The port may not speak TLS, or something in between refused the connection.',
    });
  }
  return undefined;
}

/** Node's TLS errors carry a readable `reason` (for example the certificate's names). */
function tlsReason(error: unknown): string | undefined {
  const reason = typeof error === 'object' && error !== null ? (error as { reason?: unknown }).reason : undefined;
  if (typeof reason === 'string' && reason !== '') return reason;
  const message = messageOf(error);
  return message === '' ? undefined : message.split('\n')[0];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : '';
}
