// Regression (issue 9, bug 6): with a legacy ~/.dockercfg in the old text form and no
// config.json, createDocker().images.pull(...) failed with DockerConfigError, even for an
// image that needs no credentials.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findTestEngine, uniqueName } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocker, type Docker } from '../../src/create-docker.js';
import { makeTemporaryDirectory } from '../helpers/docker-config-fixture.js';

const engine = findTestEngine();

describe.runIf(engine)('a legacy ~/.dockercfg never breaks a pull', () => {
  const harness = engine!;
  let home: { path: string; remove(): Promise<void> };
  let docker: Docker;
  const repository = `${harness.registry}/${uniqueName('legacy-cfg')}`;

  beforeAll(async () => {
    home = await makeTemporaryDirectory('legacy-dockercfg');
    const auth = Buffer.from('legacy-user:legacy-password').toString('base64');
    await writeFile(join(home.path, '.dockercfg'), `auth = ${auth}\nemail = legacy@example.com\n`);
    // No DOCKER_CONFIG and no ~/.docker/config.json: the legacy file is the config.
    docker = await createDocker({ environment: { DOCKER_HOST: harness.dockerHost, HOME: home.path } });
    const seed = await docker.images.get(harness.seedImage);
    await seed.tag(repository, 'v1');
    await docker.images.push(repository, { tag: 'v1' });
    await docker.images.remove(`${repository}:v1`);
  }, 60_000);

  afterAll(async () => {
    await docker?.images.remove(`${repository}:v1`, { force: true }).catch(() => undefined);
    await docker?.close();
    await home?.remove();
  });

  it('pulls from the (password-less) harness registry', async () => {
    const image = await docker.images.pull(repository, { tag: 'v1' });
    expect(image.id).toBe((await docker.images.get(harness.seedImage)).id);
    expect(await docker.images.credentialsFor('busybox')).toMatchObject({ username: 'legacy-user', email: 'legacy@example.com' });
  });
});
