// The harness engine's TLS listener (scripts/harness/engine.sh with BERTH_HARNESS_TLS=1),
// and a transport to it for the shared integration matrix (BERTH_TEST_TRANSPORT=tcp).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Transport } from '@berth/engine-protocol';
import { findTestEngine, type TestEngine } from '@berth/test-engine';
import { tcpTransport, tlsOptionsFromCertPath } from '../../src/index.js';

/** The harness engine plus its TLS listener. */
export interface TlsTestEngine extends TestEngine {
  /** `tcp://127.0.0.1:PORT`, dockerd's `--tlsverify` listener. */
  readonly tlsHost: string;
  /** Folder of tls.sh's certificates: ca.pem, cert.pem, key.pem for the client, fault certificates. */
  readonly certificates: string;
  /** Absolute path of one certificate file. */
  certificate(name: string): string;
}

let warned = false;

/**
 * The harness engine with its TLS listener; `undefined` (skip) without a harness outside CI.
 * Throws when the harness runs without TLS under `CI=true`, and when no harness runs in CI
 * (through `findTestEngine`).
 */
export function findTlsTestEngine(): TlsTestEngine | undefined {
  const engine = findTestEngine();
  if (engine === undefined) return undefined;
  const tlsHost = process.env['BERTH_TEST_TLS_HOST'];
  const certificates = process.env['BERTH_TEST_TLS_CERTS'];
  if (!tlsHost || !certificates) {
    const reason =
      'The harness engine has no TLS listener: BERTH_TEST_TLS_HOST / BERTH_TEST_TLS_CERTS are not set. ' +
      'Start it with `BERTH_HARNESS_TLS=1 scripts/harness/engine.sh start <name>`.';
    if (process.env['CI']) throw new Error(`${reason} In CI the TLS integration tests must run.`);
    if (!warned) {
      warned = true;
      console.warn(`[berth] TLS integration tests SKIPPED: ${reason}`);
    }
    return undefined;
  }
  if (!existsSync(join(certificates, 'ca.pem'))) {
    throw new Error(`BERTH_TEST_TLS_CERTS=${certificates} holds no ca.pem: restart the harness.`);
  }
  return { ...engine, tlsHost, certificates, certificate: (name) => join(certificates, name) };
}

/**
 * A transport to the harness engine over mutual TLS, for suites that run over every
 * transport. Throws when the harness has no TLS listener.
 */
export function createTcpTestTransport(): Transport {
  const engine = findTlsTestEngine();
  if (engine === undefined) {
    throw new Error('BERTH_TEST_TRANSPORT=tcp needs the harness TLS listener: start the harness with BERTH_HARNESS_TLS=1.');
  }
  return tcpTransport({ host: engine.tlsHost, tls: tlsOptionsFromCertPath(engine.certificates) });
}
