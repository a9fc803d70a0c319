import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { ConnectionError, InvalidArgumentError } from '@berth/engine-protocol';
import { errorCode } from '@berth/engine-protocol/internal';
import type { ServerHostKeyAlgorithm } from 'ssh2';
import { loadIdentities, type IdentityCandidate } from './identities.js';
import { blobKeyType, checkHostKey, hostKeyFingerprint, knownHostName, knownKeyTypes, parseKnownHosts, type KnownHostEntry } from './known-hosts.js';
import { expandSshTokens, parseSshConfig, resolveSshHostConfig, type SshHostConfig } from './ssh-config.js';
import type { SshConnectSettings } from './ssh-connection.js';
import type { SshEndpoint } from './ssh-url.js';

/** The inputs of {@link resolveConnectSettings}: the parsed URL and the transport's options. */
export interface SettingsInput {
  readonly endpoint: SshEndpoint;
  readonly homeDirectory: string;
  readonly sshConfigFile: string | false | undefined;
  readonly identityFiles: readonly string[];
  readonly passphrase: string | undefined;
  readonly agent: string | undefined;
  readonly knownHostsFiles: readonly string[] | undefined;
  readonly acceptAnyHostKey: boolean;
  readonly connectTimeout: number;
  readonly keepAliveInterval: number;
}

const defaultIdentityNames = ['id_ed25519', 'id_ecdsa', 'id_rsa'];
const globalKnownHostsFile = '/etc/ssh/ssh_known_hosts';

// ssh2's default preference order; host key algorithms per known_hosts key type.
const hostKeyAlgorithmOrder: readonly ServerHostKeyAlgorithm[] = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];
const algorithmsOfKeyType: Readonly<Record<string, readonly ServerHostKeyAlgorithm[]>> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  'ssh-dss': ['ssh-dss'],
};

/**
 * Resolves where and how to connect, like `ssh` does: the URL beats ~/.ssh/config
 * (`HostName`, `User`, `Port`, `IdentityFile`, `UserKnownHostsFile`), which beats the defaults.
 * Reads the config, identity and known_hosts files afresh on every call.
 */
export async function resolveConnectSettings(input: SettingsInput): Promise<SshConnectSettings> {
  const home = input.homeDirectory;
  const localUser = localUserName();
  const { endpoint } = input;
  const hostConfig = await readHostConfig(input, endpoint.host);

  const host = hostConfig.hostName === undefined ? endpoint.host : expandSshTokens(hostConfig.hostName, { home, localUser, host: endpoint.host });
  const port = endpoint.port ?? hostConfig.port ?? 22;
  const username = endpoint.user ?? hostConfig.user ?? localUser;
  const tokens = { home, localUser, host, user: username, port };
  const target = `${username}@${host.includes(':') ? `[${host}]` : host}:${port}`;

  const candidates: IdentityCandidate[] = [
    ...input.identityFiles.map((path) => ({ path: resolvePath(expandSshTokens(path, tokens)), origin: 'option' as const })),
    ...hostConfig.identityFiles.map((path) => ({ path: resolvePath(home, expandSshTokens(path, tokens)), origin: 'config' as const })),
    ...defaultIdentityNames.map((name) => ({ path: `${home}/.ssh/${name}`, origin: 'default' as const })),
  ];
  const identities = await loadIdentities(candidates, input.passphrase);

  const knownHostsFiles =
    input.knownHostsFiles?.map((path) => resolvePath(expandSshTokens(path, tokens))) ??
    [...(hostConfig.userKnownHostsFiles?.map((path) => resolvePath(home, expandSshTokens(path, tokens))) ?? [`${home}/.ssh/known_hosts`]), globalKnownHostsFile];
  const { entries, checked } = await readKnownHosts(knownHostsFiles);

  const knownTypes = knownKeyTypes(entries, host, port);
  const preferred = knownTypes.flatMap((type) => algorithmsOfKeyType[type] ?? []);
  const hostKeyAlgorithms = [...new Set([...preferred, ...hostKeyAlgorithmOrder])];

  return {
    host,
    port,
    username,
    target,
    hostKeyAlgorithms,
    verifyHostKey: (key) => (input.acceptAnyHostKey ? undefined : hostKeyRefusal(entries, checked, host, port, key)),
    agent: input.agent,
    identities,
    connectTimeout: input.connectTimeout,
    keepAliveInterval: input.keepAliveInterval,
  };
}

