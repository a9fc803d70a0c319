import { ConnectionError, SocketClosedError } from '@berth/engine-protocol';
import type { ClientChannel } from 'ssh2';
import type { ChannelKind } from './ssh-session.js';

/**
 * Channels of forward mode: one `direct-streamlocal@openssh.com` channel to the engine's
 * socket on the remote host per HTTP connection. Needs no docker CLI there, only sshd's
 * `AllowStreamLocalForwarding` (on by default).
 */
export function forwardChannel(socketPath: string, target: string): ChannelKind {
  return {
    open: (client) =>
      new Promise<ClientChannel>((resolve, reject) => {
        try {
          client.openssh_forwardOutStreamLocal(socketPath, (error, channel) => (error ? reject(error) : resolve(channel)));
        } catch (error) {
          reject(error as Error);
        }
      }),
    describeOpenError: (error) => {
      const message = error instanceof Error ? error.message : String(error);
      const reason = (error as { reason?: unknown }).reason;
      if (reason === 1) {
        return new ConnectionError(`The SSH server ${target} refused to forward to ${socketPath}: ${message}`, {
          cause: error,
          causeCode: 'SSH_FORWARDING_REFUSED',
          details:
            "sshd allows no stream-local forwarding for this user (AllowStreamLocalForwarding, DisableForwarding, or a restrict/no-port-forwarding key option). Use mode: 'dial-stdio' instead.",
        });
      }
      return new ConnectionError(`The SSH server ${target} could not connect to the engine socket ${socketPath} on the remote host: ${message}`, {
        cause: error,
        causeCode: 'SSH_CHANNEL_OPEN_FAILED',
        details: 'Is the engine running there, and is the socket path in the URL right (default /var/run/docker.sock)?',
      });
    },
    // The engine closing its socket reaches us as EOF; sshd closes the channel only after ours.
    endOnEof: true,
    describeClose: (info) =>
      info.connectionLost ? new SocketClosedError(`The SSH connection to ${target} was lost.`, { causeCode: 'SSH_CONNECTION_LOST' }) : undefined,
  };
}
