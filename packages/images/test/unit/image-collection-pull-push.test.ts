import { InvalidArgumentError, StreamError, StreamMessageError, UnsupportedOptionError } from '@berth/engine-protocol';
import { describe, expect, it } from 'vitest';
import { ImageCollection, type RegistryCredentialProvider } from '../../src/index.js';
import { decodeRegistryHeader, fakeEngine, type FakeHandler } from './support/fake-engine.js';
import { fixtureMessages, readFixture, toBody } from './support/fixtures.js';
import { idFor, inspectReply } from './support/inspect.js';

const digest = 'sha256:641ef1af2c67fee18d6fa716feda5e8d1f73f5be958b0c516c32c017245e4a49';

function pullEngine(extra: FakeHandler = () => undefined) {
  return fakeEngine((request) => {
    const answer = extra(request);
    if (answer) return answer;
    if (request.versionless === '/images/create') return { body: readFixture('pull.jsonl') };
    return inspectReply(request.versionless);
  });
}

function recordingProvider(answer: Record<string, string> | undefined): RegistryCredentialProvider & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async forReference(reference) {
      asked.push(reference);
      return answer;
    },
    async all() {
      return answer === undefined ? {} : { 'registry.example.com': answer };
    },
  };
}

describe('ImageCollection.pull', () => {
  it('pulls latest when the name has no tag, and resolves to the image', async () => {
    const engine = pullEngine();
    const image = await new ImageCollection({ client: engine.client }).pull('127.0.0.1:5000/app');
    const [create, inspect] = engine.calls();
    expect(create?.method).toBe('POST');
    expect(create?.query.get('fromImage')).toBe('127.0.0.1:5000/app');
    expect(create?.query.get('tag')).toBe('latest');
    expect(decodeURIComponent(inspect?.path ?? '')).toBe('/v1.41/images/127.0.0.1:5000/app:latest/json');
    expect(image.id).toBe(idFor('127.0.0.1:5000/app:latest'));
  });

  it('prefers an explicit tag over the tag in the name', async () => {
    const engine = pullEngine();
    const image = await new ImageCollection({ client: engine.client }).pull('app:1', { tag: '2' });
    expect(engine.calls()[0]?.query.get('fromImage')).toBe('app');
    expect(engine.calls()[0]?.query.get('tag')).toBe('2');
    expect(image.tags).toEqual(['app:2']);
  });

  it('pulls a digest and gets the image by repository@digest', async () => {
    const engine = pullEngine();
    await new ImageCollection({ client: engine.client }).pull(`app@${digest}`);
    expect(engine.calls()[0]?.query.get('tag')).toBe(digest);
    expect(decodeURIComponent(engine.calls()[1]?.path ?? '')).toBe(`/v1.41/images/app@${digest}/json`);
  });

  it('with allTags sends no tag and lists the repository', async () => {
    const engine = pullEngine((request) =>
      request.versionless === '/images/json'
        ? { body: JSON.stringify([{ Id: 'sha256:aaa' }, { Id: 'sha256:bbb' }, { Id: 'sha256:aaa' }]) }
        : undefined,
    );
    const images = await new ImageCollection({ client: engine.client }).pull('app:1', { tag: '2', allTags: true });
    const [create, list] = engine.calls();
    expect(create?.query.has('tag')).toBe(false);
    expect(create?.query.get('fromImage')).toBe('app');
    expect(JSON.parse(list?.query.get('filters') ?? '')).toEqual({ reference: { app: true } });
    expect(images.map((image) => image.id)).toEqual(['sha256:aaa', 'sha256:bbb']);
  });

  it('sends the platform', async () => {
    const engine = pullEngine();
    await new ImageCollection({ client: engine.client }).pull('app', { platform: { os: 'linux', architecture: 'arm64' } });
    expect(engine.calls()[0]?.query.get('platform')).toBe('linux/arm64');
  });

  it('refuses an invalid name or platform before any request', async () => {
    const engine = pullEngine();
    const images = new ImageCollection({ client: engine.client });
    await expect(images.pull('Not A Name')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(images.pull('app', { platform: 'linux/amd64/v8/x' })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(engine.calls()).toEqual([]);
  });

  it('rejects with the engine error in the stream, after emitting it as the last event', async () => {
    const engine = pullEngine((request) =>
      request.versionless === '/images/create'
        ? { body: toBody([{ status: 'Pulling from app', id: 'latest' }, { errorDetail: { message: 'manifest unknown' }, error: 'manifest unknown' }]) }
        : undefined,
    );
    const pulling = new ImageCollection({ client: engine.client }).pull('app');
    await expect(pulling).rejects.toBeInstanceOf(StreamMessageError);
    await expect(pulling).rejects.toMatchObject({ engineMessage: 'manifest unknown' });
    expect(pulling.log.map((event) => event.type)).toEqual(['status', 'error']);
    expect(engine.calls().length).toBe(1);
  });

  it('streams typed events while pulling', async () => {
    const engine = pullEngine();
    const types: string[] = [];
    for await (const event of new ImageCollection({ client: engine.client }).pull('app')) types.push(event.type);
    expect(types).toEqual(['status', ...Array<string>(9).fill('layer'), 'digest', 'status', 'complete']);
  });

  it('asks the credential provider for the reference, and an explicit authConfig wins', async () => {
    const provider = recordingProvider({ username: 'ci', password: 'from-provider' });
    const engine = pullEngine();
    const images = new ImageCollection({ client: engine.client, credentials: provider });
    await images.pull('registry.example.com/team/app', { tag: 'v1' });
    expect(provider.asked).toEqual(['registry.example.com/team/app:v1']);
    expect(decodeRegistryHeader(engine.calls()[0]?.headers['x-registry-auth'])).toEqual({ username: 'ci', password: 'from-provider' });

    await images.pull('registry.example.com/team/app', { tag: 'v1', authConfig: { username: 'me', password: 'explicit' } });
    expect(provider.asked).toHaveLength(1);
    expect(decodeRegistryHeader(engine.calls()[2]?.headers['x-registry-auth'])).toEqual({ username: 'me', password: 'explicit' });
  });

  it('sends no X-Registry-Auth for a pull without credentials', async () => {
    const engine = pullEngine();
    await new ImageCollection({ client: engine.client, credentials: recordingProvider(undefined) }).pull('app');
    expect(engine.calls()[0]?.headers).not.toHaveProperty('x-registry-auth');
  });
});

describe('ImageCollection.push', () => {
  const pushedDigest = 'sha256:e6f82f5092e9dc63c96905aa4b6fb1a3dcf403670ddd6ac4b884491d006d556c';

  async function pushWith(body: string | Buffer, repository = '127.0.0.1:5000/fixture/busybox:1') {
    const engine = fakeEngine((request) => (request.versionless.endsWith('/push') ? { body } : undefined));
    const pushing = new ImageCollection({ client: engine.client }).push(repository);
    return { engine, pushing, result: await pushing };
  }

  it('resolves to the digest when the engine sends both forms, counted once', async () => {
    const { result, engine } = await pushWith(readFixture('push.jsonl'));
    expect(result).toEqual({ digest: pushedDigest, tag: '1', size: 527, pushed: [{ digest: pushedDigest, tag: '1', size: 527 }] });
    const call = engine.calls()[0];
    expect(decodeURIComponent(call?.path ?? '')).toBe('/v1.41/images/127.0.0.1:5000/fixture/busybox/push');
    expect(call?.query.get('tag')).toBe('1');
    // The engine wants the header even for an anonymous push.
    expect(decodeRegistryHeader(call?.headers['x-registry-auth'])).toEqual({});
  });

  it('resolves to the digest from the status line alone (containerd image store)', async () => {
    const messages = (await fixtureMessages('push.jsonl')).filter((message) => message.aux === undefined);
    const { result } = await pushWith(toBody(messages));
    expect(result.digest).toBe(pushedDigest);
    expect(result.size).toBe(527);
  });

  it('resolves to the digest from aux alone', async () => {
    const messages = (await fixtureMessages('push.jsonl')).filter((message) => !String(message.status ?? '').includes(': digest: '));
    const { result } = await pushWith(toBody(messages));
    expect(result).toMatchObject({ digest: pushedDigest, tag: '1' });
  });

  it('lists every tag of a push without tag', async () => {
    const second = 'sha256:' + 'a'.repeat(64);
    const { result, engine } = await pushWith(
      toBody([
        { status: `1: digest: ${pushedDigest} size: 527` },
        { status: `2: digest: ${second} size: 600` },
      ]),
      'app',
    );
    expect(engine.calls()[0]?.query.has('tag')).toBe(false);
    expect(result.pushed.map((item) => item.tag)).toEqual(['1', '2']);
    expect(result).toMatchObject({ digest: second, tag: '2', size: 600 });
  });

  it('rejects when the stream names no digest', async () => {
    const engine = fakeEngine((request) => (request.versionless.endsWith('/push') ? { body: toBody([{ status: 'Pushed', id: 'x' }]) } : undefined));
    await expect(new ImageCollection({ client: engine.client }).push('app:1')).rejects.toBeInstanceOf(StreamError);
  });

  it('refuses a platform the API version lacks before the push request', async () => {
    const engine = fakeEngine(() => undefined, { apiVersion: '1.41' });
    const pushing = new ImageCollection({ client: engine.client }).push('app:1', { platform: 'linux/amd64' });
    await expect(pushing).rejects.toBeInstanceOf(UnsupportedOptionError);
    expect(engine.calls()).toEqual([]);
  });

  it('uses the provider credentials for the pushed reference', async () => {
    const provider = recordingProvider({ username: 'ci', password: 'secret' });
    const engine = fakeEngine((request) => (request.versionless.endsWith('/push') ? { body: readFixture('push.jsonl') } : undefined));
    await new ImageCollection({ client: engine.client, credentials: provider }).push('registry.example.com/app', { tag: 'v2' });
    expect(provider.asked).toEqual(['registry.example.com/app:v2']);
    expect(decodeRegistryHeader(engine.calls()[0]?.headers['x-registry-auth'])).toEqual({ username: 'ci', password: 'secret' });
  });
});
