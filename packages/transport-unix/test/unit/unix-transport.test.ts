import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConnectionError, createEngineClient, InvalidArgumentError, ping } from '@berth/engine-protocol';
import { DEFAULT_DOCKER_SOCKET, unixTransport } from '../../src/index.js';

async function pingError(socketPath: string): Promise<ConnectionError> {
  const client = createEngineClient({ transport: unixTransport({ socketPath }), environment: {} });
  try {
    const error = await ping(client).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionError);
    return error as ConnectionError;
  } finally {
    await client.close();
  }
}

describe('unixTransport', () => {
  it('defaults to the docker socket', () => {
    const transport = unixTransport();
    expect(DEFAULT_DOCKER_SOCKET).toBe('/var/run/docker.sock');
    expect(transport.description).toBe('unix:///var/run/docker.sock');
    expect(transport.type).toBe('unix');
    return transport.close();
  });

  it('names the path when the socket is missing', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'berth-unix-'));
    const error = await pingError(join(directory, 'missing.sock'));
    expect(error.message).toContain(`Docker socket not found at ${join(directory, 'missing.sock')}`);
    expect(error.causeCode).toBe('ENOENT');
  });

  it('says when the path is not a socket', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'berth-unix-'));
    const file = join(directory, 'plain-file');
    await writeFile(file, 'not a socket');
    const error = await pingError(file);
    expect(error.message).toContain(file);
    expect(['ECONNREFUSED', 'ENOTSOCK']).toContain(error.causeCode);
  });

  it('says when nothing listens on the socket any more', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'berth-unix-'));
    const socketPath = join(directory, 'stale.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    // Closing a listening server leaves no file; re-create a stale socket file by binding a
    // second server and killing it without unlinking.
    server.close();
    const stale = createServer();
    await new Promise<void>((resolve) => stale.listen(socketPath, resolve));
    (stale as unknown as { _handle: { close(): void } })._handle.close();
    const error = await pingError(socketPath);
    expect(error.message).toContain(socketPath);
  });

  it('reports a permission problem naming the socket', async () => {
    // Root can open any socket, so the EACCES path is exercised through describeError.
    const transport = unixTransport({ socketPath: '/run/berth/locked.sock' });
    const described = transport.describeError?.(Object.assign(new Error('connect EACCES'), { code: 'EACCES' }));
    expect(described).toBeInstanceOf(ConnectionError);
    expect(described?.message).toContain('Permission denied on the Docker socket /run/berth/locked.sock');
    await transport.close();
  });
});

describe('unixTransport options (issue 8, failure 9)', () => {
  it.each([
    [{ connections: Number.NaN }, 'connections'],
    [{ connections: 0.5 }, 'connections'],
    [{ connections: -1 }, 'connections'],
    [{ connections: 0 }, 'connections'],
    [{ connections: '4' }, 'connections'],
    [{ connectTimeout: -1 }, 'connectTimeout'],
    [{ connectTimeout: 2 ** 31 }, 'connectTimeout'],
    [{ keepAliveTimeout: -5 }, 'keepAliveTimeout'],
    [{ keepAliveTimeout: Number.NaN }, 'keepAliveTimeout'],
    [{ socketPath: '' }, 'socketPath'],
    [{ socketPath: 42 }, 'socketPath'],
    [{ socketPath: '/tmp/a\0b' }, 'socketPath'],
  ])('refuses %o with an InvalidArgumentError naming %s, before any connection', (options, argument) => {
    let caught: unknown;
    try {
      unixTransport(options as never);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect((caught as InvalidArgumentError).argument).toBe(argument);
  });

  it('refuses options that are not an object', () => {
    expect(() => unixTransport(null as never)).toThrow(InvalidArgumentError);
  });

  it('accepts valid settings', () => {
    const transport = unixTransport({ socketPath: '/tmp/x.sock', connections: 2, connectTimeout: 500, keepAliveTimeout: 1_000 });
    return transport.close();
  });
});
