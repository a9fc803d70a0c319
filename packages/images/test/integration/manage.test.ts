import { ConflictError, EngineError, NotFoundError, type EngineClient } from '@berth/engine-protocol';
import { findTestEngine, uniqueName } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageCollection } from '../../src/index.js';
import { createTestClient } from '../support/client.js';
import { docker, dockerBuild, dockerRemove } from '../support/docker-cli.js';
import { engineTraits, familiarTag, type EngineTraits } from '../support/engine-traits.js';

/** Podman writes ids without the `sha256:` prefix in history and delete replies. */
const withPrefix = (id: string | undefined): string | undefined => (id === undefined || id.startsWith('sha256:') ? id : `sha256:${id}`);

const engine = findTestEngine();

describe.runIf(engine)('get, list, tag, history, remove and prune on the harness engine', () => {
  const harness = engine!;
  let client: EngineClient;
  let images: ImageCollection;
  const name = uniqueName('manage');
  const label = `berth.test.run=${name.replace(/[^a-z0-9]/g, '-')}`;
  const created: string[] = [];
  let labelledId: string;
  let traits: EngineTraits;
  /** Labels the engine's builder adds on its own (Podman's Buildah names itself). */
  const builderLabels = (): Record<string, unknown> => (traits.kind === 'podman' ? { 'io.buildah.version': expect.any(String) } : {});

  beforeAll(async () => {
    client = createTestClient(harness);
    images = new ImageCollection({ client });
    traits = await engineTraits(client, harness);
    labelledId = await dockerBuild(harness, `${name}:labelled`, `FROM ${harness.seedImage}\nLABEL ${label}\nRUN echo layer > /layer\n`);
    created.push(`${name}:labelled`);
  }, 60_000);

  afterAll(async () => {
    await dockerRemove(harness, created);
    await client?.close();
  });

  it('gets an image by name, id and short id, like docker inspect', async () => {
    const byName = await images.get(harness.seedImage);
    expect(byName.id).toBe(await docker(harness, ['image', 'inspect', '--format', '{{.Id}}', harness.seedImage]));
    expect(byName.tags.map(familiarTag)).toContain(harness.seedImage);
    expect(byName.shortId).toBe(`sha256:${byName.id.slice(7, 19)}`);
    const byId = await images.get(byName.id);
    const byShortId = await images.get(byName.id.slice(7, 19));
    expect(byId.equals(byName)).toBe(true);
    expect(byShortId.equals(byName)).toBe(true);
    await expect(images.get(`${name}:absent`)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists like docker images: by repository, by label, all, dangling', async () => {
    const byName = await images.list({ name });
    expect(byName.map((image) => image.id)).toEqual([labelledId]);
    const cli = await docker(harness, ['images', '--no-trunc', '--format', '{{.ID}}', name]);
    expect(byName.map((image) => image.id)).toEqual(cli.split('\n'));

    const byLabel = await images.list({ filters: { label } });
    expect(byLabel.map((image) => image.id)).toEqual([labelledId]);
    expect(byLabel[0]?.labels).toEqual({ 'berth.test.run': label.split('=')[1], ...builderLabels() });

    const everything = await images.list();
    const cliAll = (await docker(harness, ['images', '--no-trunc', '--format', '{{.ID}}'])).split('\n');
    // Other suites may add or remove images meanwhile: ours and the seed must be in both.
    for (const id of [labelledId, (await images.get(harness.seedImage)).id]) {
      expect(everything.map((image) => image.id)).toContain(id);
      expect(cliAll).toContain(id);
    }
    // With intermediate images, the labelled image's build parents appear too.
    const withIntermediate = await images.list({ all: true, filters: { label } });
    expect(withIntermediate.length).toBeGreaterThanOrEqual(byLabel.length);
  });

  it('tags an image, and the CLI sees the tag', async () => {
    const image = await images.get(labelledId);
    const tagged = await image.tag(name, 'extra');
    created.push(`${name}:extra`);
    // Resolves to the same Image, re-inspected: the new tag is there without a reload().
    expect(tagged).toBe(image);
    expect(tagged.tags.map(familiarTag).sort()).toEqual([`${name}:extra`, `${name}:labelled`]);
    expect(await docker(harness, ['image', 'inspect', '--format', '{{.Id}}', `${name}:extra`])).toBe(labelledId);
  });

  it('reads the history like docker history', async () => {
    const image = await images.get(labelledId);
    const history = await image.history();
    const cli = (await docker(harness, ['history', '--no-trunc', '--format', '{{.CreatedBy}}|{{.Size}}', labelledId])).split('\n');
    expect(history.map((layer) => layer.CreatedBy)).toEqual(cli.map((line) => line.split('|')[0]));
    expect(withPrefix(history[0]?.Id)).toBe(labelledId);
    expect(history[0]?.CreatedBy).toContain('echo layer > /layer');
  });

  it('removes a tag, then the image; refuses an image a tag still holds without force', async () => {
    const id = await dockerBuild(harness, `${name}:remove-a`, `FROM ${harness.seedImage}\nLABEL remove=${name}\n`);
    await docker(harness, ['tag', `${name}:remove-a`, `${name}:remove-b`]);
    created.push(`${name}:remove-a`, `${name}:remove-b`);
    if (traits.kind === 'podman') {
      // Podman refuses with a 500, not Docker's 409.
      const refused = images.remove(id);
      await expect(refused).rejects.toBeInstanceOf(EngineError);
      await expect(refused).rejects.toMatchObject({ status: 500, engineMessage: expect.stringContaining('please force removal') });
    } else {
      await expect(images.remove(id)).rejects.toBeInstanceOf(ConflictError);
    }
    const untagged = await images.remove(`${name}:remove-a`);
    expect(untagged.map((item) => ({ Untagged: familiarTag(item.Untagged ?? '') }))).toEqual([{ Untagged: `${name}:remove-a` }]);
    const image = await images.get(`${name}:remove-b`);
    const removed = (await image.remove({ noPrune: true })).map((item) =>
      item.Untagged === undefined ? { Deleted: withPrefix(item.Deleted) } : { Untagged: familiarTag(item.Untagged) },
    );
    expect(removed).toContainEqual({ Untagged: `${name}:remove-b` });
    expect(removed).toContainEqual({ Deleted: id });
    await expect(images.get(id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await docker(harness, ['images', '-q', `${name}:remove-b`])).toBe('');
  });

  it('prunes dangling images with a label filter', async () => {
    const pruneLabel = `berth.prune=${name.replace(/[^a-z0-9]/g, '-')}`;
    const first = await dockerBuild(harness, `${name}:prune`, `FROM ${harness.seedImage}\nLABEL ${pruneLabel}\nLABEL round=1\n`);
    // Building the same tag again leaves the first image dangling.
    const second = await dockerBuild(harness, `${name}:prune`, `FROM ${harness.seedImage}\nLABEL ${pruneLabel}\nLABEL round=2\n`);
    created.push(`${name}:prune`);
    const dangling = await images.list({ filters: { dangling: true, label: pruneLabel } });
    expect(dangling.map((image) => image.id)).toEqual([first]);
    const result = await images.prune({ filters: { label: pruneLabel } });
    const deleted = (result.ImagesDeleted ?? []).map((item) => withPrefix(item.Deleted));
    expect(deleted).toContain(first);
    expect(deleted).not.toContain(second);
    expect(typeof result.SpaceReclaimed).toBe('number');
    await expect(images.get(first)).rejects.toBeInstanceOf(NotFoundError);
    expect((await images.get(`${name}:prune`)).id).toBe(second);
  });
});
