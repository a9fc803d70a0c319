// "A user who ran `docker login` can pull and push private images with zero auth code, through
// every transport": a registry that checks passwords (htpasswd), a DOCKER_CONFIG written the
// way `docker login` writes it, and then nothing but `createDocker({ environment })` and
// `docker.images` — over the Unix socket, TCP with mutual TLS, and SSH.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BerthError, NotFoundError } from '@berth/engine-protocol';
import { findTestEngine, secretFormsOf, secretsIn, startAuthRegistry, uniqueName, type AuthRegistry } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Docker } from '../../src/create-docker.js';
import { makeTemporaryDirectory } from '../helpers/docker-config-fixture.js';
import { everyTransport, withDocker, type Environment, type TransportCase } from '../helpers/every-transport.js';
import { findSshHarness, findTlsHarness } from '../helpers/harness-extras.js';

const engine = findTestEngine();
const tlsHarness = engine ? findTlsHarness() : undefined;
const sshHarness = engine ? findSshHarness() : undefined;

/** What the engine says when a registry wants credentials it did not get (or got wrong). */
const authenticationFailure = /no basic auth credentials|unauthorized|authentication required/i;
const wrongPassword = 'Not-The-Password:9f3b';

const transports = everyTransport(engine, tlsHarness, sshHarness);

let registry: AuthRegistry;
let root: string;
let removeRoot: () => Promise<void>;
let folders = 0;

beforeAll(async () => {
  if (!engine) return;
  const temporary = await makeTemporaryDirectory('credentials-transports');
  root = temporary.path;
  removeRoot = temporary.remove;
  registry = await startAuthRegistry();
}, 30_000);

afterAll(async () => {
  await registry?.close();
  await removeRoot?.();
});

async function freshFolder(name: string): Promise<string> {
  const path = join(root, `${name}-${++folders}`);
  await mkdir(path, { recursive: true });
  return path;
}

/** A DOCKER_CONFIG as `docker login <registry>` leaves it: `auths` with base64 `user:password`. */
async function loggedInConfig(password: string): Promise<string> {
  const directory = await freshFolder('docker-config');
  const auth = Buffer.from(`${registry.username}:${password}`, 'utf8').toString('base64');
  await writeFile(join(directory, 'config.json'), JSON.stringify({ auths: { [registry.address]: { auth } } }, null, '\t'), { mode: 0o600 });
  return directory;
}

/**
 * The user's whole environment: the transport's variables, a home folder of its own and the
 * given DOCKER_CONFIG. Nothing of the machine's (no ~/.docker, no PATH, no SSH agent).
 */
async function userEnvironment(transport: TransportCase, dockerConfig: string): Promise<Environment> {
  const home = await freshFolder('home');
  return { ...(await transport.environment(home)), HOME: home, DOCKER_CONFIG: dockerConfig };
}

/** Tags the seed image as `<auth registry>/private/…:v1`; returns the repository and the seed's id. */
async function tagPrivate(docker: Docker, prefix: string): Promise<{ repository: string; reference: string; seedId: string }> {
  const seed = await docker.images.get(engine!.seedImage);
  const repository = `${registry.address}/private/${uniqueName(prefix)}`;
  expect((await seed.tag(repository, 'v1')).tags).toContain(`${repository}:v1`);
  return { repository, reference: `${repository}:v1`, seedId: seed.id };
}

