// BuildKit builds with a build session against the real engine of the harness (Engine 26.1 and
// 28.5 in CI; 20.10 works too): synced contexts, secrets, SSH agents, outputs, private bases,
// failures and aborts. Runs over the transport BERTH_TEST_TRANSPORT names.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AbortedError,
  InvalidArgumentError,
  createEngineClient,
  inspectImage,
  type EngineClient,
  type Transport,
} from '@berth/engine-protocol';
import { findTestEngine, startAuthRegistry, uniqueName, type AuthRegistry } from '@berth/test-engine';
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildError, ImageCollection, type BuildOptions, type FileSyncEvent } from '../../../src/index.js';
import { createTestTransport } from '../../support/client.js';
import { dockerRemove } from '../../support/docker-cli.js';
import { entriesOf } from '../../support/tar.js';
import { entriesContaining } from './support/archive-scan.js';
import { processesMatching, waitUntil } from './support/processes.js';
import { stageSshAdd, startSshAgent, type TestSshAgent } from './support/ssh-agent.js';

const engine = findTestEngine();

/** A transport that remembers every connection it switched protocols on (build sessions). */
function trackingUpgrades(transport: Transport): { transport: Transport; upgraded: import('node:stream').Duplex[] } {
  const upgraded: import('node:stream').Duplex[] = [];
  const original = transport.dispatcher;
  const dispatcher = Object.create(original) as Dispatcher;
  dispatcher.dispatch = (options, handler) => {
    if (!options.upgrade) return original.dispatch(options, handler);
    // Upgrades come from EngineClient.upgrade, whose handler is a plain object.
    return original.dispatch(options, {
      ...handler,
      onRequestUpgrade(controller, status, headers, socket) {
        upgraded.push(socket);
        handler.onRequestUpgrade?.(controller, status, headers, socket);
      },
    } as Dispatcher.DispatchHandler);
  };
  return { transport: { ...transport, dispatcher }, upgraded };
}

