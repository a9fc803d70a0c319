// Berth example: a full image round trip against a real engine, with progress.
// Run: `pnpm --filter @berth/example-image-roundtrip start`. The engine is found like the docker
// CLI finds it: DOCKER_HOST, DOCKER_CONTEXT, the current context, or /var/run/docker.sock.
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createDocker } from '@berth/docker';
import { getVersion, ping } from '@berth/engine-protocol';
import type { ProgressEvent } from '@berth/images';

const log = (text: string): void => console.log(`[berth] ${text}`);

function describe(event: ProgressEvent): string | undefined {
  switch (event.type) {
    case 'output':
      return event.text.trim() || undefined;
    case 'status':
      return event.status;
    case 'image-id':
      return `image id ${event.imageId}`;
    default:
      return undefined;
  }
}

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
  await writeFile(join(context, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\nLABEL org.berth.example=roundtrip\n');
  await writeFile(join(context, 'hello.txt'), 'Hello from Berth!\n');
  await writeFile(join(context, '.dockerignore'), '*.tmp\n');
  await writeFile(join(context, 'ignored.tmp'), 'never sent\n');

  log(`building ${repository}:${tag} from ${context}`);
  const building = docker.images.build({ path: context, tag: `${repository}:${tag}`, version: '1' });
  for await (const event of building) {
    const text = describe(event);
    if (text) log(`  build: ${text}`);
  }
  const { image } = await building;
  log(`built ${image.shortId} tags=${JSON.stringify(image.tags)} labels=${JSON.stringify(image.labels)}`);

  await image.tag(repository, `${tag}-copy`);
  const copy = await docker.images.get(`${repository}:${tag}-copy`);
  log(`tagged and inspected: ${copy.id === image.id ? 'same image' : 'DIFFERENT image'}, tags=${JSON.stringify(copy.tags)}`);
  const history = await copy.history();
  log(`history: ${history.length} layers, newest: ${history[0]?.CreatedBy ?? '?'}`);

  const archive = join(workDirectory, 'image.tar');
  await pipeline(await image.save({ named: `${repository}:${tag}` }), createWriteStream(archive));
  log(`saved to ${archive} (${(await stat(archive)).size} bytes, streamed)`);

  await docker.images.remove(`${repository}:${tag}-copy`);
  await docker.images.remove(`${repository}:${tag}`);
  log('removed the image');

  const loaded = await docker.images.load(archive);
  const back = loaded[0];
  if (!back || back.id !== image.id) throw new Error(`loaded ${back?.id ?? 'nothing'}, expected ${image.id}`);
  log(`loaded it back: same id ${back.id}, tags=${JSON.stringify(back.tags)}`);

  await docker.images.remove(`${repository}:${tag}`);
  log('cleaned up; round trip complete');
} finally {
  await rm(workDirectory, { recursive: true, force: true });
  await docker.close();
}