/** The manifest digest the registry itself serves for `repository:tag`, asked with the password. */
async function registryDigest(repository: string, tag: string, authorization?: string): Promise<{ status: number; digest: string | null }> {
  const name = repository.slice(registry.address.length + 1);
  const response = await fetch(`http://${registry.address}/v2/${name}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
      ...(authorization === undefined ? {} : { authorization }),
    },
  });
  return { status: response.status, digest: response.headers.get('docker-content-digest') };
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

async function failureOf(promise: PromiseLike<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but it resolved');
}

function allSecrets(): string[] {
  return [...secretFormsOf(registry.username, registry.password), ...secretFormsOf(registry.username, wrongPassword)];
}

describe.runIf(engine)('registry credentials from `docker login`, zero auth code, every transport', () => {
  it('the secret finder finds a planted secret (so the "no secret" checks below can fail)', () => {
    const planted = new BerthError(`oops ${Buffer.from(`${registry.username}:${registry.password}`).toString('base64')}`);
    expect(secretsIn(planted, allSecrets())).not.toEqual([]);
  });

  for (const transport of transports) {
    describe.runIf(transport.available)(`over ${transport.name}`, () => {
      it('pushes a private image, pulls it back and reads its registry data', async () => {
        const environment = await userEnvironment(transport, await loggedInConfig(registry.password));
        await withDocker(environment, async (docker) => {
          expect(docker.endpoint).toMatchObject({ kind: transport.kind, source: 'DOCKER_HOST' });
          const { repository, reference, seedId } = await tagPrivate(docker, transport.kind);
          try {
            const pushed = await docker.images.push(repository, { tag: 'v1' });
            expect(pushed.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
            expect(pushed.tag).toBe('v1');
            // The registry really holds it, and really wants the password for it.
            expect(await registryDigest(repository, 'v1', basic(registry.username, registry.password))).toEqual({
              status: 200,
              digest: pushed.digest,
            });
            expect((await registryDigest(repository, 'v1')).status).toBe(401);

            await docker.images.remove(reference);
            await expect(docker.images.get(reference)).rejects.toBeInstanceOf(NotFoundError);

            const pulled = await docker.images.pull(repository, { tag: 'v1' });
            expect(pulled.id).toBe(seedId);
            expect(pulled.tags).toContain(reference);
            expect(pulled.attrs.RepoDigests).toContain(`${repository}@${pushed.digest}`);

            const registryData = await docker.images.getRegistryData(reference);
            expect(registryData.id).toBe(pushed.digest);
          } finally {
            await docker.images.remove(reference).catch(() => undefined);
          }
        });
      }, 90_000);

      it('without credentials (an empty DOCKER_CONFIG): push, pull and registry data fail on authentication', async () => {
        const environment = await userEnvironment(transport, await freshFolder('empty-docker-config'));
        await withDocker(environment, async (docker) => {
          expect(await docker.images.credentialsFor(`${registry.address}/private/x`)).toBeUndefined();
          const { repository, reference } = await tagPrivate(docker, `${transport.kind}-anonymous`);
          try {
            const errors = [
              await failureOf(docker.images.push(repository, { tag: 'v1' })),
              await failureOf(docker.images.pull(repository, { tag: 'v1' })),
              await failureOf(docker.images.getRegistryData(reference)),
            ];
            for (const error of errors) {
              expect(error).toBeInstanceOf(BerthError);
              expect((error as Error).message).toMatch(authenticationFailure);
              expect(secretsIn(error, allSecrets())).toEqual([]);
            }
            // Nothing reached the registry.
            expect((await registryDigest(repository, 'v1', basic(registry.username, registry.password))).status).toBe(404);
          } finally {
            await docker.images.remove(reference).catch(() => undefined);
          }
        });
      }, 90_000);

      it('with a wrong password in config.json: fails on authentication, and neither password is in the errors', async () => {
        const environment = await userEnvironment(transport, await loggedInConfig(wrongPassword));
        await withDocker(environment, async (docker) => {
          expect((await docker.images.credentialsFor(`${registry.address}/private/x`))?.password).toBe(wrongPassword);
          const { repository, reference } = await tagPrivate(docker, `${transport.kind}-wrong`);
          try {
            const errors = [
              await failureOf(docker.images.push(repository, { tag: 'v1' })),
              await failureOf(docker.images.pull(repository, { tag: 'v1' })),
            ];
            for (const error of errors) {
              expect(error).toBeInstanceOf(BerthError);
              expect((error as Error).message).toMatch(authenticationFailure);
              expect(secretsIn(error, allSecrets())).toEqual([]);
            }
          } finally {
            await docker.images.remove(reference).catch(() => undefined);
          }
        });
      }, 90_000);

      it('with the right password attached, a missing tag is NotFoundError with no secret in it', async () => {
        const environment = await userEnvironment(transport, await loggedInConfig(registry.password));
        await withDocker(environment, async (docker) => {
          const repository = `${registry.address}/private/${uniqueName(`${transport.kind}-missing`)}`;
          const error = await failureOf(docker.images.pull(repository, { tag: 'absent' }));
          expect(error).toBeInstanceOf(NotFoundError);
          expect(secretsIn(error, allSecrets())).toEqual([]);
        });
      }, 90_000);
    });
  }
});
