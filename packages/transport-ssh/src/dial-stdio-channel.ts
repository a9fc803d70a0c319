import { ConnectionError, SocketClosedError } from '@berth/engine-protocol';
import type { ClientChannel } from 'ssh2';
import type { ChannelCloseInfo } from './channel-socket.js';
import { shellQuote } from './shell-quote.js';
import type { ChannelKind } from './ssh-session.js';

/**
 * The remote command of dial-stdio mode, as the docker CLI builds it:
 * `docker [--host unix://PATH] system dial-stdio`.
 *
 * @example
 * ```ts
 * dialStdioCommand('docker', '/run/user/1000/docker.sock');
 * // 'docker --host unix:///run/user/1000/docker.sock system dial-stdio'
 * ```
 */
export function dialStdioCommand(dockerCommand: string, socketPath: string | undefined): string {
  const host = socketPath === undefined ? '' : ` --host ${shellQuote(`unix://${socketPath}`)}`;
  return `${dockerCommand}${host} system dial-stdio`;
}

/**
 * Channels of dial-stdio mode: one `exec` of the dial-stdio command per HTTP connection. When
 * the command fails (no docker CLI, no engine behind the socket) its stderr and exit status
 * become the error.
 */
export function dialStdioChannel(command: string, target: string, socketPath: string | undefined): ChannelKind {
  return {
    open: (client) =>
      new Promise<ClientChannel>((resolve, reject) => {
        try {
          client.exec(command, (error, channel) => (error ? reject(error) : resolve(channel)));
        } catch (error) {
          reject(error as Error);
        }
      }),
    describeOpenError: (error) => {
      const message = error instanceof Error ? error.message : String(error);
      const refused = (error as { reason?: unknown }).reason === 1 || /open failed|prohibited/i.test(message);
      return new ConnectionError(`Cannot start "${command}" on ${target}: ${message}`, {
        cause: error,
        causeCode: 'SSH_CHANNEL_OPEN_FAILED',
        details: refused
          ? 'sshd refused another session on this connection: its MaxSessions (default 10) is lower than the transport\'s `connections` option.'
          : undefined,
      });
    },
    // The exit status arrives after the last byte: wait for the channel's close to judge the end.
    endOnEof: false,
    describeClose: (info) => describeDialStdioClose(info, command, target, socketPath),
  };
}

/**
 * How the docker CLI's dial-stdio reports a failure of its relay, which runs only once it has
 * connected to the engine: `error while Copy|CloseRead|CloseWrite (stdin to stream|stream to
 * stdout)`. Before connecting it fails with `failed to open the raw stream connection` instead.
 * Bytes sent tell nothing: the request is written as soon as the channel opens, before the
 * remote command has connected (or even started).
 */
const relayFailure = /error while (?:Copy|CloseRead|CloseWrite) \((?:stdin to stream|stream to stdout)\)/;

function describeDialStdioClose(info: ChannelCloseInfo, command: string, target: string, socketPath: string | undefined): Error | undefined {
  const metaMessages = info.stderr === '' ? [] : [`Remote stderr:\n${info.stderr}`];
  if (info.connectionLost) {
    return new SocketClosedError(`The SSH connection to ${target} was lost.`, { causeCode: 'SSH_CONNECTION_LOST', metaMessages });
  }
  const failed = (info.exitCode !== undefined && info.exitCode !== 0) || info.exitSignal !== undefined;
  if (!failed && (info.stderr === '' || info.bytesReceived > 0)) return undefined;
  const status =
    info.exitSignal !== undefined ? `signal ${info.exitSignal}` : info.exitCode !== undefined ? `exit code ${info.exitCode}` : 'no exit status';
  if (info.bytesReceived > 0) {
    return new SocketClosedError(`"${command}" on ${target} ended in the middle of a reply (${status}).`, {
      causeCode: 'SSH_REMOTE_COMMAND_FAILED',
      metaMessages,
    });
  }
  if (relayFailure.test(info.stderr)) {
    // Connected, then the engine's side went away (e.g. reset during an upload, before any reply
    // byte): the connection closed early, it was not a failure to connect.
    return new SocketClosedError(`The engine's connection through "${command}" on ${target} closed in the middle of the request (${status}).`, {
      causeCode: 'SSH_REMOTE_COMMAND_FAILED',
      metaMessages,
    });
  }
  const firstLine = info.stderr.split('\n')[0] ?? '';
  return new ConnectionError(`"${command}" failed on ${target} (${status})${firstLine ? `: ${firstLine}` : ''}`, {
    causeCode: 'SSH_REMOTE_COMMAND_FAILED',
    metaMessages,
    details: hint(info, socketPath),
  });
}

function hint(info: ChannelCloseInfo, socketPath: string | undefined): string | undefined {
  const stderr = info.stderr;
  if (info.exitCode === 127 || /command not found|: not found/i.test(stderr)) {
    return (
      'The docker CLI is missing on the remote host (or not on the PATH of non-interactive SSH sessions). ' +
      "Install it, set the dockerCommand option to its full path, or use mode: 'forward', which needs only the engine's socket."
    );
  }
  if (/permission denied/i.test(stderr)) {
    return 'The remote user may not open the engine socket: add it to the socket\'s group (often "docker").';
  }
  if (/raw stream connection|Cannot connect to the Docker daemon|no such file or directory|connection refused/i.test(stderr)) {
    return `The remote docker CLI could not reach the engine at ${socketPath ?? 'its default socket'}: is the engine running there, and is the socket path in the URL right?`;
  }
  return undefined;
}
