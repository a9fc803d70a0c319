// moby.sshforward.v1.SSH: `RUN --mount=type=ssh[,id=…]` makes the engine check that the session
// has that agent (CheckAgent), then open one ForwardAgent stream per connection to the socket it
// mounts in the step; the session pipes each stream to the agent's Unix socket.
import { lstat } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { unaryHandler, type GrpcHandler } from '../grpc/grpc-server.js';
import { GrpcStatus, GrpcStatusError } from '../grpc/grpc-status.js';
import { decodeBytesMessage, encodeBytesMessage } from '../messages/bytes-message.js';
import { decodeCheckAgentRequest } from '../messages/ssh-messages.js';

/**
 * The SSH agents a build may use, by id (`default` is what `--mount=type=ssh` without `id` asks
 * for): `true` for the agent of `SSH_AUTH_SOCK`, or the path of an agent's socket.
 *
 * @example
 * ```ts
 * const ssh: SshAgents = { default: true, deploy: { socket: '/run/user/1000/deploy-agent.sock' } };
 * ```
 */
export type SshAgents = Readonly<Record<string, true | string | { readonly socket: string }>>;

/** BuildKit's id for an ssh mount without `id=`. */
const defaultId = 'default';
/** The metadata key that names the agent of a ForwardAgent stream. */
const sshIdKey = 'buildkit.ssh.id';

/**
 * Resolves the agents to socket paths and checks each is a socket now, so a missing agent is an
 * `InvalidArgumentError` before the build starts.
 *
 * @example
 * ```ts
 * await resolveSshAgents({ default: true }, process.env); // Map { 'default' => '/tmp/ssh-XXXX/agent.123' }
 * ```
 */
export async function resolveSshAgents(agents: SshAgents, environment: Readonly<Record<string, string | undefined>>): Promise<Map<string, string>> {
  if (typeof agents !== 'object' || agents === null || Array.isArray(agents)) {
    throw new InvalidArgumentError('ssh must be an object of { id: true | socket path | { socket } }.', { argument: 'ssh' });
  }
  const sockets = new Map<string, string>();
  for (const [id, source] of Object.entries(agents)) {
    const argument = `ssh.${id}`;
    if (id === '' || /[\s,=]/.test(id)) throw new InvalidArgumentError(`Invalid SSH agent id ${JSON.stringify(id)}.`, { argument: 'ssh' });
    let socket: string | undefined;
    if (source === true) {
      socket = environment['SSH_AUTH_SOCK'] || undefined;
      if (socket === undefined) {
        throw new InvalidArgumentError(`ssh.${id}: true forwards the agent of SSH_AUTH_SOCK, which is not set.`, {
          argument,
          details: 'Start an ssh-agent (eval "$(ssh-agent)" && ssh-add), or give the agent\'s socket path.',
        });
      }
    } else if (typeof source === 'string') socket = source;
    else if (typeof source === 'object' && source !== null && typeof source.socket === 'string') socket = source.socket;
    if (socket === undefined || socket === '') {
      throw new InvalidArgumentError(`ssh.${id} must be true, a socket path or { socket }.`, { argument });
    }
    const stats = await lstat(socket).catch(() => undefined);
    if (stats === undefined || !stats.isSocket()) {
      throw new InvalidArgumentError(`ssh.${id}: no SSH agent socket at ${socket}.`, { argument });
    }
    sockets.set(id, socket);
  }
  return sockets;
}

/**
 * The SSH methods of a session: CheckAgent answers for the configured ids (NOT_FOUND otherwise),
 * ForwardAgent pipes the stream's bytes to the agent's socket and back.
 *
 * @example
 * ```ts
 * let connections = 0;
 * const server = new GrpcServer({ ...sshMethods(await resolveSshAgents({ default: true }, process.env), () => connections++) });
 * ```
 */
export function sshMethods(sockets: ReadonlyMap<string, string>, onConnection: (id: string) => void): Record<string, GrpcHandler> {
  const socketOf = (id: string): string => {
    const socket = sockets.get(id || defaultId);
    if (socket === undefined) {
      throw new GrpcStatusError(GrpcStatus.notFound, `no SSH agent "${id || defaultId}" was forwarded to this build (forwarded: ${[...sockets.keys()].join(', ') || 'none'})`);
    }
    return socket;
  };
  return {
    '/moby.sshforward.v1.SSH/CheckAgent': unaryHandler(decodeCheckAgentRequest, async (id) => {
      socketOf(id);
      return new Uint8Array(0);
    }),
    '/moby.sshforward.v1.SSH/ForwardAgent': async (call) => {
      const id = call.metadata.get(sshIdKey)?.[0] ?? defaultId;
      const path = socketOf(id);
      onConnection(id);
      const agent: Socket = connect(path);
      await new Promise<void>((resolve, reject) => {
        agent.once('connect', resolve);
        agent.once('error', (error) => reject(new GrpcStatusError(GrpcStatus.unavailable, `cannot reach the SSH agent "${id}" at ${path}: ${error.message}`)));
      });
      // Later socket errors end the iteration below; this listener keeps them from being unhandled.
      agent.on('error', () => undefined);
      const abort = (): void => {
        agent.destroy();
      };
      call.signal.addEventListener('abort', abort, { once: true });
      try {
        let agentFailure: unknown;
        const fromAgent = (async () => {
          for await (const chunk of agent) await call.send(encodeBytesMessage(chunk as Buffer));
        })().catch((error: unknown) => {
          agentFailure = error;
        });
        for await (const message of call.messages()) {
          const data = decodeBytesMessage(message);
          if (data.length > 0 && !agent.write(data)) await new Promise((resolve) => agent.once('drain', resolve));
        }
        // The step closed its connection: let the agent finish its answer, then end.
        agent.end();
        await fromAgent;
        if (agentFailure !== undefined && !call.signal.aborted) throw agentFailure;
      } finally {
        call.signal.removeEventListener('abort', abort);
        agent.destroy();
      }
    },
  };
}
