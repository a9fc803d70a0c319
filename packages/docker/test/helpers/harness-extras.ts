// The optional parts of the harness: the TLS listener (BERTH_HARNESS_TLS=1 engine.sh start)
// and the SSH server (sshd.sh start). Outside CI an absent one is reported once per test file,
// with how to get it, and its suites are skipped; under CI=true (scripts/test.sh starts both)
// an absent one is an error, so those suites can never silently stop running.
export interface TlsHarness {
  /** tcp://127.0.0.1:PORT of the engine's TLS listener (client certificate required). */
  host: string;
  /** Folder with ca.pem, cert.pem, key.pem (and other-ca.pem for failures). */
  certificates: string;
}

export interface SshHarness {
  /** ssh://root@127.0.0.1:PORT */
  host: string;
  identity: string;
  knownHosts: string;
}

export function findTlsHarness(): TlsHarness | undefined {
  const host = process.env['BERTH_TEST_TLS_HOST'];
  const certificates = process.env['BERTH_TEST_TLS_CERTS'];
  if (host && certificates) return { host, certificates };
  return absent(
    'TLS',
    'BERTH_TEST_TLS_HOST / BERTH_TEST_TLS_CERTS are not set (start the harness with BERTH_HARNESS_TLS=1 to run them).',
  );
}

export function findSshHarness(): SshHarness | undefined {
  const host = process.env['BERTH_TEST_SSH_HOST'];
  const identity = process.env['BERTH_TEST_SSH_IDENTITY'];
  const knownHosts = process.env['BERTH_TEST_SSH_KNOWN_HOSTS'];
  if (host && identity && knownHosts) return { host, identity, knownHosts };
  return absent(
    'SSH',
    'BERTH_TEST_SSH_HOST / BERTH_TEST_SSH_IDENTITY / BERTH_TEST_SSH_KNOWN_HOSTS are not set ' +
      '(run `eval "$(scripts/harness/sshd.sh start)"` to run them).',
  );
}

const warned = new Set<string>();

function absent(part: string, reason: string): undefined {
  if (process.env['CI']) {
    throw new Error(`[berth] @berth/docker ${part} integration tests cannot run: ${reason} In CI they must run.`);
  }
  if (!warned.has(part)) {
    warned.add(part);
    console.warn(`[berth] @berth/docker ${part} integration tests SKIPPED: ${reason}`);
  }
  return undefined;
}
