import { afterAll, describe, expect, it } from 'vitest';
import {
  StreamMessageError,
  buildImage,
  cancelBuild,
  defineEndpoint,
  deleteImage,
  inspectImage,
  pruneBuildCache,
} from '../../src/index.js';
import { createClient, drain, engine, tarOf, unique } from './support/engine.js';

// Only the test needs to look at containers; the package has no container endpoints yet.
const containerListEndpoint = defineEndpoint({ id: 'ContainerList', method: 'GET', path: '/containers/json', parameters: {}, response: 'json' });

describe.runIf(engine)('build endpoints on the real engine', () => {
  const { client } = createClient();
  const created: string[] = [];
  afterAll(async () => {
    for (const name of created) await deleteImage(client, { name, force: true }).catch(() => undefined);
    await client.close();
  });

  it('builds with the classic builder, several tags, args and labels', async () => {
    const [first, second] = [`${unique('built')}:a`, `${unique('built')}:b`];
    created.push(first, second);
    const context = await tarOf({
      'build.Dockerfile': `FROM ${engine!.seedImage}\nARG GREETING\nRUN echo "$GREETING" > /greeting\nLABEL stage=final\n`,
    });
    const messages = await drain(
      await buildImage(client, {
        body: context,
        dockerfile: 'build.Dockerfile',
        t: [first, second],
        buildargs: { GREETING: 'hello from berth' },
        labels: { 'org.berth.test': 'build' },
        networkmode: 'none',
        rm: true,
        version: '1',
      }),
    );
    const id = messages.map((message) => (message.aux as { ID?: string } | undefined)?.ID).find(Boolean);
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    const image = await inspectImage(client, { name: first });
    expect(image.Id).toBe(id);
    expect(image.RepoTags).toEqual(expect.arrayContaining([first, second]));
    expect(image.Config?.Labels).toEqual({ stage: 'final', 'org.berth.test': 'build' });
  });

  it('raises a failing step from the stream with the engine message', async () => {
    const context = await tarOf({ Dockerfile: `FROM ${engine!.seedImage}\nRUN echo about to fail && exit 3\n` });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const message of await buildImage(client, { body: context, networkmode: 'none', version: '1' })) {
        seen.push(message.stream ?? '');
      }
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StreamMessageError);
    expect((error as StreamMessageError).engineMessage).toMatch(/returned a non-zero code: 3/);
    expect(seen.join('')).toContain('about to fail');
  });

  it('stops a classic build when the caller stops reading (the connection closes)', async () => {
    const context = await tarOf({ Dockerfile: `FROM ${engine!.seedImage}\nRUN echo started && sleep 60\n` });
    const progress = await buildImage(client, { body: context, networkmode: 'none', version: '1', buildid: 'berth-stop' });
    for await (const message of progress) {
      if (message.stream?.includes('started')) break;
    }
    // The engine kills the RUN container once the connection is gone.
    let running = 1;
    for (let attempt = 0; attempt < 50 && running > 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const response = await client.send(containerListEndpoint, {});
      running = (await response.json()).length;
    }
    expect(running).toBe(0);
  });

  it('accepts a cancel request for a build id (BuildKit builds only; a no-op for others)', async () => {
    await expect(cancelBuild(client, { id: 'berth-no-such-build' })).resolves.toBeUndefined();
  });

  it('prunes the build cache', async () => {
    const pruned = await pruneBuildCache(client, { all: true });
    expect(typeof pruned.SpaceReclaimed).toBe('number');
  });
});
