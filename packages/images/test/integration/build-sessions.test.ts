// BuildKit builds with build sessions, on whichever engine the harness runs: Docker engines serve
// them (POST /session); Podman has no BuildKit at all, so BuildKit builds and the options only
// BuildKit has are refused there before anything is sent, naming why.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, type EngineClient } from '@berth/engine-protocol';
import { findTestEngine } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOutputOf, ImageCollection } from '../../src/index.js';
import { createTestClient } from '../support/client.js';
import { dockerRemove } from '../support/docker-cli.js';

const engine = findTestEngine();
const servesSessions = process.env['BERTH_TEST_ENGINE_KIND'] !== 'podman';

describe.runIf(engine)(`BuildKit builds with build sessions${servesSessions ? '' : ' (refused: no BuildKit)'}`, () => {
  let client: EngineClient;
  let images: ImageCollection;
  let workspace: string;
  const created: string[] = [];

  beforeAll(async () => {
    client = createTestClient(engine!);
    workspace = await mkdtemp(join(tmpdir(), 'berth-build-sessions-'));
    images = new ImageCollection({ client, environment: { DOCKER_CONFIG: workspace } });
    await writeFile(join(workspace, 'Dockerfile'), `FROM ${engine!.seedImage}\nCOPY greeting.txt /\nRUN cat /greeting.txt\n`);
    await writeFile(join(workspace, 'greeting.txt'), 'hello from the context\n');
  });
  afterAll(async () => {
    await dockerRemove(engine!, created);
    await rm(workspace, { recursive: true, force: true });
    await client?.close();
  });

  it(servesSessions ? 'syncs the context through a session' : 'refuses version 2 before sending anything', async () => {
    const building = images.build({ path: workspace, version: '2', networkMode: 'none', noCache: true });
    if (!servesSessions) {
      await expect(building).rejects.toMatchObject({ name: 'InvalidArgumentError', argument: 'version' });
      return;
    }
    const { image, log, session } = await building;
    created.push(image.id);
    expect(buildOutputOf(log)).toContain('hello from the context');
    expect(session?.directories['context']?.filesSent).toBeGreaterThanOrEqual(1);
  });

  it(servesSessions ? 'builds with a Dockerfile outside the context directory' : 'refuses a BuildKit-only option without version', async () => {
    const outside = await mkdtemp(join(workspace, 'dockerfiles-'));
    const context = await mkdtemp(join(workspace, 'context-'));
    await writeFile(join(outside, 'app.Dockerfile'), `FROM ${engine!.seedImage}\nCOPY message.txt /\nRUN cat /message.txt\n`);
    await writeFile(join(context, 'message.txt'), 'the Dockerfile lives elsewhere\n');
    if (!servesSessions) {
      await expect(images.build({ path: context, dockerfile: join(outside, 'app.Dockerfile'), syncContext: true })).rejects.toMatchObject({
        name: 'InvalidArgumentError',
        argument: 'syncContext',
      });
      return;
    }
    const { image, log } = await images.build({ path: context, dockerfile: join(outside, 'app.Dockerfile'), version: '2', networkMode: 'none', noCache: true });
    created.push(image.id);
    expect(buildOutputOf(log)).toContain('the Dockerfile lives elsewhere');
  });

  it(servesSessions ? 'serves a secret' : 'refuses a secret, which needs BuildKit, naming the option', async () => {
    const building = images.build({
      file: `FROM ${engine!.seedImage}\nRUN --mount=type=secret,id=token,required=true wc -c < /run/secrets/token\n`,
      networkMode: 'none',
      noCache: true,
      secrets: { token: { value: '12345' } },
    });
    if (servesSessions) {
      const { image, session } = await building;
      created.push(image.id);
      expect(session?.secretRequests).toEqual(['token']);
    } else {
      const error = await building.then(() => undefined, (reason: unknown) => reason);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe('secrets');
      expect((error as Error).message).toContain('secrets needs BuildKit, which this engine does not have');
    }
  });
});
