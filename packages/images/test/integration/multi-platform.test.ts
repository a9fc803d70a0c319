// The containerd image store's multi-platform images, as a model: a real two-platform image (an
// OCI index archive made here, linux/amd64 + linux/arm64) loaded, listed and inspected with its
// manifests, saved and loaded per platform, pushed and pulled one platform at a time into the
// same index; cross-checked with the docker CLI of the engine (`docker image ls --tree`). On
// engines without the store (the graphdriver store, Podman) the same calls are refused with the
// typed error before any request, or the model is empty: asserted, not skipped.
import { InvalidArgumentError, UnsupportedOptionError, type EngineClient } from '@berth/engine-protocol';
import { findTestEngine, uniqueName } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageCollection, type Image, type ImageManifest } from '../../src/index.js';
import { createTestClient } from '../support/client.js';
import { docker, dockerRemove } from '../support/docker-cli.js';
import { engineTraits, type EngineTraits } from '../support/engine-traits.js';
import { ociIndexArchive, type OciArchive } from '../support/oci-archive.js';
import { entriesOf } from '../support/tar.js';

const engine = findTestEngine();
/**
 * Which half of the suite applies, from the harness's env file; checked against the engine
 * itself in beforeAll, so a wrong variable fails instead of testing the wrong thing.
 */
const containerdStore = process.env['BERTH_TEST_ENGINE_IMAGE_STORE'] === 'containerd';
const amd64 = { os: 'linux', architecture: 'amd64' } as const;
const arm64 = { os: 'linux', architecture: 'arm64' } as const;

/** `os/arch` of each image manifest, with its availability. */
function platformsOf(manifests: readonly ImageManifest[]): Record<string, boolean> {
  return Object.fromEntries(
    manifests.filter((manifest) => manifest.kind === 'image').map((manifest) => [`${manifest.platform?.os}/${manifest.platform?.architecture}`, manifest.available]),
  );
}

/** The index.json of a saved OCI archive. */
async function savedIndex(image: Image, options: Parameters<Image['save']>[0]): Promise<{ manifests: { digest: string; platform?: { architecture: string } }[] }> {
  const entries = await entriesOf(await image.save(options));
  return JSON.parse(entries.get('index.json')?.toString('utf8') ?? 'null') as { manifests: { digest: string; platform?: { architecture: string } }[] };
}

