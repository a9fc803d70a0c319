import { join } from 'node:path';
import { BerthError, InvalidArgumentError, type RegistryAuthConfig } from '@berth/engine-protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDocker, createDockerWith } from '../../src/create-docker.js';
import { MissingTransportPackageError } from '../../src/errors/missing-transport-package-error.js';
import type { TransportModuleLoader, TransportPackageName } from '../../src/transport/load-transport-package.js';
import { makeTemporaryDirectory, writeConfigDirectory } from '../helpers/docker-config-fixture.js';
import { fakeTransport, type FakeTransport } from '../helpers/fake-transport.js';

let root: string;
let configDirectory: string;
let certificateDirectory: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const temporary = await makeTemporaryDirectory('create');
  root = temporary.path;
  cleanup = temporary.remove;
  configDirectory = join(root, 'config');
  certificateDirectory = join(root, 'certs');
  await writeConfigDirectory(configDirectory, {
    rawConfig: JSON.stringify({ auths: { 'localhost:5000': { auth: Buffer.from('me:pw').toString('base64') } } }),
  });
  await writeConfigDirectory(certificateDirectory, { rootTlsFiles: ['ca.pem', 'cert.pem', 'key.pem'] });
});

afterAll(async () => {
  await cleanup();
});

/** A loader that hands out fake transport factories and records every call. */
function recordingLoader() {
  const calls: Array<{ packageName: TransportPackageName; options: unknown }> = [];
  const created: FakeTransport[] = [];
  const factory = (packageName: TransportPackageName) => (options: unknown) => {
    calls.push({ packageName, options });
    const transport = fakeTransport(`${packageName} transport`);
    created.push(transport);
    return transport;
  };
  const loader = vi.fn<TransportModuleLoader>(async (packageName) =>
    packageName === '@berth/transport-tcp' ? { tcpTransport: factory(packageName) } : { sshTransport: factory(packageName) },
  );
  return { loader, calls, created };
}

function nodeNotFound(specifier: string): Error {
  // The shape of Node's own error for a bare specifier that is not installed.
  const error = new Error(`Cannot find package '${specifier}' imported from /app/node_modules/@berth/docker/dist/transport/load-transport-package.js`);
  (error as { code?: string }).code = 'ERR_MODULE_NOT_FOUND';
  return error;
}

