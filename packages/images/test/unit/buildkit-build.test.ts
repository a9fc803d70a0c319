// The BuildKit path of ImageCollection.build against a scripted engine: which builder runs, what
// the session announces, what the build request names. (The sessions themselves run against
// real engines in test/integration.)
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildError, ImageCollection, type BuildOptions } from '../../src/index.js';
import { chooseBuilder } from '../../src/build/choose-builder.js';
import { registryCredentialsLookup, sessionCredentialsOf } from '../../src/build/registry-credentials-lookup.js';
import { fakeEngine, type FakeEngine, type SeenRequest } from './support/fake-engine.js';
import { readFixture } from './support/fixtures.js';
import { inspectReply } from './support/inspect.js';

let workspace: string;
let context: string;
beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'berth-buildkit-unit-'));
  context = join(workspace, 'app');
  await mkdir(join(context, 'docker'), { recursive: true });
  await writeFile(join(context, 'Dockerfile'), 'FROM scratch\n');
  await writeFile(join(context, 'docker', 'app.Dockerfile'), 'FROM scratch\n');
});
afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

function engine(options: { builderVersion?: string; body?: string } = {}): FakeEngine {
  return fakeEngine((request) => {
    if (request.path === '/_ping') return { body: 'OK', headers: { 'api-version': '1.45', 'builder-version': options.builderVersion ?? '1' } };
    if (request.versionless === '/build') return { body: options.body ?? readFixture('build-buildkit.jsonl') };
    return inspectReply(request.versionless);
  });
}

function images(fake: FakeEngine, environment: Record<string, string> = {}): ImageCollection {
  return new ImageCollection({ client: fake.client, environment: { DOCKER_CONFIG: workspace, ...environment } });
}

const requestTo = (fake: FakeEngine, suffix: string): SeenRequest | undefined => fake.calls().find((request) => request.path.endsWith(suffix));

