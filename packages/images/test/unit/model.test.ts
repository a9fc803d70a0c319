import { describe, expect, it } from 'vitest';
import type { ImageInspect } from '@berth/engine-protocol';
import { Image, ImageCollection, RegistryData, shortenId } from '../../src/index.js';
import { fakeEngine } from './support/fake-engine.js';

const fullId = 'sha256:b9a7eb81c31e1f8ad96039dd49d92bc60207be1a49cd511655fc73e3dca40aa5';

function collection(): ImageCollection {
  return new ImageCollection({ client: fakeEngine(() => undefined).client });
}

describe('shortenId', () => {
  it('keeps sha256: and 12 hex characters', () => {
    expect(shortenId(fullId)).toBe('sha256:b9a7eb81c31e');
  });
  it('keeps 12 characters of an id without prefix', () => {
    expect(shortenId('b9a7eb81c31e1f8ad96039dd49d92bc6')).toBe('b9a7eb81c31e');
    expect(shortenId('abc')).toBe('abc');
  });
});

describe('Image', () => {
  const images = collection();

  it('exposes id, shortId, tags without <none>:<none>, labels', () => {
    const image = images.prepareModel({
      Id: fullId,
      RepoTags: ['<none>:<none>', 'app:1', 'localhost:5000/app:1'],
      Config: { Labels: { team: 'core' } },
    } as ImageInspect);
    expect(image).toBeInstanceOf(Image);
    expect(image.id).toBe(fullId);
    expect(image.shortId).toBe('sha256:b9a7eb81c31e');
    expect(image.tags).toEqual(['app:1', 'localhost:5000/app:1']);
    expect(image.labels).toEqual({ team: 'core' });
    expect(String(image)).toBe("<Image: 'app:1', 'localhost:5000/app:1'>");
  });

  it('has no tags and no labels when the engine sends none', () => {
    const image = images.prepareModel({ Id: fullId, RepoTags: null, Config: { Labels: null } } as unknown as ImageInspect);
    expect(image.tags).toEqual([]);
    expect(image.labels).toEqual({});
    expect(String(image)).toBe('<Image: sha256:b9a7eb81c31e>');
    expect(images.prepareModel({ Id: fullId } as ImageInspect).labels).toEqual({});
  });

  it('is equal to another model of the same class with the same id, whatever its attributes', () => {
    const first = images.prepareModel({ Id: fullId, RepoTags: ['a:1'] } as ImageInspect);
    const second = collection().prepareModel({ Id: fullId, RepoTags: [] } as ImageInspect);
    const other = images.prepareModel({ Id: 'sha256:0000' } as ImageInspect);
    expect(first.equals(second)).toBe(true);
    expect(first.equals(other)).toBe(false);
    expect(first.equals({ id: fullId })).toBe(false);
    const registryData = new RegistryData('x', { Descriptor: { digest: fullId }, Platforms: [] }, images);
    expect(first.equals(registryData)).toBe(false);
  });

  it('prepareModel binds a model of another collection to this one', () => {
    const elsewhere = collection().prepareModel({ Id: fullId } as ImageInspect);
    const here = images.prepareModel(elsewhere);
    expect(here.collection).toBe(images);
    expect(here.attrs).toBe(elsewhere.attrs);
  });
});

describe('RegistryData', () => {
  it('takes its id from the descriptor digest', () => {
    const data = new RegistryData('localhost:5000/app:1', { Descriptor: { digest: fullId }, Platforms: [] }, collection());
    expect(data.id).toBe(fullId);
    expect(data.shortId).toBe('sha256:b9a7eb81c31e');
    expect(data.imageName).toBe('localhost:5000/app:1');
  });
});
