// issue 8, failure 8: bad arguments to public entries gave untyped TypeErrors (`pull(null)`,
// `push(undefined)`, a string as signal, a circular or BigInt build argument), and tags were
// checked client-side for pull and push only (`image.tag('..')` and a build tag `UPPER:x` went
// to the engine). Every entry now refuses them with an InvalidArgumentError naming the
// argument, before any request.
import { InvalidArgumentError } from '@berth/engine-protocol';
import { describe, expect, it } from 'vitest';
import { Image, ImageCollection, normalizePlatform, type ImageInspect } from '../../src/index.js';
import { fakeEngine } from './support/fake-engine.js';
import { inspectReply } from './support/inspect.js';

function setup() {
  const engine = fakeEngine((request) => (request.versionless.endsWith('/tag') ? { status: 201 } : inspectReply(request.versionless)));
  const images = new ImageCollection({ client: engine.client });
  const image = new Image({ Id: 'sha256:' + 'a'.repeat(64), RepoTags: ['app:v1'] } as ImageInspect, images);
  return { engine, images, image };
}

// Every entry returns a promise (or a ProgressOperation) that rejects: a synchronous throw fails.
async function refusedWith(action: () => PromiseLike<unknown>, argument: string): Promise<void> {
  let returned: PromiseLike<unknown> | undefined;
  expect(() => {
    returned = action();
  }, `expected a rejection naming ${argument}, not a throw`).not.toThrow();
  let caught: unknown;
  try {
    await returned;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a refusal naming ${argument}`).toBeInstanceOf(InvalidArgumentError);
  expect((caught as InvalidArgumentError).argument).toBe(argument);
}

const circular: Record<string, unknown> = { A: 'b' };
circular['self'] = circular;

describe('every public entry refuses bad arguments before any request', () => {
  it.each([
    ['pull(null)', ({ images }: ReturnType<typeof setup>) => images.pull(null as never), 'repository'],
    ['pull(123)', ({ images }: ReturnType<typeof setup>) => images.pull(123 as never), 'repository'],
    ['pull({})', ({ images }: ReturnType<typeof setup>) => images.pull({} as never), 'repository'],
    ['pull("..")', ({ images }: ReturnType<typeof setup>) => images.pull('..'), 'repository'],
    ['pull with options null', ({ images }: ReturnType<typeof setup>) => images.pull('app', null as never), 'options'],
    ['pull with a bad tag', ({ images }: ReturnType<typeof setup>) => images.pull('app', { tag: '..' }), 'tag'],
    ['pull with a string signal', ({ images }: ReturnType<typeof setup>) => images.pull('app', { signal: 'stop' as never }), 'signal'],
    ['pull with a timeout over the timer limit', ({ images }: ReturnType<typeof setup>) => images.pull('app', { timeout: 2 ** 31 }), 'timeout'],
    ['pull with an empty os', ({ images }: ReturnType<typeof setup>) => images.pull('app', { platform: { os: '' } }), 'platform'],
    ['pull with a null platform', ({ images }: ReturnType<typeof setup>) => images.pull('app', { platform: null as never }), 'platform'],
    ['pull with credentials as a string', ({ images }: ReturnType<typeof setup>) => images.pull('app', { authConfig: 'tok' as never }), 'authConfig'],
    ['pull with bufferLimit 0', ({ images }: ReturnType<typeof setup>) => images.pull('app', { bufferLimit: 0 }), 'bufferLimit'],
    ['pull with a string logLimit', ({ images }: ReturnType<typeof setup>) => images.pull('app', { logLimit: '10' as never }), 'logLimit'],
    ['push with logLimit -1', ({ images }: ReturnType<typeof setup>) => images.push('app', { logLimit: -1 }), 'logLimit'],
    ['build with bufferLimit 1.5', ({ images }: ReturnType<typeof setup>) => images.build({ file: 'FROM scratch\n', bufferLimit: 1.5 }), 'bufferLimit'],
    ['build with authConfigs as a list', ({ images }: ReturnType<typeof setup>) => images.build({ file: 'FROM scratch\n', authConfigs: [] as never }), 'authConfigs'],
    ['build with a password that is a number', ({ images }: ReturnType<typeof setup>) => images.build({ file: 'FROM scratch\n', authConfigs: { r: { password: 1 as never } } }), 'authConfigs["r"].password'],
    ['load with logLimit NaN', ({ images }: ReturnType<typeof setup>) => images.load(Buffer.alloc(0), { logLimit: Number.NaN }), 'logLimit'],
    ['push(undefined)', ({ images }: ReturnType<typeof setup>) => images.push(undefined as never), 'repository'],
    ['push a digest', ({ images }: ReturnType<typeof setup>) => images.push('app@sha256:' + 'a'.repeat(64)), 'repository'],
    ['push with a bad tag', ({ images }: ReturnType<typeof setup>) => images.push('app', { tag: 'UPPER^' }), 'tag'],
    ['build(undefined)', ({ images }: ReturnType<typeof setup>) => images.build(undefined as never), 'options'],
    ['build tag UPPER:x', ({ images }: ReturnType<typeof setup>) => images.build({ file: 'FROM scratch\n', tag: 'UPPER:x' }), 'tag'],
    ['build tag ..', ({ images }: ReturnType<typeof setup>) => images.build({ file: 'FROM scratch\n', tag: ['ok:1', '..'] }), 'tag'],
    ['build with circular buildArgs', ({ images }: ReturnType<typeof setup>) => images.build({ file: 'FROM scratch\n', buildArgs: circular as never }), 'buildArgs'],
    ['build with a BigInt buildArg', ({ images }: ReturnType<typeof setup>) => images.build({ file: 'FROM scratch\n', buildArgs: { N: 1n } as never }), 'buildArgs'],
    ['build with numeric labels', ({ images }: ReturnType<typeof setup>) => images.build({ file: 'FROM scratch\n', labels: { n: 1 } as never }), 'labels'],
    ['build with a string signal', ({ images }: ReturnType<typeof setup>) => images.build({ file: 'FROM scratch\n', signal: 'x' as never }), 'signal'],
    ['build with a bad version', ({ images }: ReturnType<typeof setup>) => images.build({ file: 'FROM scratch\n', version: '3' as never }), 'version'],
    ['load(null)', ({ images }: ReturnType<typeof setup>) => images.load(null as never), 'data'],
    ['load with a bad platform', ({ images }: ReturnType<typeof setup>) => images.load(Buffer.alloc(0), { platform: [{ os: '' }] }), 'platform'],
    ['get(null)', ({ images }: ReturnType<typeof setup>) => images.get(null as never), 'name'],
    ['get("..")', ({ images }: ReturnType<typeof setup>) => images.get('..'), 'name'],
    ['list(null)', ({ images }: ReturnType<typeof setup>) => images.list(null as never), 'options'],
    ['list with circular filters', ({ images }: ReturnType<typeof setup>) => images.list({ filters: { label: circular as never } }), 'filters'],
    ['list with a BigInt filter', ({ images }: ReturnType<typeof setup>) => images.list({ filters: { since: 1n as never } }), 'filters'],
    ['remove(42)', ({ images }: ReturnType<typeof setup>) => images.remove(42 as never), 'name'],
    ['search(null)', ({ images }: ReturnType<typeof setup>) => images.search(null as never), 'term'],
    ['prune("all")', ({ images }: ReturnType<typeof setup>) => images.prune('all' as never), 'options'],
    ['getRegistryData("..")', ({ images }: ReturnType<typeof setup>) => images.getRegistryData('..'), 'name'],
    ['image.tag("..")', ({ image }: ReturnType<typeof setup>) => image.tag('..'), 'repository'],
    ['image.tag("UPPER")', ({ image }: ReturnType<typeof setup>) => image.tag('UPPER'), 'repository'],
    ['image.tag(repo, "..")', ({ image }: ReturnType<typeof setup>) => image.tag('app', '..'), 'tag'],
    ['image.tag with a string signal', ({ image }: ReturnType<typeof setup>) => image.tag('app', 'v2', { signal: 'x' as never }), 'signal'],
    ['image.save(null)', ({ image }: ReturnType<typeof setup>) => image.save(null as never), 'options'],
  ])('%s', async (_name, call, argument) => {
    const context = setup();
    await refusedWith(() => call(context), argument);
    expect(context.engine.seen).toEqual([]);
  });

  it('keeps accepting what is valid', async () => {
    const { images, image, engine } = setup();
    await expect(image.tag('localhost:5000/app', 'v2')).resolves.toBe(image);
    expect(engine.calls().map((request) => request.path)).toEqual([
      '/v1.41/images/sha256%3A' + 'a'.repeat(64) + '/tag',
      '/v1.41/images/sha256%3A' + 'a'.repeat(64) + '/json',
    ]);
    expect(normalizePlatform({ os: 'linux', architecture: 'arm64' })).toEqual({ os: 'linux', architecture: 'arm64' });
    await expect(images.get('app:v1')).resolves.toBeInstanceOf(Image);
  });
});