describe('ImageCollection.build with BuildKit', () => {
  it('syncs a context directory through a session: the build names the session and takes no body', async () => {
    const fake = engine();
    const result = await images(fake).build({ path: context, version: '2', tag: 'app:dev' });
    const session = requestTo(fake, '/session');
    const build = requestTo(fake, '/build');
    expect(session?.headers['upgrade']).toBe('h2c');
    const methods = session?.headers['x-docker-expose-session-grpc-method']?.split(', ') ?? [];
    expect(methods).toEqual(
      expect.arrayContaining(['/grpc.health.v1.Health/Check', '/moby.filesync.v1.FileSync/DiffCopy', '/moby.filesync.v1.Auth/Credentials', '/moby.buildkit.secrets.v1.Secrets/GetSecret']),
    );
    expect(methods).not.toContain('/moby.sshforward.v1.SSH/ForwardAgent');
    expect(methods).not.toContain('/moby.filesync.v1.FileSend/DiffCopy');
    expect(build?.query.get('session')).toBe(session?.headers['x-docker-expose-session-uuid']);
    expect(build?.query.get('remote')).toBe('client-session');
    expect(build?.query.get('dockerfile')).toBe('Dockerfile');
    expect(build?.query.get('version')).toBe('2');
    expect(build?.query.get('buildid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(build?.body).toBeUndefined();
    expect(result.image.id).toMatch(/^sha256:/);
    expect(result.session?.directories).toEqual({});
  });

  it('serves a Dockerfile outside the default place from its own directory, by file name', async () => {
    const fake = engine();
    await images(fake).build({ path: context, dockerfile: 'docker/app.Dockerfile', version: '2' });
    expect(requestTo(fake, '/build')?.query.get('dockerfile')).toBe('app.Dockerfile');
  });

  it("uses BuildKit when the engine's default builder is BuildKit, or a BuildKit-only option is given, and the classic builder otherwise", async () => {
    const buildkitDefault = engine({ builderVersion: '2' });
    await images(buildkitDefault).build({ path: context });
    expect(requestTo(buildkitDefault, '/build')?.query.get('version')).toBe('2');
    expect(requestTo(buildkitDefault, '/session')).toBeDefined();

    const classicDefault = fakeEngine((request) =>
      request.versionless === '/build' ? { body: readFixture('build-classic.jsonl') } : inspectReply(request.versionless),
    );
    await images(classicDefault).build({ path: context });
    expect(requestTo(classicDefault, '/build')?.query.get('version')).toBeNull();
    expect(requestTo(classicDefault, '/session')).toBeUndefined();

    const byOption = engine();
    await images(byOption, { TOKEN: 't' }).build({ path: context, secrets: { token: { env: 'TOKEN' } } });
    expect(requestTo(byOption, '/build')?.query.get('version')).toBe('2');
  });

  it('refuses BuildKit-only options with version 1, a missing secret source and a missing agent before any request', async () => {
    const cases: [BuildOptions, RegExp][] = [
      [{ path: context, version: '1', secrets: { a: { value: 'x' } } }, /secrets needs BuildKit/],
      [{ path: context, secrets: { a: { env: 'UNSET' } } }, /UNSET is not set/],
      [{ path: context, ssh: { default: true } }, /SSH_AUTH_SOCK, which is not set/],
      [{ path: context, outputs: [{ type: 'local', dest: 'a' }, { type: 'tar', dest: 'b' }] }, /one output/],
      [{ path: context, outputs: [{ type: 'oci' } as never] }, /Invalid output/],
      [{ path: context, platform: 'linux/amd64', platforms: ['linux/arm64'] }, /platform or platforms/],
      [{ path: join(context, 'missing') , version: '2' }, /cannot be served/],
      [{ path: context, dockerfile: 'nope', version: '2' }, /Cannot locate the Dockerfile/],
    ];
    for (const [options, message] of cases) {
      const fake = engine();
      const error = await images(fake).build(options).then(() => undefined, (reason: unknown) => reason);
      expect(error, String(message)).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message).toMatch(message);
      expect(fake.calls().filter((request) => request.path.endsWith('/session') || request.path.endsWith('/build'))).toEqual([]);
    }
  });

  it('serves a Dockerfile given as text from memory, and uploads a ready context tar with the session named', async () => {
    const fromText = engine();
    await images(fromText).build({ file: 'FROM scratch\n', version: '2' });
    expect(requestTo(fromText, '/build')?.query.get('remote')).toBe('client-session');
    expect(requestTo(fromText, '/build')?.query.get('dockerfile')).toBe('Dockerfile');

    const tar = engine();
    const archive = Buffer.alloc(1024);
    await images(tar).build({ file: archive, customContext: true, version: '2' });
    const build = requestTo(tar, '/build');
    expect(build?.query.get('remote')).toBeNull();
    expect(build?.body?.equals(archive)).toBe(true);
    expect(build?.query.get('session')).toBe(requestTo(tar, '/session')?.headers['x-docker-expose-session-uuid']);

    const uploaded = engine();
    await images(uploaded).build({ path: context, version: '2', syncContext: false });
    expect(requestTo(uploaded, '/build')?.query.get('remote')).toBeNull();
    expect(requestTo(uploaded, '/build')?.body?.length).toBeGreaterThan(0);
  });

  it('asks for a local output and fails clearly when the engine never sent it', async () => {
    const fake = engine();
    const error = await images(fake)
      .build({ path: context, outputs: [{ type: 'local', dest: join(workspace, 'out') }] })
      .then(() => undefined, (reason: unknown) => reason);
    expect(JSON.parse(requestTo(fake, '/build')?.query.get('outputs') ?? 'null')).toEqual([{ Type: 'local', Attrs: {} }]);
    expect(requestTo(fake, '/session')?.headers['x-docker-expose-session-grpc-method']).toContain('/moby.filesync.v1.FileSend/DiffCopy');
    expect(error).toBeInstanceOf(BuildError);
    expect((error as BuildError).shortMessage).toBe('The build ended without sending its output to the client.');
  });

  it('exports the inline cache through the build argument the engine reads', async () => {
    const fake = engine();
    await images(fake).build({ path: context, cacheTo: [{ type: 'inline' }] });
    expect(JSON.parse(requestTo(fake, '/build')?.query.get('buildargs') ?? '{}')).toEqual({ BUILDKIT_INLINE_CACHE: '1' });
    await expect(images(engine()).build({ path: context, cacheTo: [{ type: 'registry' } as never] })).rejects.toThrow(/inline cache only/);
  });
});

describe('a BuildKit build on an engine without build sessions (Podman)', () => {
  function sessionless(): FakeEngine {
    return fakeEngine((request) => {
      if (request.versionless === '/session') return { status: 404, body: '{"message":"page not found"}' };
      if (request.versionless === '/build') return { body: readFixture('build-buildkit.jsonl') };
      return inspectReply(request.versionless);
    });
  }

  it('uploads the context as before sessions, keeping version 2', async () => {
    const fake = sessionless();
    const result = await images(fake).build({ path: context, version: '2' });
    const build = requestTo(fake, '/build');
    expect(build?.query.get('version')).toBe('2');
    expect(build?.query.get('session')).toBeNull();
    expect(build?.body?.length).toBeGreaterThan(0);
    expect(result.session).toBeUndefined();
  });

  it('refuses what only a session can do, naming the option', async () => {
    const error = await images(sessionless()).build({ path: context, secrets: { a: { value: 'x' } } }).then(() => undefined, (reason: unknown) => reason);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).shortMessage).toBe('secrets needs BuildKit build sessions, which this engine does not serve (POST /session: 404).');
  });
});

