// The harness sshd (scripts/harness/sshd.sh) as a transport for the shared integration matrix:
// BERTH_TEST_TRANSPORT=ssh-dial-stdio or ssh-forward.
import type { Transport } from '@berth/engine-protocol';
import { findTestEngine } from '@berth/test-engine';
import { sshTransport, type SshTransportMode } from '../../src/index.js';

/** The transport names of the matrix and their modes. */
export const sshTestTransportModes: Readonly<Record<string, SshTransportMode>> = {
  'ssh-dial-stdio': 'dial-stdio',
  'ssh-forward': 'forward',
};

/**
 * A transport to the harness engine through the harness sshd, with the key and known_hosts
 * that sshd.sh wrote (nothing of the machine's ~/.ssh is used). Throws when the BERTH_TEST_SSH_*
 * variables are missing.
 */
export function createSshTestTransport(
  mode: SshTransportMode,
  environment: Readonly<Record<string, string | undefined>> = process.env,
): Transport {
  const engine = findTestEngine();
  const host = environment['BERTH_TEST_SSH_HOST'];
  const identity = environment['BERTH_TEST_SSH_IDENTITY'];
  const knownHosts = environment['BERTH_TEST_SSH_KNOWN_HOSTS'];
  if (engine === undefined || !host || !identity || !knownHosts) {
    throw new Error(
      'The ssh test transports need the harness engine and sshd: ' +
        'eval "$(scripts/harness/engine.sh start <name>)"; eval "$(scripts/harness/sshd.sh start <name>)".',
    );
  }
  return sshTransport({
    url: `${host}${engine.socketPath}`,
    mode,
    identityFiles: [identity],
    knownHostsFile: knownHosts,
    agent: false,
    sshConfigFile: false,
  });
}
