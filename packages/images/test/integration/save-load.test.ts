import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EngineError, InvalidArgumentError, NotFoundError, StreamMessageError, type EngineClient } from '@berth/engine-protocol';
import { findTestEngine, uniqueName } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageCollection, type Image } from '../../src/index.js';
import { createTestClient } from '../support/client.js';
import { docker, dockerBuild, dockerRemove } from '../support/docker-cli.js';
import { engineTraits, familiarTag, type EngineTraits } from '../support/engine-traits.js';
import { entriesOf } from '../support/tar.js';

const engine = findTestEngine();

describe.runIf(engine)('save and load on the harness engine', () => {
  const harness = engine!;
  let client: EngineClient;
  let images: ImageCollection;
  let workspace: string;
  let image: Image;
  let traits: EngineTraits;
  const name = uniqueName('save');
  const tag = `${name}:v1`;

  beforeAll(async () => {
    client = createTestClient(harness);
    images = new ImageCollection({ client });
    traits = await engineTraits(client, harness);
    workspace = await mkdtemp(join(tmpdir(), 'berth-images-save-'));
    // A unique image with a 1 MB layer of random bytes.
    await dockerBuild(harness, tag, `FROM ${harness.seedImage}\nRUN head -c 1000000 /dev/urandom > /blob\nLABEL purpose=save\n`);
    await docker(harness, ['tag', tag, `${name}:v2`]);
    image = await images.get(tag);
  }, 60_000);

  afterAll(async () => {
    await dockerRemove(harness, [tag, `${name}:v2`]);
    await rm(workspace, { recursive: true, force: true });
    await client?.close();
  });

  it('saves a tar archive of the image, in chunks of exactly chunkSize', async () => {
    const chunkSize = 64 * 1024;
    const archive = await image.save({ chunkSize });
    const sizes: number[] = [];
    const source = (async function* () {
      for await (const chunk of archive) {
        sizes.push((chunk as Buffer).length);
        yield chunk as Buffer;
      }
    })();
    const entries = await entriesOf(source);
    expect(sizes.length).toBeGreaterThan(10);
    expect(sizes.slice(0, -1).every((size) => size === chunkSize)).toBe(true);
    expect(sizes.at(-1)).toBeGreaterThan(0);
    expect(sizes.at(-1)).toBeLessThanOrEqual(chunkSize);
    // Saved by id (named: false): the manifest names no tag.
    const manifest = JSON.parse(entries.get('manifest.json')?.toString('utf8') ?? 'null') as { Config: string; RepoTags: string[] | null }[];
    expect(manifest).toHaveLength(1);
    expect(manifest[0]?.RepoTags ?? []).toEqual([]);
    // The config file: `<id>.json` (20.10, Podman) or an OCI blob (`blobs/sha256/<digest>`, from
    // Engine 25); on the graphdriver store and Podman the image id is the config's digest.
    const configPath = manifest[0]?.Config ?? '';
    const config = JSON.parse(entries.get(configPath)?.toString('utf8') ?? 'null') as { rootfs: { diff_ids: string[] } };
    expect(config.rootfs.diff_ids).toEqual(image.attrs.RootFS?.Layers);
    const configDigest = `sha256:${createHash('sha256').update(entries.get(configPath) ?? '').digest('hex')}`;
    if (!traits.containerdStore) expect(configDigest).toBe(image.id);
    expect(configPath).toMatch(new RegExp(`^(?:${configDigest.slice(7)}\\.json|blobs/sha256/${configDigest.slice(7)})$`));
  });

  it('round-trips through a file: save named, remove the image, load the path, same id and tag', async () => {
    const path = join(workspace, 'named.tar');
    await pipeline(await image.save({ named: `${name}:v2` }), createWriteStream(path));
    expect((await stat(path)).size).toBeGreaterThan(1_000_000);
    await images.remove(image.id, { force: true });
    await expect(images.get(image.id)).rejects.toBeInstanceOf(NotFoundError);

    const loading = images.load(path);
    const events: string[] = [];
    for await (const event of loading) events.push(event.type);
    const loaded = await loading;
    expect(loaded.map((item) => item.id)).toEqual([image.id]);
    expect(loaded[0]?.tags.map(familiarTag)).toEqual([`${name}:v2`]);
    expect(loaded[0]?.labels).toEqual({ purpose: 'save', ...(traits.kind === 'podman' ? { 'io.buildah.version': expect.any(String) } : {}) });
    expect(events).toContain('output');
    const listed = await docker(harness, ['images', '--no-trunc', '--format', '{{.ID}} {{.Repository}}:{{.Tag}}', name]);
    expect(listed.split(' ').map(familiarTag).join(' ')).toBe(`${image.id} ${name}:v2`);
    expect((await loaded[0]?.tag(name, 'v1'))?.tags.map(familiarTag)).toContain(`${name}:v1`);
    await image.reload();
  });

  it('streams straight from save into load, named after the first tag', async () => {
    const loaded = await images.load(await image.save({ named: true }));
    expect(loaded.map((item) => item.id)).toEqual([image.id]);
    expect(loaded[0]?.tags).toContain(image.tags[0]);
  });

  it('loads an untagged archive as an image id, from a web stream', async () => {
    const archive = await image.save();
    const loaded = await images.load(Readable.toWeb(archive) as ReadableStream<Uint8Array>);
    expect(loaded.map((item) => item.id)).toEqual([image.id]);
  });

  // Regression (issue 9, bug 1): names were compared literally, so a qualified name was refused
  // on Docker (familiar tags) and a short one on Podman (qualified tags).
  it('saves under a name written in any spelling of one of its tags, as the engine spells it', async () => {
    for (const named of [`docker.io/${name}:v2`, `${name}:v2`]) {
      const entries = await entriesOf(await image.save({ named }));
      const manifest = JSON.parse(entries.get('manifest.json')?.toString('utf8') ?? 'null') as { RepoTags: string[] }[];
      expect(manifest.flatMap((item) => item.RepoTags).map(familiarTag)).toEqual([`${name}:v2`]);
    }
  });

  it('rejects a save name that is not a tag of the image, before any request', async () => {
    await expect(image.save({ named: 'other:tag' })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('rejects a load of something that is not an image archive', async () => {
    const loading = images.load(Buffer.from('definitely not a tar archive'));
    if (traits.kind === 'podman') {
      // Podman reads the whole upload first and answers 500.
      await expect(loading).rejects.toBeInstanceOf(EngineError);
      await expect(loading).rejects.toMatchObject({ status: 500 });
      expect(loading.log).toEqual([]);
      return;
    }
    await expect(loading).rejects.toBeInstanceOf(StreamMessageError);
    expect(loading.log.at(-1)?.type).toBe('error');
  });
});
