// BuildKit builds with a build session through every transport, configured the way a user
// would (DOCKER_HOST and a `docker login` config.json): the session's HTTP/2 connection is
// switched on whatever carries the client (Unix socket, mutual TLS, an SSH channel), and the
// engine pulls a private base image with the config.json credentials it asks the session for,
// reads a secret, syncs the context, and sends a `local` output back.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findTestEngine, startAuthRegistry, uniqueName, type AuthRegistry } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Docker } from '../../src/create-docker.js';
import { makeTemporaryDirectory } from '../helpers/docker-config-fixture.js';
import { everyTransport, withDocker, type Environment, type TransportCase } from '../helpers/every-transport.js';
import { findSshHarness, findTlsHarness } from '../helpers/harness-extras.js';

const engine = findTestEngine();
const tlsHarness = engine ? findTlsHarness() : undefined;
const sshHarness = engine ? findSshHarness() : undefined;

const transports = everyTransport(engine, tlsHarness, sshHarness);

let registry: AuthRegistry;
let root: string;
let removeRoot: () => Promise<void>;
let privateBase: string;
let folders = 0;

async function freshFolder(name: string): Promise<string> {
  const path = join(root, `${name}-${++folders}`);
  await mkdir(path, { recursive: true });
  return path;
}

/** A user's environment: the transport's variables, a home of its own, a logged-in DOCKER_CONFIG. */
async function userEnvironment(transport: TransportCase): Promise<Environment> {
  const home = await freshFolder('home');
  const config = await freshFolder('docker-config');
  const auth = Buffer.from(`${registry.username}:${registry.password}`).toString('base64');
  await writeFile(join(config, 'config.json'), JSON.stringify({ auths: { [registry.address]: { auth } } }), { mode: 0o600 });
  return { ...(await transport.environment(home)), HOME: home, DOCKER_CONFIG: config };
}

beforeAll(async () => {
  if (!engine) return;
  const temporary = await makeTemporaryDirectory('buildkit-transports');
  root = temporary.path;
  removeRoot = temporary.remove;
  registry = await startAuthRegistry();
  // The private base: the seed image pushed to the password registry, then removed from the
  // engine, so every build below has to pull it with credentials.
  privateBase = `${registry.address}/private/${uniqueName('bk-base')}:1`;
  await withDocker({ DOCKER_HOST: engine.dockerHost, HOME: await freshFolder('home') }, async (docker) => {
    await (await docker.images.get(engine.seedImage)).tag(privateBase);
    await docker.images.push(privateBase, { authConfig: { username: registry.username, password: registry.password } });
    await docker.images.remove(privateBase);
  });
}, 60_000);

afterAll(async () => {
  await registry?.close();
  await removeRoot?.();
});

describe.runIf(engine)('BuildKit builds with a session, every transport, zero auth code', () => {
  for (const transport of transports) {
    describe.runIf(transport.available)(`over ${transport.name}`, () => {
      it('builds FROM a private base with config.json credentials, a secret and a synced context; sends a local output back', async () => {
        const environment = await userEnvironment(transport);
        const context = await freshFolder('context');
        const marker = randomBytes(6).toString('hex');
        await writeFile(join(context, 'payload.txt'), `payload ${marker}\n`);
        await writeFile(
          join(context, 'Dockerfile'),
          [
            `FROM ${privateBase} AS build`,
            'ARG NONCE',
            'COPY payload.txt /out/',
            'RUN --mount=type=secret,id=token,required=true cp /out/payload.txt /out/copied.txt && wc -c < /run/secrets/token > /out/secret-size',
            'FROM scratch',
            'COPY --from=build /out /',
            '',
          ].join('\n'),
        );
        await withDocker(environment, async (docker) => {
          const secret = `s3cret-${marker}`;
          const built = await docker.images.build({
            path: context,
            version: '2',
            networkMode: 'none',
            buildArgs: { NONCE: marker },
            secrets: { token: { value: secret } },
          });
          expect(built.session?.credentialHosts).toContain(registry.address);
          expect(built.session?.secretRequests).toEqual(['token']);
          expect(built.session?.directories['context']?.filesSent).toBeGreaterThanOrEqual(1);
          await docker.images.remove(built.image.id, { force: true }).catch(() => undefined);

          const destination = await freshFolder('output');
          const exported = await docker.images.build({
            path: context,
            networkMode: 'none',
            buildArgs: { NONCE: marker },
            secrets: { token: { value: secret } },
            outputs: [{ type: 'local', dest: destination }],
          });
          expect(exported.output.complete).toBe(true);
          expect(await readFile(join(destination, 'copied.txt'), 'utf8')).toBe(`payload ${marker}\n`);
          expect((await readFile(join(destination, 'secret-size'), 'utf8')).trim()).toBe(String(secret.length));
        });
      }, 120_000);
    });
  }
});
