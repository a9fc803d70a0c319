// The engine client of the integration tests: maps the transport named by BERTH_TEST_TRANSPORT
// (through `testTransportName()`) to a Berth transport, so the same suite runs over the Unix
// socket, mutual TLS, and SSH in both of its modes.
import { createEngineClient, type EngineClient, type Transport } from '@berth/engine-protocol';
import { testTransportName, type TestEngine } from '@berth/test-engine';
import { tcpTransport, tlsOptionsFromCertPath } from '@berth/transport-tcp';
import { sshTransport } from '@berth/transport-ssh';
import { unixTransport } from '@berth/transport-unix';

function required(name: string, transport: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`BERTH_TEST_TRANSPORT=${transport} needs ${name}: start the harness as scripts/test.sh does.`);
  return value;
}

/** The transport of the harness engine for the configured transport name. */
export function createTestTransport(engine: TestEngine): Transport {
  const name = testTransportName();
  switch (name) {
    case 'unix':
      return unixTransport({ socketPath: engine.socketPath });
    case 'tcp':
      return tcpTransport({
        host: required('BERTH_TEST_TLS_HOST', name),
        tls: tlsOptionsFromCertPath(required('BERTH_TEST_TLS_CERTS', name)),
      });
    case 'ssh-dial-stdio':
    case 'ssh-forward':
      return sshTransport({
        // The URL's path is the engine socket on the "remote" side of sshd.
        url: `${required('BERTH_TEST_SSH_HOST', name)}${engine.socketPath}`,
        mode: name === 'ssh-forward' ? 'forward' : 'dial-stdio',
        identityFiles: [required('BERTH_TEST_SSH_IDENTITY', name)],
        knownHostsFile: required('BERTH_TEST_SSH_KNOWN_HOSTS', name),
        agent: false,
        sshConfigFile: false,
      });
    default:
      throw new Error(`Unknown test transport "${name}" (BERTH_TEST_TRANSPORT); known: unix, tcp, ssh-dial-stdio, ssh-forward.`);
  }
}

/** A client of the harness engine over the configured transport. Close it after the suite. */
export function createTestClient(engine: TestEngine): EngineClient {
  return createEngineClient({ transport: createTestTransport(engine), environment: {} });
}
