import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  BerthError,
  ConflictError,
  ConnectionError,
  EngineError,
  InvalidArgumentError,
  NotFoundError,
  StreamDecodeError,
  StreamError,
  StreamMessageError,
  TransportError,
  UnsupportedOptionError,
} from '../../../src/errors/index.js';
import { createEngineError, redactRequest, redactUrl } from '../../../src/internal.js';

const request = redactRequest({
  method: 'POST',
  path: '/v1.45/images/create?fromImage=x&tag=latest',
  headers: { 'X-Registry-Auth': 'eyJwYXNzd29yZCI6InNlY3JldCJ9', 'User-Agent': 'berth' },
});

describe('error hierarchy', () => {
  it('picks NotFoundError and ConflictError by status', () => {
    const notFound = createEngineError({ status: 404, engineMessage: 'No such image: x:latest', request });
    const conflict = createEngineError({ status: 409, engineMessage: 'image is in use', request });
    const other = createEngineError({ status: 500, engineMessage: 'boom', request });
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect(notFound).toBeInstanceOf(EngineError);
    expect(notFound).toBeInstanceOf(BerthError);
    expect(notFound).toBeInstanceOf(Error);
    expect(notFound).not.toBeInstanceOf(ConflictError);
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(other).not.toBeInstanceOf(NotFoundError);
    expect(other.constructor).toBe(EngineError);
  });

  it('carries status, engine message, method and path', () => {
    const error = createEngineError({ status: 404, engineMessage: 'No such image: x:latest', request });
    expect(error.status).toBe(404);
    expect(error.engineMessage).toBe('No such image: x:latest');
    expect(error.method).toBe('POST');
    expect(error.path).toBe('/v1.45/images/create?fromImage=x&tag=latest');
    expect(error.name).toBe('NotFoundError');
    expect(error.message).toMatchInlineSnapshot(`
      "Engine error 404: No such image: x:latest

      Request: POST /v1.45/images/create?fromImage=x&tag=latest"
    `);
  });

  it('never exposes the auth header', () => {
    const error = createEngineError({ status: 401, engineMessage: 'unauthorized', request });
    expect(error.request.headers['X-Registry-Auth']).toBe('[redacted]');
    const everything = `${error.message} ${JSON.stringify(error)} ${String(error)} ${error.stack ?? ''}`;
    expect(everything).not.toContain('eyJwYXNzd29yZCI6InNlY3JldCJ9');
  });

  it('redacts credentials in URLs and secret-looking query keys', () => {
    expect(redactUrl('tcp://user:pw@host:2376/x')).toBe('tcp://[redacted]@host:2376/x');
    expect(redactUrl('/v1.45/auth?password=hunter2&term=x')).toBe('/v1.45/auth?password=%5Bredacted%5D&term=x');
    expect(redactUrl('/v1.45/images/json?all=1')).toBe('/v1.45/images/json?all=1');
  });

  // review 1: passwords holding "/", "?" or "#" were shown whole, one holding "@" half.
  it.each([
    ['tcp://me:pa/ss@host:2376', 'tcp://[redacted]@host:2376'],
    ['tcp://me:pa?ss@host:2376', 'tcp://[redacted]@host:2376'],
    ['tcp://me:pa#ss@host:2376', 'tcp://[redacted]@host:2376'],
    ['ssh://me:pa@ss@host/x', 'ssh://[redacted]@host/x'],
    ['ssh://me:p/a?s#s@w@host', 'ssh://[redacted]@host'],
    ['me:pa/ss@host:2376', '[redacted]@host:2376'],
    ['unix://me:pa/ss@/run/docker.sock', 'unix://[redacted]@/run/docker.sock'],
    ['unix:///run/docker@1.sock', 'unix:///run/docker@1.sock'],
    ['/v1.45/build?remote=https%3A%2F%2Fme%3Apw%40git.example%2Fr.git', '/v1.45/build?remote=https%3A%2F%2F%5Bredacted%5D%40git.example%2Fr.git'],
  ])('redacts all user info of %s, whatever it holds', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });

  it('keeps the subclass chain for transport, stream and argument errors', () => {
    expect(new ConnectionError('x', { causeCode: 'ENOENT' })).toBeInstanceOf(TransportError);
    expect(new ConnectionError('x', { causeCode: 'ENOENT' }).causeCode).toBe('ENOENT');
    expect(new StreamMessageError('boom', { code: 1 })).toBeInstanceOf(StreamError);
    expect(new StreamDecodeError('bad')).toBeInstanceOf(StreamError);
    expect(new StreamDecodeError('bad')).not.toBeInstanceOf(StreamMessageError);
    const unsupported = new UnsupportedOptionError({ option: 'platform', requiredVersion: '1.46', apiVersion: '1.41', endpoint: 'ImagePush' });
    expect(unsupported).toBeInstanceOf(InvalidArgumentError);
    expect(unsupported.message).toContain('"platform"');
    expect(unsupported.message).toContain('1.46');
    expect(unsupported.message).toContain('1.41');
    expect(new AbortedError('stop')).not.toBeInstanceOf(TransportError);
    expect(new AbortedError('stop').name).toBe('AbortError');
  });

  it('builds messages of blocks and walks causes', () => {
    const root = new Error('socket hang up');
    const error = new TransportError('Transport failure', { cause: root, details: 'more', metaMessages: ['line 1'] });
    expect(error.message).toBe('Transport failure\n\nline 1\n\nDetails: more');
    expect(error.shortMessage).toBe('Transport failure');
    expect(error.walk()).toBe(root);
    expect(error.walk((cause) => cause instanceof TransportError)).toBe(error);
  });

  it('keeps instanceof working across two copies of the package', async () => {
    // A real second copy on disk, as when an app ends up with two installs of the package.
    const directory = await mkdtemp(join(tmpdir(), 'berth-errors-copy-'));
    await cp(fileURLToPath(new URL('../../../src/errors', import.meta.url)), directory, { recursive: true });
    const copy = (await import(pathToFileURL(join(directory, 'engine-error.ts')).href)) as typeof import('../../../src/errors/engine-error.js');
    expect(copy.NotFoundError).not.toBe(NotFoundError);
    const fromCopy = copy.createEngineError({ status: 404, engineMessage: 'x', request });
    expect(fromCopy).toBeInstanceOf(NotFoundError);
    expect(fromCopy).toBeInstanceOf(EngineError);
    expect(fromCopy).toBeInstanceOf(BerthError);
    expect(fromCopy).not.toBeInstanceOf(ConflictError);
    expect(createEngineError({ status: 409, engineMessage: 'x', request })).toBeInstanceOf(copy.ConflictError);
    expect(new Error('plain')).not.toBeInstanceOf(BerthError);
    expect({}).not.toBeInstanceOf(BerthError);
  });
});