describe.runIf(engine)('multi-platform images (the containerd image store)', () => {
  const harness = engine!;
  let client: EngineClient;
  let images: ImageCollection;
  let traits: EngineTraits;
  let oci: OciArchive;
  const name = uniqueName('multi');
  const reference = `${name}:v1`;
  const created: string[] = [reference];

  beforeAll(async () => {
    client = createTestClient(harness);
    images = new ImageCollection({ client });
    traits = await engineTraits(client, harness);
    expect(traits.containerdStore, 'BERTH_TEST_ENGINE_IMAGE_STORE disagrees with the engine').toBe(containerdStore);
    oci = await ociIndexArchive(`docker.io/${reference}`, [amd64, arm64], name);
  }, 60_000);

  afterAll(async () => {
    await dockerRemove(harness, created);
    await client?.close();
  });

  if (!containerdStore) {
    it('refuses manifests, and platform on save and load, before any request when the API is older; else reads no manifests', async () => {
      const seed = await images.get(harness.seedImage);
      if (!traits.atLeast('1.47')) {
        await expect(images.list({ manifests: true })).rejects.toBeInstanceOf(UnsupportedOptionError);
        await expect(images.get(harness.seedImage, { manifests: true })).rejects.toMatchObject({ option: 'manifests', requiredVersion: '1.48' });
        await expect(seed.save({ platform: amd64 })).rejects.toMatchObject({ option: 'platform', requiredVersion: '1.48' });
        await expect(images.load(Buffer.alloc(0), { platform: 'linux/amd64' })).rejects.toBeInstanceOf(UnsupportedOptionError);
      } else {
        // The graphdriver store on a newer engine: accepted, but no manifests to show.
        expect((await images.get(harness.seedImage, { manifests: true })).manifests).toEqual([]);
      }
      expect(seed.manifests).toEqual([]);
      // The id is the config digest on these stores: the top of the history is the image itself
      // (Podman writes history ids without the sha256: prefix).
      const history = await seed.history();
      expect(history[0]?.Id?.replace(/^sha256:/, '')).toBe(seed.id.replace(/^sha256:/, ''));
    });
    return;
  }

  it('reads the manifest of a single-platform image: the id is its manifest digest', async () => {
    const seed = await images.get(harness.seedImage, { manifests: true });
    expect(seed.manifests.filter((manifest) => manifest.kind === 'image')).toHaveLength(1);
    expect(seed.attrs.Descriptor?.digest).toBe(seed.id);
    expect(seed.manifests[0]?.digest).toBe(seed.id);
  });

  describe('on the containerd image store', () => {
    let loaded: Image;

    beforeAll(async () => {
      [loaded] = (await images.load(oci.archive)) as [Image];
    }, 60_000);

    it('loads a two-platform index: its id is the index digest, both manifests present with their sizes', async () => {
      expect(loaded.id).toBe(oci.indexDigest);
      expect(loaded.tags).toEqual([reference]);
      const image = await images.get(reference, { manifests: true });
      expect(image.equals(loaded)).toBe(true);
      expect(image.attrs.Descriptor?.mediaType).toBe('application/vnd.oci.image.index.v1+json');
      const manifests = image.manifests;
      expect(platformsOf(manifests)).toEqual({ 'linux/amd64': true, 'linux/arm64': true });
      for (const expected of oci.manifests) {
        const manifest = manifests.find((candidate) => candidate.digest === expected.manifestDigest);
        expect(manifest).toMatchObject({
          kind: 'image',
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          platform: expected.platform,
          available: true,
          attestationFor: undefined,
          containers: [],
        });
        // Content: manifest + config + layer, exactly the blobs of the archive.
        expect(manifest?.size.content).toBe(expected.manifestSize + expected.configSize + expected.layerSize);
        expect(manifest?.size.total).toBeGreaterThanOrEqual(manifest?.size.content ?? Infinity);
      }
      // The engine's platform is unpacked on load, the other one is content only.
      const { architecture } = await images.enginePlatform();
      const native = manifests.find((manifest) => manifest.platform?.architecture === architecture);
      const foreign = manifests.find((manifest) => manifest.platform?.architecture !== architecture);
      expect(native?.size.unpacked).toBeGreaterThan(0);
      expect(foreign?.size.unpacked).toBe(0);
    });

    it('agrees with docker image ls --tree and docker image inspect', async () => {
      const image = await images.get(reference, { manifests: true });
      expect(await docker(harness, ['image', 'inspect', '--format', '{{.Id}}', reference])).toBe(image.id);
      const tree = (await docker(harness, ['image', 'ls', '--tree', name])).replace(/\x1b\[[0-9;]*m/g, '');
      for (const manifest of image.manifests) {
        const line = tree.split('\n').find((candidate) => candidate.includes(`${manifest.platform?.os}/${manifest.platform?.architecture}`));
        expect(line).toContain(manifest.digest.slice('sha256:'.length, 'sha256:'.length + 12));
      }
      expect(tree).toContain(image.id.slice('sha256:'.length, 'sha256:'.length + 12));
    });

    it('lists with manifests; shortId and equality hold', async () => {
      const [listed, ...others] = await images.list({ name, manifests: true });
      expect(others).toEqual([]);
      expect(listed?.id).toBe(oci.indexDigest);
      expect(platformsOf(listed?.manifests ?? [])).toEqual({ 'linux/amd64': true, 'linux/arm64': true });
      expect((await images.list({ name }))[0]?.manifests).toEqual([]);
      const byShortId = await images.get(loaded.shortId);
      const byBareShortId = await images.get(loaded.shortId.slice('sha256:'.length));
      expect(byShortId.equals(loaded)).toBe(true);
      expect(byBareShortId.equals(loaded)).toBe(true);
      expect(loaded.shortId).toBe(`sha256:${oci.indexDigest.slice(7, 19)}`);
      // A reload keeps the manifests of an image fetched with them.
      expect((await listed!.reload()).manifests).toHaveLength(2);
    });

    it('saves one platform (API 1.48) and loads it back: the id is then that manifest digest', async () => {
      const everything = await savedIndex(loaded, { named: true });
      expect(everything.manifests.map((manifest) => manifest.digest)).toEqual([oci.indexDigest]);
      const armOnly = await savedIndex(loaded, { named: true, platform: arm64 });
      const armManifest = oci.manifests.find((manifest) => manifest.platform.architecture === 'arm64')!;
      expect(armOnly.manifests.map((manifest) => [manifest.digest, manifest.platform?.architecture])).toEqual([[armManifest.manifestDigest, 'arm64']]);

      const armName = `${name}:arm64-only`;
      created.push(armName);
      await loaded.tag(name, 'arm64-only');
      const [single] = await images.load(await (await images.get(armName)).save({ named: armName, platform: 'linux/arm64' }));
      expect(single?.tags).toContain(armName);
      const reloaded = await images.get(armName, { manifests: true });
      expect(reloaded.id).toBe(armManifest.manifestDigest);
      expect(reloaded.equals(loaded)).toBe(false);
      expect(platformsOf(reloaded.manifests)).toEqual({ 'linux/arm64': true });
      await expect(loaded.save({ platform: 'linux/arm64/v8/extra' })).rejects.toBeInstanceOf(InvalidArgumentError);
    });

    it('loads only the platform asked for (API 1.48)', async () => {
      await images.remove(reference, { force: true });
      const [image] = await images.load(oci.archive, { platform: arm64 });
      expect(image?.id).toBe(oci.indexDigest);
      const manifests = (await images.get(reference, { manifests: true })).manifests;
      const arm = manifests.find((manifest) => manifest.platform?.architecture === 'arm64');
      expect(arm?.size.unpacked).toBeGreaterThan(0);
    });

    it('pushes the index, then pulls one platform and the other into the same image', async () => {
      const remote = `${harness.registry}/${name}`;
      created.push(`${remote}:v1`);
      // Fresh: every platform's content present, so the push sends the whole index.
      await images.remove(reference, { force: true });
      await images.load(oci.archive);
      await (await images.get(reference)).tag(remote, 'v1');
      const pushed = await images.push(remote, { tag: 'v1' });
      expect(pushed.digest).toBe(oci.indexDigest);
      const data = await images.getRegistryData(`${remote}:v1`);
      expect(data.id).toBe(oci.indexDigest);
      expect(data.platforms).toEqual([amd64, arm64]);

      await images.remove(`${remote}:v1`, { force: true });
      await images.remove(reference, { force: true });
      const armPulled = await images.pull(remote, { tag: 'v1', platform: 'linux/arm64' });
      expect(armPulled.id).toBe(oci.indexDigest);
      expect(platformsOf((await images.get(`${remote}:v1`, { manifests: true })).manifests)).toEqual({ 'linux/amd64': false, 'linux/arm64': true });
      const amdPulled = await images.pull(remote, { tag: 'v1', platform: amd64 });
      expect(amdPulled.equals(armPulled)).toBe(true);
      const both = await images.get(`${remote}:v1`, { manifests: true });
      expect(platformsOf(both.manifests)).toEqual({ 'linux/amd64': true, 'linux/arm64': true });
      expect(both.attrs.RepoDigests).toContain(`${remote}@${oci.indexDigest}`);
    });
  });
});
