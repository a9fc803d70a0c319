import { describe, expect, it } from 'vitest';
import { parseProgressEvent, type ProgressEvent } from '../../src/index.js';
import { fixtureMessages } from './support/fixtures.js';

async function eventsOf(name: string): Promise<ProgressEvent[]> {
  return (await fixtureMessages(name)).map(parseProgressEvent);
}

describe('parseProgressEvent on recorded streams', () => {
  it('types every message of a pull', async () => {
    const events = await eventsOf('pull.jsonl');
    expect(events.map((event) => event.type)).toEqual([
      'status', // Pulling from fixture/layered (id = the tag, not a layer)
      'layer', // Already exists
      'layer', // Pulling fs layer
      'layer', // Downloading
      'layer', // Verifying Checksum
      'layer', // Download complete
      'layer', // Extracting
      'layer',
      'layer',
      'layer', // Pull complete
      'digest',
      'status', // Status: Downloaded newer image for …
    ]);
    expect(events[0]).toMatchObject({ type: 'status', status: 'Pulling from fixture/layered', id: '1' });
    expect(events[1]).toMatchObject({ type: 'layer', layerId: 'f4ae215e5f43', state: 'already-exists' });
    expect(events[2]).toMatchObject({ type: 'layer', layerId: '0270d50d2c90', state: 'waiting', status: 'Pulling fs layer' });
    expect(events[3]).toMatchObject({ type: 'layer', state: 'downloading', current: 36412, total: 1500641 });
    expect(events[4]).toMatchObject({ type: 'layer', state: 'verifying' });
    expect(events[5]).toMatchObject({ type: 'layer', state: 'download-complete' });
    expect(events[6]).toMatchObject({ type: 'layer', state: 'extracting', current: 32768, total: 1500641 });
    expect(events[9]).toMatchObject({ type: 'layer', state: 'pull-complete' });
    expect(events[9]).not.toHaveProperty('current');
    expect(events[10]).toEqual({
      type: 'digest',
      digest: 'sha256:641ef1af2c67fee18d6fa716feda5e8d1f73f5be958b0c516c32c017245e4a49',
      raw: { status: 'Digest: sha256:641ef1af2c67fee18d6fa716feda5e8d1f73f5be958b0c516c32c017245e4a49' },
    });
    expect(events[11]).toMatchObject({ type: 'status', status: 'Status: Downloaded newer image for 127.0.0.1:34027/fixture/layered:1' });
  });

  it('types a push, with the digest in both of its forms', async () => {
    const events = await eventsOf('push-layered.jsonl');
    expect(events.map((event) => (event.type === 'layer' ? `layer:${event.state}` : event.type))).toEqual([
      'status',
      'layer:preparing',
      'layer:preparing',
      'layer:pushing',
      'layer:mounted',
      'layer:pushing',
      'layer:pushed',
      'digest',
      'digest',
    ]);
    const digests = events.filter((event) => event.type === 'digest');
    const expected = { digest: 'sha256:641ef1af2c67fee18d6fa716feda5e8d1f73f5be958b0c516c32c017245e4a49', tag: '1', size: 739 };
    expect(digests[0]).toMatchObject(expected);
    expect(digests[1]).toMatchObject(expected);
    expect(digests[0]?.raw).toHaveProperty('status');
    expect(digests[1]?.raw).toHaveProperty('aux');
    expect(events[4]).toMatchObject({ status: 'Mounted from fixture/busybox', layerId: '5a8e0f222178' });
  });

  it('types a classic build: output text, warning, image id', async () => {
    const events = await eventsOf('build-classic.jsonl');
    const types = new Set(events.map((event) => event.type));
    expect([...types].sort()).toEqual(['image-id', 'output', 'warning']);
    expect(events.find((event) => event.type === 'image-id')).toMatchObject({
      imageId: 'sha256:b9a7eb81c31e1f8ad96039dd49d92bc60207be1a49cd511655fc73e3dca40aa5',
    });
    expect(events.find((event) => event.type === 'warning')).toMatchObject({
      text: '[Warning] One or more build-args [UNUSED] were not consumed\n',
    });
    const text = events.flatMap((event) => (event.type === 'output' ? [event.text] : [])).join('');
    expect(text).toContain('Step 3/4 : RUN head -c 1500000 /dev/urandom > /blob && echo "size $SIZE"\n');
    expect(text).toContain('size 2\n');
  });

  it('types a failing build step as an error with its exit code', async () => {
    const events = await eventsOf('build-failing.jsonl');
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      code: 3,
      text: "The command '/bin/sh -c echo before && exit 3' returned a non-zero code: 3",
    });
    expect(events.slice(0, -1).every((event) => event.type === 'output')).toBe(true);
  });

  it('decodes BuildKit traces and reads moby.image.id', async () => {
    const events = await eventsOf('build-buildkit.jsonl');
    const traces = events.filter((event) => event.type === 'buildkit-status');
    expect(traces).toHaveLength(18);
    expect(events.filter((event) => event.type === 'auxiliary')).toEqual([]);
    expect(events.filter((event) => event.type === 'image-id')).toEqual([
      expect.objectContaining({ imageId: 'sha256:e7abeef662f7131b5d1bd628be373b0ede86bff97c0a9a578bba61d05d60fa49' }),
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'output', text: 'Successfully tagged fixture-bk:1\n' });
  });

  it('keeps a trace that does not decode as auxiliary data', () => {
    expect(parseProgressEvent({ id: 'moby.buildkit.trace', aux: '!!not base64!!' })).toMatchObject({
      type: 'auxiliary',
      id: 'moby.buildkit.trace',
      data: '!!not base64!!',
    });
    // A field with a truncated length.
    expect(parseProgressEvent({ id: 'moby.buildkit.trace', aux: Buffer.from([0x0a, 0x7f, 0x01]).toString('base64') })).toMatchObject({
      type: 'auxiliary',
    });
  });

  it('types load output and its layer progress', async () => {
    const events = await eventsOf('load-progress.jsonl');
    expect(events.map((event) => (event.type === 'layer' ? `layer:${event.state}` : event.type))).toEqual([
      'output',
      'layer:loading',
      'layer:loading',
      'layer:loading',
      'output',
    ]);
  });

  it('turns a load failure into an error event without a code', async () => {
    const [event] = await eventsOf('load-failing.jsonl');
    expect(event).toEqual({
      type: 'error',
      text: 'Error processing tar file(exit status 1): unexpected EOF',
      raw: expect.any(Object),
    });
  });
});

