// Berth example: a full image round trip against a real engine.
// Run: `pnpm --filter @berth/example-image-roundtrip start` (DOCKER_HOST=unix:///path/to/docker.sock to pick the engine).
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { pack } from 'tar-stream';
import {
  buildImage,
  createEngineClient,
  deleteImage,
  getVersion,
  inspectImage,
  loadImages,
  ping,
  saveImages,
  tagImage,
  type JsonMessageStream,
} from '@berth/engine-protocol';
import { unixTransport } from '@berth/transport-unix';

function socketFromEnvironment(): string | undefined {
  const host = process.env['DOCKER_HOST'];
  if (!host) return undefined;
  if (!host.startsWith('unix://')) throw new Error(`This example speaks to Unix sockets only; DOCKER_HOST is ${host}`);
  return host.slice('unix://'.length);
}

/** A build context holding a Dockerfile `FROM scratch` and one file: no base image needed. */
function scratchContext(): AsyncIterable<Uint8Array> {
  const archive = pack();
  archive.entry({ name: 'Dockerfile' }, 'FROM scratch\nCOPY hello.txt /hello.txt\nLABEL org.berth.example=roundtrip\n');
  archive.entry({ name: 'hello.txt' }, 'Hello from Berth!\n');
  archive.finalize();
  // tar-stream's typings say `unknown` chunks; they are Buffers.
  return archive as AsyncIterable<Uint8Array>;
}

async function follow(progress: JsonMessageStream, onMessage: (text: string) => void): Promise<unknown[]> {
  const aux: unknown[] = [];
  for await (const message of progress) {
    const text = (message.stream ?? message.status ?? '').trim();
    if (text) onMessage(text);
    if (message.aux !== undefined) aux.push(message.aux);
  }
  return aux;
}

const log = (text: string): void => console.log(`[berth] ${text}`);
const client = createEngineClient({ transport: unixTransport({ socketPath: socketFromEnvironment() }) });
const repository = `berth-example/roundtrip`;
const tag = `run-${Date.now().toString(36)}`;
const workDirectory = await mkdtemp(join(tmpdir(), 'berth-example-'));

try {
  const pong = await ping(client);
  const version = await getVersion(client);
  log(`engine ${version.Version} (API ${pong.apiVersion}, ${version.Os}/${version.Arch}); talking API ${await client.apiVersion()}`);

  log('building an image FROM scratch');
  const aux = await follow(await buildImage(client, { body: scratchContext(), t: `${repository}:${tag}`, version: '1' }), (line) =>
    log(`  build: ${line}`),
  );
  const imageId = aux.map((item) => (item as { ID?: string }).ID).find(Boolean);
  if (!imageId) throw new Error('the build reported no image id');
  log(`built ${imageId}`);

  await tagImage(client, { name: imageId, repo: repository, tag: `${tag}-copy` });
  const image = await inspectImage(client, { name: `${repository}:${tag}-copy` });
  log(`tagged and inspected: tags=${JSON.stringify(image.RepoTags)} size=${image.Size} bytes labels=${JSON.stringify(image.Config?.Labels)}`);

  const archivePath = join(workDirectory, 'image.tar');
  await pipeline(await saveImages(client, { names: `${repository}:${tag}` }), createWriteStream(archivePath));
  log(`saved to ${archivePath} (${(await stat(archivePath)).size} bytes, streamed)`);

  await deleteImage(client, { name: `${repository}:${tag}-copy` });
  await deleteImage(client, { name: `${repository}:${tag}` });
  log('removed the image');

  await follow(await loadImages(client, { body: createReadStream(archivePath) }), (line) => log(`  load: ${line}`));
  const reloaded = await inspectImage(client, { name: `${repository}:${tag}` });
  if (reloaded.Id !== imageId) throw new Error(`loaded ${reloaded.Id}, expected ${imageId}`);
  log(`loaded it back: same id ${reloaded.Id}`);

  await deleteImage(client, { name: `${repository}:${tag}` });
  log('cleaned up; round trip complete');
} finally {
  await rm(workDirectory, { recursive: true, force: true });
  await client.close();
}
