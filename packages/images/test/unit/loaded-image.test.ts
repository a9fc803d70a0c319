import { describe, expect, it } from 'vitest';
import { loadedImagesOf, parseLoadedImage, parseProgressEvent } from '../../src/index.js';
import { fixtureMessages } from './support/fixtures.js';

async function loadedOf(name: string) {
  return loadedImagesOf((await fixtureMessages(name)).map(parseProgressEvent));
}

describe('loaded images', () => {
  it('reads a tagged load', async () => {
    expect(await loadedOf('load-tagged.jsonl')).toEqual([{ kind: 'reference', reference: 'fixture-bk:1' }]);
  });

  it('reads an untagged load (by id)', async () => {
    expect(await loadedOf('load-untagged.jsonl')).toEqual([
      { kind: 'id', imageId: 'sha256:e7abeef662f7131b5d1bd628be373b0ede86bff97c0a9a578bba61d05d60fa49' },
    ]);
  });

  it('reads several images, quiet or with progress, in order', async () => {
    const expected = [
      { kind: 'reference', reference: '127.0.0.1:34027/fixture/busybox:1' },
      { kind: 'reference', reference: '127.0.0.1:34027/fixture/layered:1' },
    ];
    expect(await loadedOf('load-multi-quiet.jsonl')).toEqual(expected);
    expect(await loadedOf('load-progress.jsonl')).toEqual(expected);
  });

  it('reads several lines in one output event', () => {
    const event = parseProgressEvent({ stream: 'Loaded image: a:1\nLoaded image ID: sha256:0123\n' });
    expect(loadedImagesOf([event])).toEqual([
      { kind: 'reference', reference: 'a:1' },
      { kind: 'id', imageId: 'sha256:0123' },
    ]);
  });

  it('ignores other text', () => {
    expect(parseLoadedImage('Loading layer')).toBeUndefined();
    expect(parseLoadedImage('Loaded image:')).toBeUndefined();
  });
});
