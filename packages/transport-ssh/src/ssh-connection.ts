import { connect as connectTcp, type Socket } from 'node:net';
import { ConnectionError, TimeoutError } from '@berth/engine-protocol';
import { errorCode } from '@berth/engine-protocol/internal';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, AuthenticationType, AuthHandlerMiddleware, Client, ServerHostKeyAlgorithm } from 'ssh2';
import type { LoadedIdentities } from './identities.js';

/** Everything needed to open one SSH connection, resolved from options, ssh_config and files. */
export interface SshConnectSettings {
  /** Host to connect to (after `HostName`). */
  readonly host: string;
  /** Port to connect to. */
  readonly port: number;
  /** Remote user. */
  readonly username: string;
  /** `user@host:port`, for messages. */
  readonly target: string;
  /** Host key algorithms in order of preference (types known_hosts lists for the host first). */
  readonly hostKeyAlgorithms: readonly ServerHostKeyAlgorithm[];
  /** Checks the server's host key blob; returns the refusal, or `undefined` to accept it. */
  readonly verifyHostKey: (key: Buffer) => Error | undefined;
  /** ssh-agent socket to try first, if any. */
  readonly agent: string | undefined;
  /** Private keys to offer after the agent's. */
  readonly identities: LoadedIdentities;
  /** Milliseconds for TCP connect plus SSH handshake and authentication. */
  readonly connectTimeout: number;
  /** Milliseconds between SSH keepalive probes; 0 disables them. */
  readonly keepAliveInterval: number;
}

/** A ready SSH connection and the TCP socket under it. */
export interface SshConnection {
  /** The authenticated ssh2 client. */
  readonly client: Client;
  /** Its TCP socket (ref'd / unref'd by the session). */
  readonly socket: Socket;
}

/**
 * Opens and authenticates one SSH connection. Every failure becomes a Berth error: an unknown,
 * changed or revoked host key and failed authentication are `ConnectionError`s that say what
 * to do, a slow server is a `TimeoutError`. `signal` (the transport's close) gives up at once.
 */
export function connectSsh(settings: SshConnectSettings, signal?: AbortSignal): Promise<SshConnection> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(closedWhileConnecting(settings));
      return;
    }
    const socket = connectTcp({ host: settings.host, port: settings.port });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 15_000);
    const client = new ssh2.Client();
    let settled = false;
    let hostKeyRefusal: Error | undefined;
    let lastError: (Error & { level?: string }) | undefined;
    const agentProblems: string[] = [];

    const onAbort = (): void => fail(closedWhileConnecting(settings));
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      client.removeAllListeners('ready');
      // A late 'error' must not crash the process once nobody listens for it.
      client.on('error', () => undefined);
      client.end();
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(() => {
      fail(
        new TimeoutError(`Timed out after ${settings.connectTimeout} ms connecting to the SSH server ${settings.target}.`, {
          causeCode: 'SSH_CONNECT_TIMEOUT',
        }),
      );
    }, settings.connectTimeout);

    signal?.addEventListener('abort', onAbort, { once: true });
    client.on('ready', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve({ client, socket });
    });
    client.on('error', (error: Error & { level?: string }) => {
      // ssh2 reports an unusable agent and moves on to the next method.
      if (error.level === 'agent') {
        agentProblems.push(error.message);
        return;
      }
      lastError = error;
      if (!settled) fail(describeHandshakeError(error, hostKeyRefusal, settings, agentProblems));
    });
    client.on('close', () => {
      if (!settled) {
        fail(
          lastError
            ? describeHandshakeError(lastError, hostKeyRefusal, settings, agentProblems)
            : new ConnectionError(`The SSH server ${settings.target} closed the connection during the handshake.`, {
                causeCode: 'SSH_HANDSHAKE_FAILED',
              }),
        );
      }
    });

    client.connect({
      sock: socket,
      host: settings.host,
      port: settings.port,
      username: settings.username,
      readyTimeout: settings.connectTimeout,
      keepaliveInterval: settings.keepAliveInterval,
      keepaliveCountMax: 3,
      // Stream-local forwarding is an OpenSSH extension; let other servers answer for themselves.
      strictVendor: false,
      algorithms: { serverHostKey: [...settings.hostKeyAlgorithms] },
      hostVerifier: (key: Buffer): boolean => {
        hostKeyRefusal = settings.verifyHostKey(key);
        return hostKeyRefusal === undefined;
      },
      authHandler: authenticationPlan(settings),
    });
  });
}

function closedWhileConnecting(settings: SshConnectSettings): ConnectionError {
  return new ConnectionError(`The SSH transport was closed while connecting to ${settings.target}.`, { causeCode: 'SSH_TRANSPORT_CLOSED' });
}

/** Agent first, then each identity file, like OpenSSH; stops when publickey is off the table. */
function authenticationPlan(settings: SshConnectSettings): AuthHandlerMiddleware {
  const attempts: AnyAuthMethod[] = [];
  if (settings.agent !== undefined) attempts.push({ type: 'agent', username: settings.username, agent: settings.agent });
  for (const identity of settings.identities.keys) {
    attempts.push({ type: 'publickey', username: settings.username, key: identity.key });
  }
  const plan = (methodsLeft: AuthenticationType[] | null): AnyAuthMethod | false => {
    if (methodsLeft !== null && !methodsLeft.includes('publickey')) return false;
    return attempts.shift() ?? false;
  };
  // ssh2 accepts the next method (or false: give up) as the return value; its types only
  // describe the callback form.
  return plan as unknown as AuthHandlerMiddleware;
}

function describeHandshakeError(
  error: Error & { level?: string },
  hostKeyRefusal: Error | undefined,
  settings: SshConnectSettings,
  agentProblems: readonly string[],
): Error {
  if (hostKeyRefusal) return hostKeyRefusal;
  const code = errorCode(error);
  if (error.level === 'client-authentication') {
    const tried: string[] = [];
    if (settings.agent !== undefined) {
      tried.push(`ssh-agent at ${settings.agent}${agentProblems.length > 0 ? ` (unusable: ${agentProblems.join('; ')})` : ''}`);
    }
    for (const identity of settings.identities.keys) tried.push(identity.path);
    const lines = [`Tried: ${tried.length > 0 ? tried.join(', ') : 'nothing (no agent, no identity file)'}`];
    if (settings.identities.skipped.length > 0) lines.push(`Left out: ${settings.identities.skipped.join(', ')}`);
    return new ConnectionError(`SSH authentication failed for ${settings.target}: the server accepted none of the keys offered.`, {
      cause: error,
      causeCode: 'SSH_AUTHENTICATION_FAILED',
      metaMessages: lines,
      details: `Check that the public key is in ~/.ssh/authorized_keys of "${settings.username}" on the remote host, or pass identityFiles (and passphrase), or load the key into ssh-agent.`,
    });
  }
  if (error.level === 'client-timeout') {
    return new TimeoutError(`Timed out during the SSH handshake with ${settings.target}.`, { cause: error, causeCode: 'SSH_CONNECT_TIMEOUT' });
  }
  if (error.level === 'client-socket' || (code !== undefined && /^E[A-Z]+$/.test(code))) {
    return new ConnectionError(`Cannot connect to the SSH server ${settings.target} (${code ?? error.message}).`, {
      cause: error,
      causeCode: code,
      details: code === 'ECONNREFUSED' ? 'Nothing listens on that port: is sshd running, and is the port right?' : undefined,
    });
  }
  return new ConnectionError(`The SSH handshake with ${settings.target} failed: ${error.message}`, {
    cause: error,
    causeCode: 'SSH_HANDSHAKE_FAILED',
  });
}
