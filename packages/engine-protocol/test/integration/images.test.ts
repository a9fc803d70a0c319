import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConflictError,
  EngineError,
  NotFoundError,
  deleteImage,
  getImageHistory,
  importImage,
  inspectImage,
  listImages,
  pruneImages,
  searchImages,
  tagImage,
} from '../../src/index.js';
import { createClient, drain, engine, tarOf, unique } from './support/engine.js';

describe.runIf(engine)('image endpoints on the real engine', () => {
  const { client } = createClient();
  const repository = unique('images');
  let seedId = '';

  beforeAll(async () => {
    seedId = (await inspectImage(client, { name: engine!.seedImage })).Id;
    await tagImage(client, { name: engine!.seedImage, repo: repository, tag: 'one' });
  });
  afterAll(async () => {
    await deleteImage(client, { name: `${repository}:one` }).catch(() => undefined);
    await client.close();
  });

  it('lists images with filters', async () => {
    const all = await listImages(client);
    expect(all.some((image) => image.Id === seedId)).toBe(true);
    const filtered = await listImages(client, { filters: { reference: [`${repository}:*`] } });
    expect(filtered.map((image) => image.RepoTags)).toEqual([[`${repository}:one`]]);
    const none = await listImages(client, { filters: { reference: `${repository}:nothing` } });
    expect(none).toEqual([]);
  });

  it('inspects an image, and reports a missing one as NotFoundError', async () => {
    const image = await inspectImage(client, { name: `${repository}:one` });
    expect(image.Id).toBe(seedId);
    expect(image.RepoTags).toContain(`${repository}:one`);
    const error = await inspectImage(client, { name: 'berth-does-not-exist:never' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).engineMessage).toMatch(/no such image/i);
  });

  it('reads the history', async () => {
    const history = await getImageHistory(client, { name: engine!.seedImage });
    expect(history.length).toBeGreaterThan(0);
    expect(history[0]!.Id).toBe(seedId);
  });

  it('tags and deletes a tag', async () => {
    await tagImage(client, { name: seedId, repo: repository, tag: 'two' });
    expect((await inspectImage(client, { name: `${repository}:two` })).Id).toBe(seedId);
    const removed = await deleteImage(client, { name: `${repository}:two` });
    expect(removed).toEqual([{ Untagged: `${repository}:two` }]);
    await expect(inspectImage(client, { name: `${repository}:two` })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('refuses to delete an image several repositories use without force (409)', async () => {
    // An image id referenced by several tags conflicts unless forced.
    await tagImage(client, { name: seedId, repo: repository, tag: 'three' });
    const error = await deleteImage(client, { name: seedId }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConflictError);
    await deleteImage(client, { name: `${repository}:three` });
  });

  it('imports a root filesystem with changes, then prunes it once dangling', async () => {
    const name = unique('imported');
    const messages = await drain(
      await importImage(client, {
        fromSrc: '-',
        repo: name,
        tag: 'v1',
        changes: ['ENV BERTH=yes', 'LABEL org.berth.test=imported'],
        message: 'imported by berth',
        body: await tarOf({ 'hello.txt': 'hello\n' }),
      }),
    );
    const id = messages.at(-1)?.status;
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    const image = await inspectImage(client, { name: `${name}:v1` });
    expect(image.Id).toBe(id);
    expect(image.Config?.Env).toContain('BERTH=yes');
    expect(image.Config?.Labels).toEqual({ 'org.berth.test': 'imported' });
    expect(image.Comment).toBe('imported by berth');

    // Moving the tag to another image leaves the imported one dangling.
    await tagImage(client, { name: seedId, repo: name, tag: 'v1' });
    expect((await listImages(client, { filters: { dangling: true } })).some((item) => item.Id === id)).toBe(true);
    const pruned = await pruneImages(client, { filters: { dangling: true, label: 'org.berth.test=imported' } });
    expect(pruned.ImagesDeleted?.some((item) => item.Deleted === id)).toBe(true);
    await expect(inspectImage(client, { name: id! })).rejects.toBeInstanceOf(NotFoundError);
    await deleteImage(client, { name: `${name}:v1` });
  });

  it('searches a registry through the engine', async () => {
    // The engine asks the registry named in the term at /v1/search; serve one on loopback.
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname !== '/v1/search') return response.writeHead(404).end();
      const query = url.searchParams.get('q') ?? '';
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          num_results: 2,
          query,
          results: [
            { name: `${query}-one`, description: 'first', star_count: 7, is_official: true, is_automated: false },
            { name: `${query}-two`, description: 'second', star_count: 1, is_official: false, is_automated: false },
          ],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const results = await searchImages(client, { term: `127.0.0.1:${port}/berth`, limit: 10 });
      // The engine strips the registry from the term before asking it.
      expect(results.map((result) => result.name)).toEqual(['berth-one', 'berth-two']);
      expect(results[0]).toMatchObject({ description: 'first', star_count: 7, is_official: true });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('reports a search against a registry that does not answer as an engine error', async () => {
    const error = await searchImages(client, { term: '127.0.0.1:1/nothing', limit: 5 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).engineMessage).toMatch(/127\.0\.0\.1:1/);
  });
});