describe('chooseBuilder', () => {
  it('asks the engine only when neither version nor a BuildKit-only option decides', async () => {
    let asked = 0;
    const ask = async (): Promise<string> => {
      asked++;
      return '2';
    };
    expect(await chooseBuilder({ version: '1' }, ask)).toBe('classic');
    expect(await chooseBuilder({ version: '2' }, ask)).toBe('buildkit');
    expect(await chooseBuilder({ ssh: { default: true } }, ask)).toBe('buildkit');
    expect(asked).toBe(0);
    expect(await chooseBuilder({}, ask)).toBe('buildkit');
    expect(await chooseBuilder({}, async () => undefined)).toBe('classic');
    await expect(chooseBuilder({ version: '3' as never }, ask)).rejects.toThrow(/version must be/);
  });
});

describe('registry credentials for a build session', () => {
  it('matches authConfigs by host whatever the key form, maps Docker Hub, then asks the provider', async () => {
    const asked: string[] = [];
    const lookup = registryCredentialsLookup(
      {
        'https://127.0.0.1:5000/v2/': { username: 'ci', password: 'pw' },
        'https://index.docker.io/v1/': { auth: Buffer.from('hub:token:with:colons').toString('base64') },
      },
      {
        forReference: async () => undefined,
        all: async () => ({}),
        forRegistry: async (registry) => {
          asked.push(registry);
          return registry === 'ghcr.io' ? { identitytoken: 'refresh' } : undefined;
        },
      },
    );
    expect(await lookup('127.0.0.1:5000')).toEqual({ username: 'ci', secret: 'pw' });
    expect(await lookup('registry-1.docker.io')).toEqual({ username: 'hub', secret: 'token:with:colons' });
    expect(await lookup('ghcr.io')).toEqual({ username: '', secret: 'refresh' });
    expect(await lookup('quay.io')).toBeUndefined();
    expect(asked).toEqual(['ghcr.io', 'quay.io']);
  });

  it('asks forReference with a reference on the registry when the provider has no forRegistry', async () => {
    const references: string[] = [];
    const lookup = registryCredentialsLookup(undefined, {
      forReference: async (reference) => {
        references.push(reference);
        return { username: 'u', password: 'p' };
      },
      all: async () => ({}),
    });
    expect(await lookup('127.0.0.1:5000')).toEqual({ username: 'u', secret: 'p' });
    expect(await lookup('registry-1.docker.io')).toEqual({ username: 'u', secret: 'p' });
    expect(references).toEqual(['127.0.0.1:5000/berth/credentials', 'docker.io/library/busybox']);
    expect(sessionCredentialsOf({})).toBeUndefined();
  });
});
