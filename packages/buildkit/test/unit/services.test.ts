import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GrpcStatus } from '../../src/grpc/grpc-status.js';
import { decodeCredentialsResponse, encodeCredentialsRequest } from '../../src/messages/auth-messages.js';
import { decodeBytesMessage, encodeBytesMessage } from '../../src/messages/bytes-message.js';
import { encodeSecretRequest } from '../../src/messages/secrets-messages.js';
import { encodeCheckAgentRequest } from '../../src/messages/ssh-messages.js';
import { authMethods } from '../../src/services/auth-service.js';
import { resolveSecrets, secretsMethods } from '../../src/services/secrets-service.js';
import { resolveSshAgents, sshMethods } from '../../src/services/ssh-agent-service.js';
import { startGrpcPeer, type GrpcPeer, type PeerCall } from './support/grpc-peer.js';

let workspace: string;
let peer: GrpcPeer | undefined;
beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'berth-services-'));
});
afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});
afterEach(async () => {
  await peer?.close();
  peer = undefined;
});

async function unary(method: string, request: Uint8Array, metadata?: Record<string, string>): Promise<{ replies: Uint8Array[]; status: { code: number; message: string } }> {
  const call = peer!.open(method, metadata);
  call.send(request);
  call.end();
  const replies: Uint8Array[] = [];
  for await (const reply of call.replies()) replies.push(reply);
  return { replies, status: await call.status() };
}

describe('Auth', () => {
  it('answers Credentials per host from the lookup, anonymous when it has none, and declines client-side tokens', async () => {
    const asked: string[] = [];
    peer = await startGrpcPeer(
      authMethods(async (host) => (host === '127.0.0.1:5000' ? { username: 'ci', secret: 's3cret' } : undefined), (host) => asked.push(host)),
    );
    const known = await unary('/moby.filesync.v1.Auth/Credentials', encodeCredentialsRequest('127.0.0.1:5000'));
    expect(decodeCredentialsResponse(known.replies[0]!)).toEqual({ username: 'ci', secret: 's3cret' });
    const unknown = await unary('/moby.filesync.v1.Auth/Credentials', encodeCredentialsRequest('registry-1.docker.io'));
    expect(decodeCredentialsResponse(unknown.replies[0]!)).toEqual({ username: '', secret: '' });
    expect(asked).toEqual(['127.0.0.1:5000', 'registry-1.docker.io']);
    // BuildKit falls back to Credentials on UNAVAILABLE (and on UNIMPLEMENTED for FetchToken).
    expect((await unary('/moby.filesync.v1.Auth/GetTokenAuthority', encodeCredentialsRequest('127.0.0.1:5000'))).status.code).toBe(GrpcStatus.unavailable);
    expect((await unary('/moby.filesync.v1.Auth/FetchToken', new Uint8Array(0))).status.code).toBe(GrpcStatus.unimplemented);
  });

  it('reports a failing lookup as UNAVAILABLE with its message', async () => {
    peer = await startGrpcPeer(authMethods(async () => Promise.reject(new Error('credential helper docker-credential-pass failed')), () => undefined));
    const { status } = await unary('/moby.filesync.v1.Auth/Credentials', encodeCredentialsRequest('ghcr.io'));
    expect(status).toEqual({ code: GrpcStatus.unavailable, message: 'no credentials for ghcr.io: credential helper docker-credential-pass failed' });
  });
});

