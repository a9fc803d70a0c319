// Podman answers /_ping with an empty Builder-Version and builds `version=2` requests with
// Buildah, silently: Berth refuses a BuildKit build there with a typed error, before packing or
// sending the context. (Integration: the build suite on the Podman harness.)
import { InvalidArgumentError } from '@berth/engine-protocol';
import { describe, expect, it } from 'vitest';
import { ImageCollection } from '../../src/index.js';
import { fakeEngine } from './support/fake-engine.js';

function engineWithBuilder(builderVersion: string | undefined) {
  return fakeEngine(({ path }) => {
    if (path !== '/_ping') return undefined;
    return { body: 'OK', headers: { 'api-version': '1.41', ...(builderVersion === undefined ? {} : { 'builder-version': builderVersion }) } };
  });
}

describe('a BuildKit build on an engine without BuildKit', () => {
  it('is refused when /_ping names no builder, and nothing is built', async () => {
    const engine = engineWithBuilder('');
    const building = new ImageCollection({ client: engine.client }).build({ file: 'FROM scratch\n', version: '2' });
    await expect(building).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(building).rejects.toMatchObject({ argument: 'version', shortMessage: expect.stringContaining('no BuildKit') });
    expect(engine.calls()).toEqual([]);
  });

  it.each([['2'], ['1'], [undefined]])('goes ahead when Builder-Version is %j', async (builderVersion) => {
    const engine = engineWithBuilder(builderVersion);
    const building = new ImageCollection({ client: engine.client }).build({ file: 'FROM scratch\n', version: '2' });
    // The fake engine refuses the build itself: the build session was opened and the request sent.
    await expect(building).rejects.not.toBeInstanceOf(InvalidArgumentError);
    expect(engine.calls().map((call) => call.path)).toEqual(['/v1.41/session', '/v1.41/build']);
  });
});