async function readHostConfig(input: SettingsInput, host: string): Promise<SshHostConfig> {
  if (input.sshConfigFile === false) return resolveSshHostConfig([], host);
  const path = input.sshConfigFile ?? `${input.homeDirectory}/.ssh/config`;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = errorCode(cause);
    if (input.sshConfigFile === undefined && (code === 'ENOENT' || code === 'ENOTDIR')) return resolveSshHostConfig([], host);
    throw new InvalidArgumentError(`Cannot read the SSH config file ${path} (${code ?? 'read error'}).`, { argument: 'sshConfigFile', cause });
  }
  return resolveSshHostConfig(parseSshConfig(text, path), host);
}

/** Missing files count as empty, like OpenSSH; each file is listed in an unknown-host error. */
async function readKnownHosts(paths: readonly string[]): Promise<{ entries: KnownHostEntry[]; checked: string[] }> {
  const entries: KnownHostEntry[] = [];
  const checked: string[] = [];
  for (const path of [...new Set(paths)]) {
    try {
      entries.push(...parseKnownHosts(await readFile(path, 'utf8'), path));
      checked.push(path);
    } catch (cause) {
      checked.push(`${path} (${errorCode(cause) === 'ENOENT' ? 'missing' : `unreadable: ${errorCode(cause) ?? 'read error'}`})`);
    }
  }
  return { entries, checked };
}

function hostKeyRefusal(entries: readonly KnownHostEntry[], checked: readonly string[], host: string, port: number, key: Buffer): Error | undefined {
  const verdict = checkHostKey(entries, host, port, key);
  if (verdict.status === 'trusted') return undefined;
  const name = knownHostName(host, port);
  const presented = `${blobKeyType(key) ?? 'unknown-type'} ${hostKeyFingerprint(key)}`;
  const scan = `ssh-keyscan${port === 22 ? '' : ` -p ${port}`} ${host}`;
  if (verdict.status === 'unknown') {
    return new ConnectionError(`Unknown SSH host key for ${name}: ${presented}. Refusing to connect.`, {
      causeCode: 'SSH_HOST_KEY_UNKNOWN',
      metaMessages: [`known_hosts files checked: ${checked.join(', ')}`],
      details:
        `Confirm the fingerprint with the host's administrator (ssh-keygen -lf on the server's host key), then add it to ` +
        `~/.ssh/known_hosts, for example by connecting once with ssh, or: ${scan} >> ~/.ssh/known_hosts`,
    });
  }
  if (verdict.status === 'revoked') {
    return new ConnectionError(`The SSH host key of ${name} is REVOKED (${verdict.source}): ${presented}. Refusing to connect.`, {
      causeCode: 'SSH_HOST_KEY_REVOKED',
    });
  }
  return new ConnectionError(`The SSH host key of ${name} has CHANGED: the server presented ${presented}. Refusing to connect.`, {
    causeCode: 'SSH_HOST_KEY_CHANGED',
    metaMessages: verdict.known.map((known) => `known_hosts lists ${known.keyType} ${known.fingerprint} (${known.source})`),
    details:
      'Someone may be intercepting the connection (man-in-the-middle), or the host key was replaced. If the change is ' +
      `expected, remove the old entry (ssh-keygen -R "${name}") and add the new key (${scan}).`,
  });
}

function localUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env['USER'] ?? process.env['LOGNAME'] ?? 'root';
  }
}