describe('createDocker: transports per endpoint', () => {
  it('builds a Unix transport without importing any optional package', async () => {
    const { loader } = recordingLoader();
    const docker = await createDockerWith(
      { environment: { DOCKER_HOST: 'unix:///tmp/berth-nowhere.sock', DOCKER_CONFIG: configDirectory } },
      { loadTransportModule: loader },
    );
    expect(loader).not.toHaveBeenCalled();
    expect(docker.endpoint).toMatchObject({ kind: 'unix', socketPath: '/tmp/berth-nowhere.sock', source: 'DOCKER_HOST' });
    expect(docker.client.transport.type).toBe('unix');
    expect(docker.client.transport.description).toBe('unix:///tmp/berth-nowhere.sock');
    await docker.close();
    await docker.close();
  });

  it('loads @berth/transport-tcp for tcp:// and hands it the TLS files of the environment', async () => {
    const { loader, calls, created } = recordingLoader();
    const docker = await createDockerWith(
      {
        environment: { DOCKER_HOST: 'tcp://10.0.0.5', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certificateDirectory, DOCKER_CONFIG: configDirectory },
      },
      { loadTransportModule: loader },
    );
    expect(loader).toHaveBeenCalledTimes(1);
    expect(loader).toHaveBeenCalledWith('@berth/transport-tcp');
    expect(calls).toEqual([
      {
        packageName: '@berth/transport-tcp',
        options: {
          host: 'tcp://10.0.0.5:2376',
          tls: {
            ca: join(certificateDirectory, 'ca.pem'),
            cert: join(certificateDirectory, 'cert.pem'),
            key: join(certificateDirectory, 'key.pem'),
            insecureSkipVerify: false,
          },
        },
      },
    ]);
    expect(docker.client.transport).toBe(created[0]);
    await docker.close();
    await docker.close();
    expect(created[0]!.closeCount).toBe(1);
  });

  it('turns DOCKER_TLS into insecureSkipVerify and writes IPv6 hosts in brackets', async () => {
    const { loader, calls } = recordingLoader();
    await createDockerWith(
      { host: 'tcp://[fd00::5]:2376', environment: { DOCKER_TLS: '1', DOCKER_CERT_PATH: certificateDirectory } },
      { loadTransportModule: loader },
    );
    expect(calls[0]!.options).toMatchObject({ host: 'tcp://[fd00::5]:2376', tls: { insecureSkipVerify: true } });
  });

  it('sends plain TCP without a tls object', async () => {
    const { loader, calls } = recordingLoader();
    await createDockerWith({ host: 'engine.example:2375', environment: {} }, { loadTransportModule: loader });
    expect(calls[0]!.options).toStrictEqual({ host: 'tcp://engine.example:2375' });
  });

  it('loads @berth/transport-ssh for ssh:// with the URL and the environment (SSH_AUTH_SOCK, HOME)', async () => {
    const { loader, calls } = recordingLoader();
    const environment = { DOCKER_HOST: 'ssh://me@box:2222/run/docker.sock', SSH_AUTH_SOCK: '/tmp/agent.sock', HOME: '/home/me' };
    const docker = await createDockerWith({ environment }, { loadTransportModule: loader });
    expect(loader).toHaveBeenCalledWith('@berth/transport-ssh');
    expect(calls).toEqual([
      {
        packageName: '@berth/transport-ssh',
        options: { url: 'ssh://me@box:2222/run/docker.sock', environment, homeDirectory: '/home/me' },
      },
    ]);
    expect(docker.endpoint).toMatchObject({ kind: 'ssh', user: 'me', host: 'box', port: 2222, socketPath: '/run/docker.sock' });
  });

  it('says which package to install when the TCP transport is missing', async () => {
    const loader: TransportModuleLoader = async (name) => {
      throw nodeNotFound(name);
    };
    const error = await createDockerWith({ host: 'tcp://10.0.0.5:2375', environment: {} }, { loadTransportModule: loader }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MissingTransportPackageError);
    expect(error).toBeInstanceOf(BerthError);
    const missing = error as MissingTransportPackageError;
    expect(missing.packageName).toBe('@berth/transport-tcp');
    expect(missing.installCommand).toBe('npm install @berth/transport-tcp');
    expect(missing.message).toContain('tcp://10.0.0.5:2375 needs the optional package @berth/transport-tcp');
    expect(missing.message).toContain('npm install @berth/transport-tcp');
  });

  it('says which package to install when the SSH transport is missing (CommonJS-style code too)', async () => {
    const loader: TransportModuleLoader = async (name) => {
      throw Object.assign(new Error(`Cannot find module "${name}"`), { code: 'MODULE_NOT_FOUND' });
    };
    const error = await createDockerWith({ host: 'ssh://box', environment: {} }, { loadTransportModule: loader }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MissingTransportPackageError);
    expect((error as Error).message).toContain('npm install @berth/transport-ssh');
  });

  it('does not blame the transport package when one of ITS dependencies is missing', async () => {
    const cause = nodeNotFound('ssh2');
    const loader: TransportModuleLoader = async () => {
      throw cause;
    };
    const error = await createDockerWith({ host: 'ssh://box', environment: {} }, { loadTransportModule: loader }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(BerthError);
    expect(error).not.toBeInstanceOf(MissingTransportPackageError);
    expect((error as Error).message).toContain('Could not load @berth/transport-ssh');
    expect((error as Error).cause).toBe(cause);
  });

  it('refuses a transport package without the expected factory', async () => {
    const loader: TransportModuleLoader = async () => ({ somethingElse: () => undefined });
    await expect(createDockerWith({ host: 'tcp://h:1', environment: {} }, { loadTransportModule: loader })).rejects.toThrow(
      '@berth/transport-tcp does not export tcpTransport()',
    );
  });

  it('refuses named pipes outside Windows', async () => {
    const { loader } = recordingLoader();
    const error = await createDockerWith(
      { environment: { DOCKER_HOST: 'npipe:////./pipe/docker_engine' } },
      { loadTransportModule: loader, platform: 'linux' },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toContain('named pipes are not supported on this platform (linux)');
    expect((error as InvalidArgumentError).argument).toBe('DOCKER_HOST');
  });

  it('opens named pipes through the socket transport on Windows', async () => {
    const docker = await createDockerWith({ host: 'npipe:////./pipe/docker_engine', environment: {} }, { platform: 'win32' });
    expect(docker.client.transport.description).toBe('unix://\\\\.\\pipe\\docker_engine');
    await docker.close();
  });

  it('lets a given transport win: nothing is resolved or loaded', async () => {
    const { loader } = recordingLoader();
    const transport = fakeTransport('my transport');
    const docker = await createDockerWith(
      { transport, host: 'bogus://not-even-valid', environment: { DOCKER_HOST: 'also bogus://' } },
      { loadTransportModule: loader },
    );
    expect(loader).not.toHaveBeenCalled();
    expect(docker.client.transport).toBe(transport);
    expect(docker.endpoint).toEqual({ kind: 'custom', source: 'option', description: 'my transport' });
    await docker.close();
    expect(transport.closeCount).toBe(1);
  });

  it('refuses bad input before building anything', async () => {
    const { loader } = recordingLoader();
    await expect(
      createDockerWith({ environment: { DOCKER_HOST: 'tcp://user:hunter2@h:1' } }, { loadTransportModule: loader }),
    ).rejects.toSatisfy((error: unknown) => error instanceof InvalidArgumentError && !(error as Error).message.includes('hunter2'));
    expect(loader).not.toHaveBeenCalled();
  });
});

describe('createDocker: API version', () => {
  it('pins DOCKER_API_VERSION without asking the engine', async () => {
    const docker = await createDocker({ transport: fakeTransport('never used'), environment: { DOCKER_API_VERSION: '1.41' } });
    expect(await docker.client.apiVersion()).toBe('1.41');
  });

  it('pins the DOCKER_API_VERSION of a resolved endpoint', async () => {
    const docker = await createDocker({ environment: { DOCKER_HOST: 'unix:///tmp/berth-nowhere.sock', DOCKER_API_VERSION: '1.43' } });
    expect(docker.endpoint).toMatchObject({ apiVersion: '1.43' });
    expect(await docker.client.apiVersion()).toBe('1.43');
    await docker.close();
  });

  it('lets the apiVersion option beat DOCKER_API_VERSION', async () => {
    const docker = await createDocker({
      apiVersion: '1.44',
      environment: { DOCKER_HOST: 'unix:///tmp/berth-nowhere.sock', DOCKER_API_VERSION: '1.43' },
    });
    expect(await docker.client.apiVersion()).toBe('1.44');
    await docker.close();
  });
});

describe('createDocker: registry credentials', () => {
  const environment = () => ({ DOCKER_HOST: 'unix:///tmp/berth-nowhere.sock', DOCKER_CONFIG: configDirectory, PATH: '' });

  it('wires the docker configuration in by default', async () => {
    const docker = await createDocker({ environment: environment() });
    expect(await docker.images.credentialsFor('localhost:5000/app:v1')).toMatchObject({ username: 'me', password: 'pw' });
    expect(await docker.images.credentialsFor('other.example/app:v1')).toBeUndefined();
    await docker.close();
  });

  it('attaches nothing with credentials: false', async () => {
    const docker = await createDocker({ environment: environment(), credentials: false });
    expect(await docker.images.credentialsFor('localhost:5000/app:v1')).toBeUndefined();
    await docker.close();
  });

  it('uses a provider of your own', async () => {
    const mine: RegistryAuthConfig = { username: 'ci', password: 'token', serveraddress: 'localhost:5000' };
    const docker = await createDocker({
      environment: environment(),
      credentials: { forReference: async () => mine, all: async () => ({ 'localhost:5000': mine }) },
    });
    expect(await docker.images.credentialsFor('anything/at:all')).toBe(mine);
    await docker.close();
  });

  it('does not read the configuration until credentials are needed', async () => {
    // A broken config.json would fail the first credential lookup, not createDocker.
    const broken = join(root, 'broken-config');
    await writeConfigDirectory(broken, { rawConfig: '{ not json' });
    const docker = await createDocker({ environment: { DOCKER_HOST: 'unix:///tmp/berth-nowhere.sock', DOCKER_CONFIG: broken } });
    await expect(docker.images.credentialsFor('localhost:5000/app')).rejects.toThrow(/config\.json/);
    await docker.close();
  });
});

describe('createDocker() without options', () => {
  it('reads process.env (docker-py: docker.from_env())', async () => {
    const saved = process.env['DOCKER_HOST'];
    process.env['DOCKER_HOST'] = 'unix:///tmp/berth-from-env.sock';
    try {
      const docker = await createDocker({ credentials: false });
      expect(docker.endpoint).toMatchObject({ kind: 'unix', socketPath: '/tmp/berth-from-env.sock', source: 'DOCKER_HOST' });
      await docker.close();
    } finally {
      if (saved === undefined) delete process.env['DOCKER_HOST'];
      else process.env['DOCKER_HOST'] = saved;
    }
  });

  it('has one front door: no Docker.fromEnv', async () => {
    const entry: Record<string, unknown> = await import('../../src/index.js');
    expect(entry['createDocker']).toBeTypeOf('function');
    expect(entry['Docker']).toBeUndefined();
  });
});
