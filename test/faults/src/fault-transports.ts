// The four transports the fault suite runs on, built for any engine socket: the Unix socket
// itself, mutual TLS (to a TLS listener in front of the socket), and SSH in both modes through
// the harness sshd (whose "remote" side is this machine, so any socket path works).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Transport } from '@berth/engine-protocol';
import { findTestEngine } from '@berth/test-engine';
import { sshTransport } from '@berth/transport-ssh';
import { tcpTransport, tlsOptionsFromCertPath } from '@berth/transport-tcp';
import { unixTransport } from '@berth/transport-unix';

/** A transport name of the matrix. */
export type FaultTransportName = 'unix' | 'tcp' | 'ssh-dial-stdio' | 'ssh-forward';

const allTransports: readonly FaultTransportName[] = ['unix', 'tcp', 'ssh-dial-stdio', 'ssh-forward'];

/**
 * Idle connections (and the SSH connection) close after this long, so that descriptor counts
 * settle quickly after a fault; production keeps the 30 s default.
 */
export const faultKeepAlive = 1_000;

/** Where a transport goes: an engine's socket and, for `tcp`, a TLS listener in front of it. */
export interface FaultTarget {
  readonly socketPath: string;
  readonly tlsHost?: string | undefined;
}

/** The harness's TLS material: the server certificate for listeners, the client folder for transports. */
export interface HarnessTls {
  readonly certificates: string;
  readonly cert: Buffer;
  readonly key: Buffer;
}

/**
 * The transports to run: `BERTH_FAULT_TRANSPORTS` (space separated) or all four. Without the
 * peers a transport needs (TLS material, sshd), it is left out with a warning, or, under
 * `CI=true`, the suite fails: every transport must run in CI.
 *
 * @example
 * ```ts
 * describe.each(faultTransports())('on %s', (name) => { ... });
 * ```
 */
export function faultTransports(): FaultTransportName[] {
  if (findTestEngine() === undefined) return [];
  const wanted = (process.env['BERTH_FAULT_TRANSPORTS']?.split(/\s+/).filter(Boolean) ?? allTransports) as FaultTransportName[];
  return wanted.filter((name) => {
    const missing = missingPeer(name);
    if (missing === undefined) return true;
    const message = `The fault suite needs ${missing} for the ${name} transport: run it through scripts/test.sh.`;
    if (process.env['CI']) throw new Error(`${message} In CI every transport must run.`);
    console.warn(`[berth] fault suite on ${name} SKIPPED: ${message}`);
    return false;
  });
}

function missingPeer(name: FaultTransportName): string | undefined {
  if (!allTransports.includes(name)) return `a known transport name (one of ${allTransports.join(', ')})`;
  if (name === 'tcp' && !process.env['BERTH_TEST_TLS_CERTS']) return 'the harness TLS material (BERTH_HARNESS_TLS=1)';
  if (name.startsWith('ssh') && !process.env['BERTH_TEST_SSH_HOST']) return 'the harness sshd (scripts/harness/sshd.sh)';
  return undefined;
}

/**
 * The harness's TLS certificates, read once.
 *
 * @example
 * ```ts
 * const fake = await startFakeEngine({ tls: harnessTls() });
 * ```
 */
export function harnessTls(): HarnessTls | undefined {
  const certificates = process.env['BERTH_TEST_TLS_CERTS'];
  if (!certificates) return undefined;
  return {
    certificates,
    cert: readFileSync(join(certificates, 'server-cert.pem')),
    key: readFileSync(join(certificates, 'server-key.pem')),
  };
}

/**
 * A transport of the matrix to `target`, with short keep-alive so descriptor counts settle.
 *
 * @example
 * ```ts
 * const client = createEngineClient({ transport: faultTransport('ssh-forward', { socketPath }), environment: {} });
 * ```
 */
export function faultTransport(name: FaultTransportName, target: FaultTarget): Transport {
  switch (name) {
    case 'unix':
      return unixTransport({ socketPath: target.socketPath, keepAliveTimeout: faultKeepAlive });
    case 'tcp': {
      const tls = harnessTls();
      if (tls === undefined || target.tlsHost === undefined) throw new Error('The tcp transport needs the harness TLS material and a TLS listener.');
      return tcpTransport({ host: target.tlsHost, tls: tlsOptionsFromCertPath(tls.certificates), keepAliveTimeout: faultKeepAlive });
    }
    case 'ssh-dial-stdio':
    case 'ssh-forward': {
      const variable = (key: string): string => {
        const value = process.env[key];
        if (!value) throw new Error(`${key} is not set: start the harness sshd.`);
        return value;
      };
      return sshTransport({
        url: `${variable('BERTH_TEST_SSH_HOST')}${target.socketPath}`,
        mode: name === 'ssh-forward' ? 'forward' : 'dial-stdio',
        identityFiles: [variable('BERTH_TEST_SSH_IDENTITY')],
        knownHostsFile: variable('BERTH_TEST_SSH_KNOWN_HOSTS'),
        agent: false,
        sshConfigFile: false,
        keepAliveTimeout: faultKeepAlive,
      });
    }
  }
}
