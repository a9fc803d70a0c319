// Berth example: a full image round trip against a real engine, with progress drawn by
// @berth/terminal-progress: build (classic builder output), push and pull through a registry
// (per-layer bars), save (bytes) and load.
// Run: `bash scripts/example.sh` (your engine, or a throwaway one with a registry), or
// `pnpm --filter @berth/example-image-roundtrip start`. The engine is found like the docker CLI
// finds it: DOCKER_HOST, DOCKER_CONTEXT, the current context, or /var/run/docker.sock. The
// registry for the push and pull is BERTH_EXAMPLE_REGISTRY (host:port, one your engine reaches);
// without it those two steps are skipped.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createDocker } from '@berth/docker';
import { getVersion, ping } from '@berth/engine-protocol';
import { countBytes, createProgressRenderer, renderProgress } from '@berth/terminal-progress';

const log = (text: string): void => console.log(`[berth] ${text}`);
// Progress goes where the log goes: live on a terminal, plain lines in a pipe or CI log.
const output = process.stdout;
const registry = process.env['BERTH_EXAMPLE_REGISTRY'] || undefined;

const docker = await createDocker();
const workDirectory = await mkdtemp(join(tmpdir(), 'berth-example-'));
const repository = 'berth-example/roundtrip';
const tag = `run-${Date.now().toString(36)}`;

try {
  const pong = await ping(docker.client);
  const version = await getVersion(docker.client);
  log(`engine ${version.Version} at ${"dockerHost" in docker.endpoint ? docker.endpoint.dockerHost : docker.endpoint.description} via ${docker.endpoint.source} (API ${pong.apiVersion}); talking API ${await docker.client.apiVersion()}`);

  // A context with a Dockerfile FROM scratch: no base image, no network needed.
  const context = join(workDirectory, 'context');
  await mkdir(context);
  await writeFile(join(context, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\nCOPY blob.bin /blob.bin\nLABEL org.berth.example=roundtrip\n');
  await writeFile(join(context, 'hello.txt'), 'Hello from Berth!\n');
  // 2 MB that do not compress, so that the pull below has a layer worth a progress bar.
  await writeFile(join(context, 'blob.bin'), randomBytes(2_000_000));
  await writeFile(join(context, '.dockerignore'), '*.tmp\n');
  await writeFile(join(context, 'ignored.tmp'), 'never sent\n');

  // The classic builder: BuildKit's cache would keep the layers after the image is removed, and
  // the pull below would find them all there (`berth-images build` shows the BuildKit view).
  log(`building ${repository}:${tag} from ${context}`);
  const { image } = await renderProgress(docker.images.build({ path: context, tag: `${repository}:${tag}`, version: '1' }), { kind: 'build', output });
  log(`built ${image.shortId} tags=${JSON.stringify(image.tags)} labels=${JSON.stringify(image.labels)}`);

  await image.tag(repository, `${tag}-copy`);
  const copy = await docker.images.get(`${repository}:${tag}-copy`);
  log(`tagged and inspected: ${copy.id === image.id ? 'same image' : 'DIFFERENT image'}, tags=${JSON.stringify(copy.tags)}`);
  const history = await copy.history();
  log(`history: ${history.length} layers, newest: ${history[0]?.CreatedBy ?? '?'}`);
  await docker.images.remove(`${repository}:${tag}-copy`);

  if (registry === undefined) {
    log('push and pull skipped: set BERTH_EXAMPLE_REGISTRY=host:port to a registry your engine reaches');
  } else {
    const remote = `${registry}/${repository}`;
    await image.tag(remote, tag);
    log(`pushing ${remote}:${tag}`);
    const { digest } = await renderProgress(docker.images.push(remote, { tag }), { kind: 'push', output });
    await docker.images.remove(`${remote}:${tag}`);
    await docker.images.remove(`${repository}:${tag}`);
    log(`pushed ${digest}; removed the local copy, pulling it back`);
    const pulled = await renderProgress(docker.images.pull(remote, { tag }), { kind: 'pull', output });
    if (pulled.id !== image.id) throw new Error(`pulled ${pulled.id}, expected ${image.id}`);
    await pulled.tag(repository, tag);
    await docker.images.remove(`${remote}:${tag}`);
    log(`pulled: same id ${pulled.id}`);
  }

  const archive = join(workDirectory, 'image.tar');
  const saving = createProgressRenderer({ kind: 'save', output, transferLabel: `Saving ${repository}:${tag}` });
  await pipeline(await image.save({ named: `${repository}:${tag}` }), countBytes((bytes) => saving.transfer(bytes)), createWriteStream(archive));
  saving.finish();
  log(`saved to ${archive} (${(await stat(archive)).size} bytes, streamed)`);

  await docker.images.remove(`${repository}:${tag}`);
  log('removed the image');

  const loaded = await renderProgress(docker.images.load(archive), { kind: 'load', output });
  const back = loaded[0];
  if (!back || back.id !== image.id) throw new Error(`loaded ${back?.id ?? 'nothing'}, expected ${image.id}`);
  log(`loaded it back: same id ${back.id}, tags=${JSON.stringify(back.tags)}`);

  await docker.images.remove(`${repository}:${tag}`);
  log('cleaned up; round trip complete');
} finally {
  await rm(workDirectory, { recursive: true, force: true });
  await docker.close();
}
