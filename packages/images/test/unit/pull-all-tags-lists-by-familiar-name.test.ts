// Regression: pull with `allTags` listed the result with the name as written, while the engine's
// `reference` filter matches the familiar name: `docker.io/library/busybox` or `library/busybox`
// matched nothing and the pull resolved to [].
import { describe, expect, it } from 'vitest';
import { ImageCollection } from '../../src/index.js';
import { fakeEngine } from './support/fake-engine.js';
import { readFixture } from './support/fixtures.js';
import { inspectReply } from './support/inspect.js';

const cases: readonly (readonly [written: string, familiar: string])[] = [
  ['docker.io/library/busybox', 'busybox'],
  ['library/busybox', 'busybox'],
  ['index.docker.io/library/busybox:1.36', 'busybox'],
  ['docker.io/team/app', 'team/app'],
  ['busybox', 'busybox'],
  ['localhost:5000/app', 'localhost:5000/app'],
  ['127.0.0.1:5000/team/app:v1', '127.0.0.1:5000/team/app'],
];

describe('regression: pull with allTags lists the pulled repository by its familiar name', () => {
  it.each(cases)('%s is listed with the reference filter %s', async (written, familiar) => {
    const engine = fakeEngine((request) => {
      if (request.versionless === '/images/create') return { body: readFixture('pull-all-tags.jsonl') };
      if (request.versionless === '/images/json') return { body: JSON.stringify([{ Id: 'sha256:aaa' }]) };
      return inspectReply(request.versionless);
    });
    const images = await new ImageCollection({ client: engine.client }).pull(written, { allTags: true });
    const list = engine.calls().find((call) => call.path.endsWith('/images/json'));
    expect(JSON.parse(list?.query.get('filters') ?? '')).toEqual({ reference: { [familiar]: true } });
    expect(images.map((image) => image.id)).toEqual(['sha256:aaa']);
  });
});