describe('parseProgressEvent on single messages', () => {
  it('keeps an unknown status with a layer id and counts as an unknown layer state', () => {
    expect(parseProgressEvent({ status: 'Squashing', id: 'abc', progressDetail: { current: 1, total: 2 } })).toMatchObject({
      type: 'layer',
      state: 'unknown',
      current: 1,
      total: 2,
    });
  });

  it('treats a zero total as unknown', () => {
    const event = parseProgressEvent({ status: 'Downloading', id: 'abc', progressDetail: { current: 5, total: 0 } });
    expect(event).toMatchObject({ type: 'layer', current: 5 });
    expect(event).not.toHaveProperty('total');
  });

  it('reads a retry and a deprecation notice', () => {
    expect(parseProgressEvent({ status: 'Retrying in 5 seconds', id: 'abc' })).toMatchObject({ type: 'layer', state: 'retrying' });
    expect(parseProgressEvent({ status: '[DEPRECATION NOTICE] Docker Image Format v1 …' })).toMatchObject({ type: 'warning' });
  });

  it('falls back to auxiliary for a message with nothing known', () => {
    expect(parseProgressEvent({ progressDetail: {} })).toEqual({ type: 'auxiliary', data: undefined, raw: { progressDetail: {} } });
    expect(parseProgressEvent({ aux: { Something: 1 } })).toMatchObject({ type: 'auxiliary', data: { Something: 1 } });
  });
});
