// Regression (issue 9, bug 2): import sent repo and tag as separate query keys; Podman ignored
// the tag and named the image `<repo>:latest`. The tag now travels inside `repo`, as the docker
// CLI sends it, which every engine honours.
import { importImage, type EngineClient } from '@berth/engine-protocol';
import { findTestEngine, uniqueName } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageCollection } from '../../src/index.js';
import { createTestClient } from '../support/client.js';
import { docker, dockerRemove } from '../support/docker-cli.js';
import { familiarTag } from '../support/engine-traits.js';
import { tarOf } from '../support/tar.js';

const engine = findTestEngine();

describe.runIf(engine)('import a root file system', () => {
  const harness = engine!;
  let client: EngineClient;
  const name = uniqueName('import');

  beforeAll(() => {
    client = createTestClient(harness);
  });

  afterAll(async () => {
    await dockerRemove(harness, [`${name}:v2`, `${name}:latest`]);
    await client?.close();
  });

  it('names the image repo:tag on every engine', async () => {
    const body = await tarOf({ 'hello.txt': 'imported' });
    const messages = [];
    for await (const message of await importImage(client, { fromSrc: '-', repo: name, tag: 'v2', changes: ['LABEL imported=yes'], body })) {
      messages.push(message);
    }
    const image = await new ImageCollection({ client }).get(`${name}:v2`);
    expect(image.tags.map(familiarTag)).toEqual([`${name}:v2`]);
    expect(image.labels).toEqual({ imported: 'yes' });
    expect(messages.at(-1)?.status).toContain(image.id.slice('sha256:'.length, 'sha256:'.length + 12));
    expect(await docker(harness, ['image', 'ls', '--format', '{{.Tag}}', name])).toBe('v2');
  });
});
