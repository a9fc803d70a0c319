import { InvalidArgumentError, type Transport } from '@berth/engine-protocol';
import { deferredDispatcher, resolveMilliseconds } from '@berth/engine-protocol/internal';
import type { buildConnector } from 'undici';
import { describeTcpError } from './describe-error.js';
import { parseTcpHost } from './parse-host.js';
import { detectPlainHttpToTlsPort } from './plain-to-tls-detector.js';
import { loadTlsMaterial, type TcpTlsOptions } from './tls-material.js';

/**
 * Options of {@link tcpTransport}.
 *
 * @example
 * ```ts
 * const options: TcpTransportOptions = { host: 'tcp://10.0.0.5:2376', tls: tlsOptionsFromCertPath('/certs'), connectTimeout: 5_000 };
 * ```
 */
export interface TcpTransportOptions {
  /**
   * The engine's address: `tcp://HOST[:PORT]` (TLS when `tls` is given), `https://HOST[:PORT]`
   * (always TLS) or `http://HOST[:PORT]` (never TLS). The port defaults to 2376 with TLS and
   * 2375 without. IPv6 addresses go in brackets: `tcp://[::1]:2376`.
   */
  readonly host: string;
  /** TLS settings; given (even `{}`), the transport speaks TLS with verification on. */
  readonly tls?: TcpTlsOptions | undefined;
  /** Keep-alive connections kept open at most. Default: 16. */
  readonly connections?: number | undefined;
  /** Milliseconds an idle connection stays open. Default: 30 000. */
  readonly keepAliveTimeout?: number | undefined;
  /** Milliseconds to wait for the connection (and TLS handshake). Default: 10 000. */
  readonly connectTimeout?: number | undefined;
}

/**
 * A transport over TCP, plain or TLS (mutual TLS with `--tlsverify` engines): a pooled
 * keep-alive undici `Agent`. Certificates are checked by default; `tls.insecureSkipVerify`
 * turns that off. The host and the TLS files are checked before any connection, and
 * connection failures (refused, untrusted or expired certificate, wrong name, missing client
 * certificate, TLS on a plain port and the reverse) become `ConnectionError`s naming
 * `host:port`.
 *
 * @example
 * ```ts
 * import { createEngineClient, ping } from '@berth/engine-protocol';
 * import { tcpTransport } from '@berth/transport-tcp';
 *
 * const client = createEngineClient({
 *   transport: tcpTransport({
 *     host: 'tcp://10.0.0.5:2376',
 *     tls: { ca: '/certs/ca.pem', cert: '/certs/cert.pem', key: '/certs/key.pem' },
 *   }),
 * });
 * console.log(await ping(client));
 * await client.close();
 * ```
 */
export function tcpTransport(options: TcpTransportOptions): Transport {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('tcpTransport needs an options object with a host.', { argument: 'options' });
  }
  const tlsOptions = options.tls;
  if (tlsOptions !== undefined && (typeof tlsOptions !== 'object' || tlsOptions === null)) {
    throw new InvalidArgumentError('tls must be an object of TLS options.', { argument: 'tls' });
  }
  const endpoint = parseTcpHost(options.host, tlsOptions !== undefined);
  const connections = positiveInteger(options.connections, 'connections', 16);
  const keepAliveTimeout = resolveMilliseconds(options.keepAliveTimeout, 'keepAliveTimeout', 30_000);
  const connectTimeout = resolveMilliseconds(options.connectTimeout, 'connectTimeout', 10_000);

  const tls = endpoint.tls ? (tlsOptions ?? {}) : undefined;
  const insecure = tls?.insecureSkipVerify ?? false;
  if (typeof insecure !== 'boolean') {
    throw new InvalidArgumentError('tls.insecureSkipVerify must be a boolean.', { argument: 'tls.insecureSkipVerify' });
  }
  const servername = tls?.servername;
  if (servername !== undefined && (typeof servername !== 'string' || !/^[A-Za-z0-9_.:-]+$/.test(servername))) {
    throw new InvalidArgumentError('tls.servername must be a host name.', { argument: 'tls.servername' });
  }
  const material = tls === undefined ? {} : loadTlsMaterial(tls);

  const description = `tcp://${endpoint.authority} (${!endpoint.tls ? 'plain HTTP' : insecure ? 'TLS, certificate NOT verified' : 'TLS'})`;
  // undici is loaded on the first request, not when this package is imported.
  const dispatcher = deferredDispatcher(
    ({ Agent, buildConnector }) => {
      const connector = buildConnector({
        timeout: connectTimeout,
        ...(tls === undefined
          ? {}
          : {
              ...material,
              ...(servername === undefined ? {} : { servername }),
              rejectUnauthorized: !insecure,
            }),
      });
      const agent = new Agent({
        connect: destroyOnTlsError(connector),
        connections,
        keepAliveTimeout,
        // Pipelining would let one slow stream hold up the requests queued behind it.
        pipelining: 1,
      });
      return endpoint.tls ? agent : agent.compose(detectPlainHttpToTlsPort(endpoint.authority));
    },
    { description },
  );
  const context = {
    authority: endpoint.authority,
    tls: endpoint.tls,
    servername: servername ?? endpoint.hostname,
    clientCertificate: material.cert !== undefined,
  };
  return {
    type: 'tcp',
    description,
    origin: `${endpoint.tls ? 'https' : 'http'}://${endpoint.authority}`,
    dispatcher,
    describeError: (error) => describeTcpError(error, context),
    close: () => dispatcher.close(),
  };
}

/**
 * After the handshake, a TLS 1.3 server reports a refused client certificate with an alert
 * that undici would otherwise mask as "other side closed" (the socket's end arrives before
 * it gives up). Destroying the socket on its first error makes the alert itself the reason.
 */
function destroyOnTlsError(connector: buildConnector.connector): buildConnector.connector {
  return (options, callback) => {
    connector(options, (...result) => {
      // Absent when the connection failed. `encrypted` marks a TLSSocket without loading
      // node:tls at import (undici loads it when it connects).
      const socket = result[1] as (typeof result)[1] | undefined;
      if (socket && (socket as { encrypted?: unknown }).encrypted === true) socket.once('error', () => socket.destroy());
      callback(...result);
    });
  };
}

function positiveInteger(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentError(`${name} must be a positive integer, got ${String(value)}.`, { argument: name });
  }
  return value;
}
