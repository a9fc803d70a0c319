// The build step aggregator on real BuildKit and classic builds. scripts/test.sh runs this file
// on Engine 26.1 (API 1.45) too, where BuildKit is the engine's default builder.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, type EngineClient } from '@berth/engine-protocol';
import { findTestEngine, uniqueName } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildError, BuildStepAggregator, buildOutputOf, ImageCollection, type BuildStepChange } from '../../src/index.js';
import { createTestClient } from '../support/client.js';
import { dockerRemove } from '../support/docker-cli.js';
import { engineTraits, type EngineTraits } from '../support/engine-traits.js';

const engine = findTestEngine();
/** Real builds (two in the first test) on a shared 2-core machine: vitest's default 5 s is too tight. */
const buildTimeout = 60_000;

describe.runIf(engine)(`build steps on the harness engine (API ${engine?.apiVersion ?? '?'})`, () => {
  const harness = engine!;
  let client: EngineClient;
  let images: ImageCollection;
  let context: string;
  const created: string[] = [];
  let traits: EngineTraits;

  beforeAll(async () => {
    client = createTestClient(harness);
    traits = await engineTraits(client, harness);
    context = await mkdtemp(join(tmpdir(), 'berth-build-steps-'));
    images = new ImageCollection({ client, environment: { DOCKER_CONFIG: context } });
  });

  afterAll(async () => {
    await dockerRemove(harness, created);
    await rm(context, { recursive: true, force: true });
    await client?.close();
  });

  async function aggregateBuild(dockerfile: string, version: '1' | '2', noCache = false) {
    await writeFile(join(context, 'Dockerfile'), dockerfile);
    const tag = `${uniqueName('steps')}:v${version}`;
    created.push(tag);
    const aggregator = new BuildStepAggregator();
    const changes: BuildStepChange[] = [];
    const building = images.build({ path: context, tag, version, networkMode: 'none', noCache });
    for await (const event of building) changes.push(...aggregator.update(event));
    changes.push(...aggregator.flush());
    return { aggregator, changes, result: await building };
  }

  const twoStages = [
    `FROM ${harness.seedImage} AS base`,
    'RUN echo "from base" && echo "to stderr" >&2',
    'FROM base',
    'RUN for i in 1 2 3; do echo "line $i"; done',
    '',
  ].join('\n');

  it('BuildKit: every step once, output per step, cached on the second build', async () => {
    if (traits.kind === 'podman') {
      // No BuildKit on Podman: refused before anything is sent (build.test.ts).
      await expect(aggregateBuild(twoStages, '2', true)).rejects.toBeInstanceOf(InvalidArgumentError);
      return;
    }
    const first = await aggregateBuild(twoStages, '2', true);
    expect(first.aggregator.builder).toBe('buildkit');
    expect(first.aggregator.imageId).toBe(first.result.image.id);
    const steps = first.aggregator.steps();
    const names = steps.map((step) => step.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['[base 2/2] RUN echo "from base" && echo "to stderr" >&2', 'exporting to image']));
    const started = first.changes.filter((change) => change.kind === 'started').map((change) => change.step.id);
    expect(new Set(started).size).toBe(started.length);
    // Internal steps may come from the cache even with noCache; what the Dockerfile runs may not.
    expect(steps.every((step) => ['done', 'cached'].includes(step.state) && step.durationMs !== undefined)).toBe(true);
    expect(steps.filter((step) => step.name.includes(' RUN ')).map((step) => step.state)).toEqual(['done', 'done']);
    const loop = steps.find((step) => step.name.endsWith('RUN for i in 1 2 3; do echo "line $i"; done'));
    expect(loop?.logs.map((line) => line.text)).toEqual(['line 1', 'line 2', 'line 3']);
    const base = steps.find((step) => step.name.startsWith('[base 2/2]'));
    expect(base?.logs).toEqual(expect.arrayContaining([{ text: 'from base', stream: 'stdout' }, { text: 'to stderr', stream: 'stderr' }]));

    const second = await aggregateBuild(twoStages, '2');
    const runs = second.aggregator.steps().filter((step) => step.name.includes(' RUN '));
    expect(runs.map((step) => step.state)).toEqual(['cached', 'cached']);
    expect(runs.every((step) => step.logs.length === 0)).toBe(true);
  }, buildTimeout);

  it('BuildKit: a failing build names its failed step', async () => {
    const failing = `FROM ${harness.seedImage}\nRUN echo before && exit 3\n`;
    const aggregator = new BuildStepAggregator();
    await writeFile(join(context, 'Dockerfile'), failing);
    const building = images.build({ path: context, version: '2', networkMode: 'none' });
    const error = await (async () => {
      for await (const event of building) aggregator.update(event);
    })().catch((caught: unknown) => caught);
    if (traits.kind === 'podman') {
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(aggregator.steps()).toEqual([]);
      return;
    }
    expect(error).toBeInstanceOf(BuildError);
    const failed = aggregator.failedStep();
    expect(failed?.name).toBe('[2/2] RUN echo before && exit 3');
    expect(failed?.state).toBe('error');
    expect(failed?.logs.map((line) => line.text)).toEqual(['before']);
    expect(aggregator.error).toBe((error as BuildError).engineMessage);
  }, buildTimeout);

  it('classic builder: Step lines become the same kind of steps', async () => {
    const { aggregator, result } = await aggregateBuild(twoStages, '1', true);
    if (traits.kind === 'podman') {
      // Buildah prints `[1/2] STEP 2/2: RUN …` per stage, which the aggregator does not read as
      // steps (yet): the build succeeds, its output is there, the step list stays empty.
      expect(buildOutputOf(result.log)).toContain('[1/2] STEP 2/2: RUN echo "from base"');
      expect(aggregator.steps()).toEqual([]);
      return;
    }
    expect(aggregator.builder).toBe('classic');
    const steps = aggregator.steps();
    expect(steps.map((step) => step.name)).toEqual([
      `[1/4] FROM ${harness.seedImage} AS base`,
      '[2/4] RUN echo "from base" && echo "to stderr" >&2',
      '[3/4] FROM base',
      '[4/4] RUN for i in 1 2 3; do echo "line $i"; done',
    ]);
    expect(steps[3]?.logs.map((line) => line.text)).toEqual(['line 1', 'line 2', 'line 3']);
    expect(steps.every((step) => step.state === 'done')).toBe(true);
  }, buildTimeout);
});
