import { describe, expect, it } from 'vitest';
import * as buildContext from '@berth/build-context';
import * as buildkit from '@berth/buildkit';
import * as credentials from '@berth/credentials';
import * as docker from '@berth/docker';
import * as engineProtocol from '@berth/engine-protocol';
import * as engineProtocolInternal from '@berth/engine-protocol/internal';
import * as images from '@berth/images';
import * as terminalProgress from '@berth/terminal-progress';
import * as transportSsh from '@berth/transport-ssh';
import * as transportTcp from '@berth/transport-tcp';
import * as transportUnix from '@berth/transport-unix';

// Every error class a published package exports has its own stable `code` (docs/errors.md, "Codes"):
// a static `code` on the class, the same `code` on every instance. Changing one is a breaking change:
// this table is the contract, and an exported error class missing from it fails the test.
const stableCodes: Record<string, string> = {
  BerthError: 'BERTH_ERROR',
  EngineError: 'BERTH_ENGINE_ERROR',
  NotFoundError: 'BERTH_NOT_FOUND',
  ConflictError: 'BERTH_CONFLICT',
  UnsupportedEndpointError: 'BERTH_UNSUPPORTED_ENDPOINT',
  TransportError: 'BERTH_TRANSPORT_ERROR',
  ConnectionError: 'BERTH_CONNECTION_FAILED',
  SocketClosedError: 'BERTH_SOCKET_CLOSED',
  TimeoutError: 'BERTH_TIMEOUT',
  ClientClosedError: 'BERTH_CLIENT_CLOSED',
  AbortedError: 'BERTH_ABORTED',
  StreamError: 'BERTH_STREAM_ERROR',
  StreamMessageError: 'BERTH_STREAM_MESSAGE',
  StreamDecodeError: 'BERTH_STREAM_DECODE',
  UnexpectedReplyError: 'BERTH_UNEXPECTED_REPLY',
  InvalidArgumentError: 'BERTH_INVALID_ARGUMENT',
  UnsupportedOptionError: 'BERTH_UNSUPPORTED_OPTION',
  ApiVersionError: 'BERTH_API_VERSION',
  CredentialHelperError: 'BERTH_CREDENTIAL_HELPER',
  DockerConfigError: 'BERTH_DOCKER_CONFIG',
  MissingTransportPackageError: 'BERTH_MISSING_TRANSPORT_PACKAGE',
  BuildError: 'BERTH_BUILD_FAILED',
  GrpcStatusError: 'BERTH_GRPC_STATUS',
};

const entries = {
  '@berth/build-context': buildContext,
  '@berth/buildkit': buildkit,
  '@berth/credentials': credentials,
  '@berth/docker': docker,
  '@berth/engine-protocol': engineProtocol,
  '@berth/engine-protocol/internal': engineProtocolInternal,
  '@berth/images': images,
  '@berth/terminal-progress': terminalProgress,
  '@berth/transport-ssh': transportSsh,
  '@berth/transport-tcp': transportTcp,
  '@berth/transport-unix': transportUnix,
};

type ErrorClass = (abstract new (...parameters: never[]) => Error) & { code?: unknown };

/** Every exported class whose instances are Errors, once (re-exports are the same class). */
function exportedErrorClasses(): Map<string, ErrorClass> {
  const found = new Map<string, ErrorClass>();
  for (const [entry, exports] of Object.entries(entries)) {
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value !== 'function' || !(value.prototype instanceof Error)) continue;
      const known = found.get(name);
      if (known !== undefined && known !== value) throw new Error(`Two different error classes named ${name} (${entry})`);
      found.set(name, value as ErrorClass);
    }
  }
  return found;
}

/** One instance of each class, built with its constructor's own parameters. */
const request = { method: 'GET', path: '/v1.41/images/x/json', headers: {} };
const instances: Record<string, () => Error> = {
  EngineError: () => new engineProtocol.EngineError({ status: 500, engineMessage: 'x', request }),
  NotFoundError: () => new engineProtocol.NotFoundError({ status: 404, engineMessage: 'x', request }),
  ConflictError: () => new engineProtocol.ConflictError({ status: 409, engineMessage: 'x', request }),
  UnsupportedEndpointError: () => new engineProtocol.UnsupportedEndpointError({ status: 404, engineMessage: 'x', request }),
  UnsupportedOptionError: () =>
    new engineProtocol.UnsupportedOptionError({ option: 'platform', requiredVersion: '1.42', apiVersion: '1.41', endpoint: 'ImageList' }),
  UnexpectedReplyError: () => new engineProtocol.UnexpectedReplyError('x', { reason: 'BERTH_REPLY_SHAPE', endpoint: 'ImageList', status: 200 }),
  CredentialHelperError: () => new credentials.CredentialHelperError('x', { helper: 'docker-credential-x', operation: 'get', reason: 'timeout' }),
  DockerConfigError: () => new credentials.DockerConfigError('x', { source: '/nowhere/config.json' }),
  MissingTransportPackageError: () => new docker.MissingTransportPackageError({ packageName: '@berth/transport-ssh', endpoint: 'ssh://h' }),
  BuildError: () => new images.BuildError('x', { log: [] }),
  GrpcStatusError: () => new buildkit.GrpcStatusError(buildkit.GrpcStatus.notFound, 'x'),
};

describe('error codes', () => {
  const classes = exportedErrorClasses();

  it('finds the error classes of every package', () => {
    expect([...classes.keys()].sort()).toEqual(Object.keys(stableCodes).sort());
  });

  it('gives every class its own stable code, on the class and on its instances', () => {
    for (const [name, errorClass] of classes) {
      expect(errorClass.code, name).toBe(stableCodes[name]);
      const instance = (instances[name] ?? (() => new (errorClass as unknown as new (message: string) => Error)('x')))();
      expect(instance, name).toBeInstanceOf(errorClass);
      expect((instance as { code?: unknown }).code, name).toBe(stableCodes[name]);
    }
    const codes = [...classes.values()].map((errorClass) => errorClass.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