describe.runIf(engine)('BuildKit builds with a build session', () => {
  const harness = engine!;
  let client: EngineClient;
  let upgraded: import('node:stream').Duplex[];
  let images: ImageCollection;
  let workspace: string;
  const created: string[] = [];

  async function directoryWith(files: Record<string, string | Buffer>): Promise<string> {
    const directory = await mkdtemp(join(workspace, 'context-'));
    for (const [name, content] of Object.entries(files)) {
      await mkdir(join(directory, name, '..'), { recursive: true });
      await writeFile(join(directory, name), content);
    }
    return directory;
  }

  function tagFor(prefix: string): string {
    const name = `${uniqueName(prefix)}:latest`;
    created.push(name);
    return name;
  }

  /**
   * Build arguments that make every RUN step after `ARG NONCE` run again: a rerun of this suite
   * would otherwise find them cached (`noCache` would also resync the whole context).
   */
  function fresh(): Record<string, string> {
    return { NONCE: randomBytes(8).toString('hex') };
  }

  /** The text that RUN steps printed (BuildKit step output). */
  function stepOutput(log: readonly { type: string }[]): string {
    return log
      .flatMap((event) => (event.type === 'buildkit-status' ? (event as { status: { logs: { text: string }[] } }).status.logs.map((entry) => entry.text) : []))
      .join('');
  }

  beforeAll(async () => {
    const tracked = trackingUpgrades(createTestTransport(harness));
    upgraded = tracked.upgraded;
    client = createEngineClient({ transport: tracked.transport, environment: {} });
    workspace = await mkdtemp(join(tmpdir(), 'berth-buildkit-builds-'));
    const emptyConfig = await mkdtemp(join(workspace, 'config-'));
    images = new ImageCollection({ client, environment: { DOCKER_CONFIG: emptyConfig } });
  });

  afterAll(async () => {
    await dockerRemove(harness, created);
    await rm(workspace, { recursive: true, force: true });
    await client?.close();
  });

  it('syncs a 20 000-file context; a rebuild after touching one file moves about one file; ignored files are never served', async () => {
    const files: Record<string, string> = {
      Dockerfile: `FROM ${harness.seedImage}\nARG NONCE\nRUN --mount=type=bind,target=/ctx echo "files=$(find /ctx -type f | wc -l) ignored=$(find /ctx -name '*.secret' | wc -l)" && cat /ctx/dir-7/file-7.txt\n`,
      '.dockerignore': '*.secret\nignored-dir\n',
      'api.secret': 'never-leave-the-client',
      'ignored-dir/a.txt': 'never sent either',
    };
    for (let directory = 0; directory < 100; directory++) {
      for (let file = 0; file < 200; file++) files[`dir-${directory}/file-${file}.txt`] = `content of ${directory}/${file}\n`;
    }
    const context = await directoryWith(files);
    const served: FileSyncEvent[] = [];
    const options: BuildOptions = { path: context, version: '2', networkMode: 'none', tag: tagFor('bk-sync'), onFileSync: (event) => served.push(event) };

    const first = await images.build({ ...options, buildArgs: fresh() });
    expect(stepOutput(first.log)).toContain('files=20002 ignored=0'); // the 20 000 files, Dockerfile, .dockerignore
    const firstContext = first.session?.directories['context'];
    // Every file once (and `.dockerignore` once more, when the engine first reads the rules).
    expect(firstContext?.filesSent).toBeGreaterThanOrEqual(20_002);
    expect(served.some((event) => event.path.endsWith('.secret') || event.path.startsWith('ignored-dir'))).toBe(false);

    // Touch one file: new content, newer time.
    await writeFile(join(context, 'dir-7', 'file-7.txt'), 'changed content\n');
    await utimes(join(context, 'dir-7', 'file-7.txt'), new Date(), new Date(Date.now() + 5_000));
    served.length = 0;
    const second = await images.build({ ...options, buildArgs: fresh() });
    expect(stepOutput(second.log)).toContain('changed content');
    const secondContext = second.session?.directories['context'];
    // Every entry is listed again (metadata), but only the changed file's content moves.
    expect(secondContext?.entriesListed).toBeGreaterThanOrEqual(20_002);
    expect(secondContext?.filesSent).toBeLessThanOrEqual(3);
    expect(secondContext?.bytesSent).toBeLessThan((firstContext?.bytesSent ?? 0) / 100);
    expect(served.filter((event) => event.type === 'sent' && event.directory === 'context').map((event) => event.path)).toContain('dir-7/file-7.txt');
    expect(served.some((event) => event.path.endsWith('.secret') || event.path.startsWith('ignored-dir'))).toBe(false);
  }, 180_000);

  it('mounts a secret in RUN, and no layer of the image holds it', async () => {
    const secret = `berth-secret-${randomBytes(12).toString('hex')}`;
    const hash = createHash('sha256').update(secret).digest('hex');
    const context = await directoryWith({
      Dockerfile: [
        `FROM ${harness.seedImage}`,
        'ARG NONCE',
        'RUN --mount=type=secret,id=token,required=true sha256sum /run/secrets/token | cut -c1-64 > /token-hash && ls /run/secrets',
        'RUN test ! -e /run/secrets/token && echo "no secret file left"',
        '',
      ].join('\n'),
    });
    const { image, log, session } = await images.build({
      path: context,
      networkMode: 'none',
      tag: tagFor('bk-secret'),
      buildArgs: fresh(),
      secrets: { token: { value: secret } },
    });
    expect(session?.secretRequests).toEqual(['token']);
    expect(stepOutput(log)).toContain('no secret file left');
    // The step read the right bytes: the image holds their hash.
    const saved = await image.save();
    const { found, scannedBytes } = await entriesContaining(saved, Buffer.from(secret));
    expect(scannedBytes).toBeGreaterThan(1_000_000); // the layers were read (busybox alone is ~1 MB)
    expect(found).toEqual([]);
    const withHash = await entriesContaining(await image.save(), Buffer.from(hash));
    expect(withHash.found.length).toBeGreaterThan(0);
  }, 120_000);

  it('fails a build that requires a secret it was not given, naming the secret', async () => {
    const context = await directoryWith({ Dockerfile: `FROM ${harness.seedImage}\nRUN --mount=type=secret,id=absent,required=true cat /run/secrets/absent\n` });
    const error = await images.build({ path: context, version: '2', networkMode: 'none' }).then(() => undefined, (reason: unknown) => reason);
    expect(error).toBeInstanceOf(BuildError);
    expect((error as BuildError).engineMessage).toMatch(/secret absent.*not found|absent: not found/);
  }, 60_000);

  describe('SSH agent forwarding', () => {
    let agent: TestSshAgent;
    let context: string;
    beforeAll(async () => {
      agent = await startSshAgent();
      context = await directoryWith({});
      const sshAdd = await stageSshAdd(join(context, 'ssh-tools'), '/ssh-tools');
      await writeFile(
        join(context, 'Dockerfile'),
        `FROM ${harness.seedImage}\nRUN --mount=type=bind,source=ssh-tools,target=/ssh-tools --mount=type=ssh,required=true test -S "$SSH_AUTH_SOCK" && ${sshAdd} -l\n`,
      );
    });
    afterAll(() => agent?.stop());

    it('lets `ssh-add -l` in a RUN step list the key of the forwarded agent', async () => {
      const { log, session } = await images.build({ path: context, networkMode: 'none', noCache: true, ssh: { default: agent.socket } });
      expect(stepOutput(log)).toContain(agent.fingerprint);
      expect(session?.sshConnections).toBeGreaterThanOrEqual(1);
    }, 120_000);

    it('takes the agent of SSH_AUTH_SOCK for `default: true`, and refuses `true` without one before any request', async () => {
      const withAgent = new ImageCollection({ client, environment: { SSH_AUTH_SOCK: agent.socket } });
      const { log } = await withAgent.build({ path: context, networkMode: 'none', noCache: true, ssh: { default: true } });
      expect(stepOutput(log)).toContain(agent.fingerprint);
      const sessionsBefore = upgraded.length;
      await expect(images.build({ path: context, ssh: { default: true } })).rejects.toThrow(InvalidArgumentError);
      expect(upgraded.length).toBe(sessionsBefore);
    }, 120_000);

    it('fails the build clearly when the Dockerfile wants an agent the build did not forward', async () => {
      const error = await images.build({ path: context, version: '2', networkMode: 'none', noCache: true }).then(() => undefined, (reason: unknown) => reason);
      expect(error).toBeInstanceOf(BuildError);
      expect((error as BuildError).engineMessage).toMatch(/no SSH key .* forwarded from the client/);
    }, 60_000);
  });

  it('writes a local output into a directory, and a tar output to a file, instead of an image', async () => {
    const context = await directoryWith({
      Dockerfile: `FROM ${harness.seedImage} AS build\nRUN mkdir -p /out/bin && echo built > /out/result.txt && echo tool > /out/bin/tool && chmod 755 /out/bin/tool\nFROM scratch\nCOPY --from=build /out /\n`,
    });
    const directory = join(workspace, 'local-output');
    const local = await images.build({ path: context, networkMode: 'none', outputs: [{ type: 'local', dest: directory }] });
    expect(local.image).toBeUndefined();
    expect(local.output.files).toBe(2);
    expect((await readFile(join(directory, 'result.txt'), 'utf8')).trim()).toBe('built');
    expect((await readdir(join(directory, 'bin')))).toEqual(['tool']);

    const archive = join(workspace, 'output.tar');
    const tar = await images.build({ path: context, networkMode: 'none', outputs: [{ type: 'tar', dest: archive }] });
    expect(tar.output.bytes).toBeGreaterThan(0);
    const entries = await entriesOf(createReadStream(archive));
    expect(entries.get('result.txt')?.toString().trim()).toBe('built');
    expect(entries.get('bin/tool')?.toString().trim()).toBe('tool');
  }, 120_000);

  it('gives the failed step and its last output lines in the BuildError', async () => {
    const context = await directoryWith({ Dockerfile: `FROM ${harness.seedImage}\nRUN echo first line && echo last line && exit 7\n` });
    const error = await images.build({ path: context, version: '2', networkMode: 'none', noCache: true }).then(() => undefined, (reason: unknown) => reason);
    expect(error).toBeInstanceOf(BuildError);
    const step = (error as BuildError).step;
    expect(step?.name).toBe('[2/2] RUN echo first line && echo last line && exit 7');
    expect(step?.lastLines).toEqual(['first line', 'last line']);
    expect((error as BuildError).message).toContain('Last output of the step:\n  first line\n  last line');
  }, 60_000);

  it('builds FROM a private base image with the credentials the session hands out (authConfigs)', async () => {
    let registry: AuthRegistry | undefined;
    try {
      registry = await startAuthRegistry();
      const base = `${registry.address}/private/${uniqueName('bk-base')}:1`;
      const authConfig = { username: registry.username, password: registry.password, serveraddress: registry.address };
      const seed = await images.get(harness.seedImage);
      await seed.tag(base);
      created.push(base);
      await images.push(base, { authConfig });
      await images.remove(base);
      const context = await directoryWith({ Dockerfile: `FROM ${base}\nARG NONCE\nRUN echo from-private-base\n` });
      const anonymous = await images.build({ path: context, version: '2', networkMode: 'none' }).then(() => undefined, (reason: unknown) => reason);
      expect(anonymous).toBeInstanceOf(BuildError);
      const { log, session } = await images.build({
        path: context,
        version: '2',
        networkMode: 'none',
        tag: tagFor('bk-private'),
        buildArgs: fresh(),
        authConfigs: { [registry.address]: authConfig },
      });
      expect(stepOutput(log)).toContain('from-private-base');
      expect(session?.credentialHosts).toContain(registry.address);
    } finally {
      await registry?.close();
    }
  }, 120_000);

  it('builds several platforms into one image index without attestations (containerd store), or fails clearly without that store', async () => {
    const context = await directoryWith({ Dockerfile: 'FROM scratch\nCOPY hello.txt /\n', 'hello.txt': `hello ${randomBytes(4).toString('hex')}\n` });
    const tag = tagFor('bk-multi');
    const building = images.build({ path: context, tag, platforms: ['linux/amd64', 'linux/arm64'] });
    if (process.env['BERTH_TEST_ENGINE_IMAGE_STORE'] !== 'containerd') {
      const error = await building.then(() => undefined, (reason: unknown) => reason);
      expect(error).toBeInstanceOf(BuildError);
      expect((error as BuildError).message).toContain('containerd image store');
      return;
    }
    const { image } = await building;
    expect(image.tags).toContain(tag);
    const index = await inspectImage(client, { name: tag, manifests: true });
    // One manifest per platform, and nothing else (no provenance or SBOM attestation manifests).
    expect((index.Manifests ?? []).map((manifest) => [manifest.Kind, manifest.ImageData?.Platform?.architecture]).sort()).toEqual([
      ['image', 'amd64'],
      ['image', 'arm64'],
    ]);
  }, 120_000);

  it('aborting mid-build kills the RUN step, cancels the build and closes the session', async () => {
    const marker = String(3_000 + Math.floor(Math.random() * 6_000));
    const context = await directoryWith({ Dockerfile: `FROM ${harness.seedImage}\nRUN sleep ${marker}.5\n` });
    const controller = new AbortController();
    const sessionsBefore = upgraded.length;
    const building = images.build({ path: context, version: '2', networkMode: 'none', noCache: true, signal: controller.signal });
    await waitUntil(async () => (await processesMatching(`sleep ${marker}.5`)).length > 0, 'the RUN step runs', 60_000);
    controller.abort();
    await expect(building).rejects.toBeInstanceOf(AbortedError);
    await waitUntil(async () => (await processesMatching(`sleep ${marker}.5`)).length === 0, 'the RUN step is killed', 30_000);
    const sessions = upgraded.slice(sessionsBefore);
    expect(sessions).toHaveLength(1);
    expect(sessions.every((socket) => socket.destroyed)).toBe(true);
  }, 120_000);
});