describe('Secrets', () => {
  it('reads values, files and environment variables up front, and refuses what is missing before any request', async () => {
    const file = join(workspace, 'npmrc');
    await writeFile(file, 'token=abc');
    const values = await resolveSecrets({ a: { value: 'literal' }, b: { file }, c: { env: 'BERTH_SECRET' }, d: { value: new Uint8Array([0, 1]) } }, { BERTH_SECRET: 'from env' });
    expect(Object.fromEntries([...values].map(([id, value]) => [id, Buffer.from(value).toString('latin1')]))).toEqual({
      a: 'literal',
      b: 'token=abc',
      c: 'from env',
      d: '\u0000\u0001',
    });
    await expect(resolveSecrets({ b: { file: join(workspace, 'missing') } }, {})).rejects.toThrow(/Secret "b": cannot read .*missing \(ENOENT\)/);
    await expect(resolveSecrets({ c: { env: 'NOPE' } }, {})).rejects.toThrow(/NOPE is not set/);
    await expect(resolveSecrets({ x: { value: 'a', env: 'B' } as never }, {})).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(resolveSecrets({ 'bad id': { value: 'a' } }, {})).rejects.toThrow(/Invalid secret id/);
  });

  it('answers GetSecret with the bytes, NOT_FOUND for an id the build was not given', async () => {
    const requested: string[] = [];
    peer = await startGrpcPeer(secretsMethods(new Map([['token', Buffer.from('t0k3n')]]), (id) => requested.push(id)));
    const found = await unary('/moby.buildkit.secrets.v1.Secrets/GetSecret', encodeSecretRequest('token'));
    expect(Buffer.from(decodeBytesMessage(found.replies[0]!)).toString()).toBe('t0k3n');
    const missing = await unary('/moby.buildkit.secrets.v1.Secrets/GetSecret', encodeSecretRequest('other'));
    expect(missing.status).toEqual({ code: GrpcStatus.notFound, message: 'secret other was not given to this build' });
    expect(requested).toEqual(['token', 'other']);
  });
});

describe('SSH agent forwarding', () => {
  let agent: Server;
  let agentPath: string;
  beforeAll(async () => {
    // A stand-in for an ssh-agent (the integration suite uses a real one): answers each request
    // with "agent:" and the request.
    agentPath = join(workspace, 'agent.sock');
    agent = createServer((socket) => socket.on('data', (data: Buffer) => socket.write(Buffer.concat([Buffer.from('agent:'), data]))));
    agent.listen(agentPath);
    await once(agent, 'listening');
  });
  afterAll(() => agent.close());

  it('resolves `true` to SSH_AUTH_SOCK and refuses a missing variable or a path that is no socket', async () => {
    expect([...(await resolveSshAgents({ default: true, deploy: agentPath, other: { socket: agentPath } }, { SSH_AUTH_SOCK: agentPath }))]).toEqual([
      ['default', agentPath],
      ['deploy', agentPath],
      ['other', agentPath],
    ]);
    await expect(resolveSshAgents({ default: true }, {})).rejects.toThrow(/SSH_AUTH_SOCK, which is not set/);
    await expect(resolveSshAgents({ default: join(workspace, 'nothing.sock') }, {})).rejects.toThrow(/no SSH agent socket at/);
    await expect(resolveSshAgents({ default: 42 as never }, {})).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('answers CheckAgent for configured ids only, and pipes ForwardAgent streams to the agent', async () => {
    let connections = 0;
    peer = await startGrpcPeer(sshMethods(new Map([['default', agentPath]]), () => connections++));
    expect((await unary('/moby.sshforward.v1.SSH/CheckAgent', encodeCheckAgentRequest(''))).status.code).toBe(0);
    const missing = await unary('/moby.sshforward.v1.SSH/CheckAgent', encodeCheckAgentRequest('deploy'));
    expect(missing.status.code).toBe(GrpcStatus.notFound);
    expect(missing.status.message).toContain('no SSH agent "deploy"');

    const call: PeerCall = peer.open('/moby.sshforward.v1.SSH/ForwardAgent', { 'buildkit.ssh.id': 'default' });
    call.send(encodeBytesMessage(Buffer.from('list keys')));
    const replies = call.replies();
    const first = await replies.next();
    expect(Buffer.from(decodeBytesMessage(first.value as Uint8Array)).toString()).toBe('agent:list keys');
    call.end();
    for await (const _reply of replies) {
      // drain
    }
    expect((await call.status()).code).toBe(0);
    expect(connections).toBe(1);
  });

  it('fails ForwardAgent with UNAVAILABLE when the agent is gone', async () => {
    const gone = join(workspace, 'gone.sock');
    const server = createServer();
    server.listen(gone);
    await once(server, 'listening');
    const agents = await resolveSshAgents({ default: gone }, {});
    server.close();
    await once(server, 'close');
    peer = await startGrpcPeer(sshMethods(agents, () => undefined));
    const call = peer.open('/moby.sshforward.v1.SSH/ForwardAgent');
    call.end();
    const status = await call.status();
    expect(status.code).toBe(GrpcStatus.unavailable);
    expect(status.message).toContain(`cannot reach the SSH agent "default" at ${gone}`);
  });
});
