import {
  EngineError,
  InvalidArgumentError,
  NotFoundError,
  StreamMessageError,
  UnsupportedEndpointError,
  type EngineClient,
} from '@berth/engine-protocol';
import { findTestEngine, uniqueName } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageCollection, LayerProgressAggregator, type ProgressEvent } from '../../src/index.js';
import { createTestClient } from '../support/client.js';
import { docker, dockerBuild, dockerRemove } from '../support/docker-cli.js';
import { engineTraits, type EngineTraits } from '../support/engine-traits.js';
import { registryDigest, registryTags } from '../support/registry.js';

const engine = findTestEngine();

describe.runIf(engine)('pull, push and registry data against the harness registry', () => {
  const harness = engine!;
  let client: EngineClient;
  let images: ImageCollection;
  const created: string[] = [];
  /** `berth-it/pull-…`, pushed by the CLI as tags v1 and v2 (different images), then removed locally. */
  const repositoryPath = uniqueName('pull');
  const repository = `${harness.registry}/${repositoryPath}`;
  let v1Id: string;
  let v2Id: string;
  let v1Digest: string;
  let traits: EngineTraits;

  beforeAll(async () => {
    client = createTestClient(harness);
    images = new ImageCollection({ client });
    traits = await engineTraits(client, harness);
    // A layer of random bytes, so that a pull really downloads something.
    v1Id = await dockerBuild(harness, `${repository}:v1`, `FROM ${harness.seedImage}\nRUN head -c 300000 /dev/urandom > /blob\n`);
    v2Id = await dockerBuild(harness, `${repository}:v2`, `FROM ${harness.seedImage}\nLABEL version=2\n`);
    await docker(harness, ['push', `${repository}:v1`]);
    await docker(harness, ['push', `${repository}:v2`]);
    v1Digest = await registryDigest(harness.registry, repositoryPath, 'v1');
    await dockerRemove(harness, [`${repository}:v1`, `${repository}:v2`]);
  }, 120_000);

  afterAll(async () => {
    await dockerRemove(harness, [...created, `${repository}:v1`, `${repository}:v2`]);
    await client?.close();
  });

  it('pulls a tag, reporting typed progress that adds up', async () => {
    const pulling = images.pull(repository, { tag: 'v1' });
    const aggregator = new LayerProgressAggregator();
    const events: ProgressEvent[] = [];
    for await (const event of pulling) {
      events.push(event);
      aggregator.update(event);
    }
    const image = await pulling;
    expect(image.id).toBe(v1Id);
    expect(image.tags).toContain(`${repository}:v1`);
    expect(events.at(-1)).toEqual({ type: 'complete', raw: {} });
    const states = new Set(events.flatMap((event) => (event.type === 'layer' ? [event.state] : [])));
    if (traits.kind === 'podman') {
      // Podman: no digest, no final status; layers end at `Download complete`.
      expect(events.filter((event) => event.type === 'digest')).toEqual([]);
      expect([...states].sort()).toEqual(['already-exists', 'download-complete', 'waiting']);
    } else {
      expect(events.filter((event) => event.type === 'digest')).toEqual([expect.objectContaining({ digest: v1Digest })]);
      expect(events.at(-2)).toMatchObject({ type: 'status', status: `Status: Downloaded newer image for ${repository}:v1` });
      expect(states).toContain('pull-complete');
      // The containerd store does not report the layers it already has.
      if (!traits.containerdStore) expect(states).toContain('already-exists');
    }
    const totals = aggregator.totals();
    // Every engine's layers are finished once the pull succeeded (the `complete` event).
    expect(totals.layerCount).toBeGreaterThan(0);
    expect(totals.finishedLayers).toBe(totals.layerCount);
    expect(totals.transferredBytes).toBe(totals.totalBytes);
    // Only the graphdriver store sends byte counts.
    if (traits.kind === 'docker' && !traits.containerdStore) expect(totals.totalBytes).toBeGreaterThan(0);
    else expect(totals.totalBytes).toBe(0);
    // The log keeps milestones, not byte counts.
    expect(pulling.log.some((event) => event.type === 'layer' && event.current !== undefined)).toBe(false);
    expect(await docker(harness, ['image', 'inspect', '--format', '{{.Id}}', `${repository}:v1`])).toBe(v1Id);
  });

  it('pulls by digest, and an explicit tag beats the tag in the name', async () => {
    const byDigest = await images.pull(`${repository}@${v1Digest}`);
    expect(byDigest.id).toBe(v1Id);
    expect(byDigest.attrs.RepoDigests).toContain(`${repository}@${v1Digest}`);
    const byTag = await images.pull(`${repository}:v1`, { tag: 'v2' });
    expect(byTag.id).toBe(v2Id);
  });

  it('pulls every tag with allTags', async () => {
    await dockerRemove(harness, [`${repository}:v1`, `${repository}:v2`]);
    if (traits.kind === 'podman') {
      // Podman reads a pull without a tag as `latest`, which this repository does not have.
      const pulling = images.pull(repository, { allTags: true });
      await expect(pulling).rejects.toBeInstanceOf(StreamMessageError);
      await expect(pulling).rejects.toMatchObject({ engineMessage: expect.stringContaining('reading manifest latest') });
      return;
    }
    const pulled = await images.pull(repository, { allTags: true });
    expect(pulled.map((image) => image.id).sort()).toEqual([v1Id, v2Id].sort());
    expect(pulled.flatMap((image) => image.tags).filter((tag) => tag.startsWith(repository)).sort()).toEqual([
      `${repository}:v1`,
      `${repository}:v2`,
    ]);
  });

  it('pulls for a platform, given as a string or an object', async () => {
    // (Engine 20.10 does not check the platform of a single-platform image, so a mismatch is
    // not tested here: newer engines refuse it, 20.10 pulls it anyway.)
    const { os, architecture } = await images.enginePlatform();
    await dockerRemove(harness, [`${repository}:v2`]);
    const image = await images.pull(repository, { tag: 'v2', platform: `${os}/${architecture}` });
    expect(image.id).toBe(v2Id);
    expect(image.attrs.Architecture).toBe(architecture);
    await dockerRemove(harness, [`${repository}:v2`]);
    expect((await images.pull(repository, { tag: 'v2', platform: { os, architecture } })).id).toBe(v2Id);
  });

  it('rejects a missing tag with the engine error, and a bad name before any request', async () => {
    if (traits.kind === 'podman') {
      // Podman answers 200 and reports the missing manifest in the stream.
      const pulling = images.pull(repository, { tag: 'missing' });
      await expect(pulling).rejects.toBeInstanceOf(StreamMessageError);
      await expect(pulling).rejects.toMatchObject({ engineMessage: expect.stringContaining('manifest unknown') });
    } else {
      await expect(images.pull(repository, { tag: 'missing' })).rejects.toBeInstanceOf(NotFoundError);
    }
    await expect(images.pull('Invalid Name')).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('reads registry data: the digest the registry serves, platforms, and pulls it', async () => {
    if (traits.kind === 'podman') {
      // Podman has no /distribution: a typed error, not a NotFoundError ("no such image").
      const reading = images.getRegistryData(`${repository}:v1`);
      await expect(reading).rejects.toBeInstanceOf(UnsupportedEndpointError);
      await expect(reading).rejects.not.toBeInstanceOf(NotFoundError);
      await expect(reading).rejects.toMatchObject({ status: 404, engineMessage: expect.stringMatching(/^Path \/v1\.41\/distribution\/.* is not supported$/) });
      return;
    }
    const data = await images.getRegistryData(`${repository}:v1`);
    expect(data.id).toBe(v1Digest);
    expect(data.shortId).toBe(v1Digest.slice(0, 19));
    const { os, architecture } = await images.enginePlatform();
    if (traits.containerdStore) {
      // Engine 28.5 with the containerd store names no platform for a single-platform manifest
      // (`Platforms: null`); an index's platforms are listed (multi-platform.test.ts).
      expect(data.attrs.Platforms ?? []).toEqual([]);
      expect(data.platforms).toEqual([]);
      expect(await data.hasPlatform(`${os}/${architecture}`)).toBe(false);
      expect((await data.pull()).id).toBe(v1Id);
      return;
    }
    expect(data.platforms).toEqual([{ os, architecture }]);
    expect(await data.hasPlatform(`${os}/${architecture}`)).toBe(true);
    expect(await data.hasPlatform(os)).toBe(true);
    expect(await data.hasPlatform({ architecture })).toBe(true);
    expect(await data.hasPlatform(`${os}/${architecture === 's390x' ? 'ppc64le' : 's390x'}`)).toBe(false);
    await expect(data.hasPlatform('linux/amd64/v2/extra')).rejects.toBeInstanceOf(InvalidArgumentError);
    await data.reload();
    expect(data.id).toBe(v1Digest);
    const image = await data.pull();
    expect(image.id).toBe(v1Id);
  });

  it('pushes and resolves to the digest the registry serves', async () => {
    const pushPath = uniqueName('push');
    const target = `${harness.registry}/${pushPath}`;
    const source = await images.get(harness.seedImage);
    expect((await source.tag(target, 'one')).tags).toContain(`${target}:one`);
    created.push(`${target}:one`);
    const pushing = images.push(`${target}:one`);
    const states = new Set<string>();
    for await (const event of pushing) if (event.type === 'layer') states.add(event.state);
    const result = await pushing;
    expect(result.tag).toBe('one');
    expect(result.digest).toBe(await registryDigest(harness.registry, pushPath, 'one'));
    expect(result.size).toBeGreaterThan(0);
    expect(result.pushed).toEqual([{ tag: 'one', digest: result.digest, size: result.size }]);
    if (traits.kind === 'podman') {
      // Podman's push stream has the digest line and no layer progress.
      expect([...states]).toEqual([]);
    } else {
      // The graphdriver store announces every layer (`Preparing`); the containerd store only
      // reports what it sends or mounts.
      if (!traits.containerdStore) expect(states).toContain('preparing');
      expect([...states].some((state) => ['pushed', 'layer-already-exists', 'mounted'].includes(state))).toBe(true);
    }

    // Without a tag, every tag of the repository is pushed.
    await source.tag(target, 'two');
    created.push(`${target}:two`);
    if (traits.kind === 'podman') {
      // Podman pushes one image: without a tag it looks for an image named after the repository.
      await expect(images.push(target)).rejects.toBeInstanceOf(NotFoundError);
      return;
    }
    const all = await images.push(target);
    expect(all.pushed.map((item) => item.tag).sort()).toEqual(['one', 'two']);
    expect((await registryTags(harness.registry, pushPath)).sort()).toEqual(['one', 'two']);
    for (const item of all.pushed) expect(item.digest).toBe(await registryDigest(harness.registry, pushPath, item.tag ?? ''));
  });

  it('rejects a push of an image that does not exist locally (an error inside the stream)', async () => {
    const name = `${harness.registry}/${uniqueName('absent')}`;
    const pushing = images.push(`${name}:nope`);
    if (traits.kind === 'podman') {
      // Podman answers 404 before streaming.
      await expect(pushing).rejects.toBeInstanceOf(NotFoundError);
      await expect(pushing).rejects.toMatchObject({ engineMessage: expect.stringContaining('image not known') });
      expect(pushing.log).toEqual([]);
      return;
    }
    await expect(pushing).rejects.toBeInstanceOf(StreamMessageError);
    await expect(pushing).rejects.toMatchObject({
      engineMessage: traits.containerdStore ? `tag does not exist: ${name}:nope` : `An image does not exist locally with the tag: ${name}`,
    });
    expect(pushing.log.map((event) => event.type)).toEqual(['status', 'error']);
  });

  it('rejects a pull from a registry that does not answer (an error reply)', async () => {
    const pulling = images.pull('127.0.0.1:1/nothing/here', { tag: 'v1' });
    if (traits.kind === 'podman') {
      // Podman answers 200 and reports the failure in the stream.
      await expect(pulling).rejects.toBeInstanceOf(StreamMessageError);
      await expect(pulling).rejects.toMatchObject({ engineMessage: expect.stringContaining('127.0.0.1:1') });
      return;
    }
    await expect(pulling).rejects.toBeInstanceOf(EngineError);
    await expect(pulling).rejects.toMatchObject({ status: 500, engineMessage: expect.stringContaining('127.0.0.1:1') });
  });
});
