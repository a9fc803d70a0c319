import { describe, expect, it } from 'vitest';
import { buildOutputOf, decodeBuildkitStatus, parseProgressEvent, type BuildkitStatus } from '../../src/index.js';
import { fixtureMessages } from './support/fixtures.js';

async function statusesOf(name: string): Promise<BuildkitStatus[]> {
  return (await fixtureMessages(name)).flatMap((message) =>
    message.id === 'moby.buildkit.trace' && typeof message.aux === 'string' ? [decodeBuildkitStatus(message.aux)] : [],
  );
}

describe('decodeBuildkitStatus on recorded traces', () => {
  it('reads the steps, their timing, the RUN output and the export statuses of a build', async () => {
    const statuses = await statusesOf('build-buildkit.jsonl');
    const names = new Set(statuses.flatMap((status) => status.vertexes.map((vertex) => vertex.name)));
    expect([...names]).toEqual([
      '[internal] load remote build context',
      'copy /context /',
      '[internal] load metadata for docker.io/berth-test/busybox:latest',
      '[1/2] FROM docker.io/berth-test/busybox:latest',
      '[2/2] RUN head -c 1500000 /dev/urandom > /blob && echo "size 1"',
      'exporting to image',
    ]);
    const run = statuses.flatMap((status) => status.vertexes).filter((vertex) => vertex.name.startsWith('[2/2]'));
    const done = run.at(-1);
    expect(done?.inputs).toEqual(['sha256:700be2933b46ac130dfb51c9d9904c36f09e12a333095d795b82838d5b8b3466']);
    expect(done?.started).toBeInstanceOf(Date);
    expect(done?.completed).toBeInstanceOf(Date);
    expect((done?.completed?.getTime() ?? 0) - (done?.started?.getTime() ?? 0)).toBe(124);
    expect(done?.error).toBeUndefined();
    expect(done?.cached).toBe(false);

    const logs = statuses.flatMap((status) => status.logs);
    expect(logs).toEqual([{ vertex: done?.digest, stream: 1, text: 'size 1\n' }]);
    expect(statuses.flatMap((status) => status.statuses.map((item) => item.id))).toContain(
      'writing image sha256:e7abeef662f7131b5d1bd628be373b0ede86bff97c0a9a578bba61d05d60fa49',
    );
  });

  it('reads the error of a failed step and its output', async () => {
    const statuses = await statusesOf('build-buildkit-failing.jsonl');
    const failed = statuses.flatMap((status) => status.vertexes).filter((vertex) => vertex.error !== undefined);
    expect(failed).toEqual([
      expect.objectContaining({ name: '[2/2] RUN echo before && exit 3', error: 'executor failed running [/bin/sh -c echo before && exit 3]: exit code: 3' }),
    ]);
    const events = (await fixtureMessages('build-buildkit-failing.jsonl')).map(parseProgressEvent);
    expect(buildOutputOf(events)).toBe('before\n');
    expect(events.at(-1)).toMatchObject({ type: 'error', text: 'executor failed running [/bin/sh -c echo before && exit 3]: exit code: 3' });
  });

  it('joins classic output and warnings in order', async () => {
    const events = (await fixtureMessages('build-classic.jsonl')).map(parseProgressEvent);
    const output = buildOutputOf(events);
    expect(output.indexOf('size 2\n')).toBeLessThan(output.indexOf('[Warning]'));
    expect(output.endsWith('Successfully tagged 127.0.0.1:34027/fixture/layered:1\n')).toBe(true);
  });

  it('decodes warnings and progress counters', () => {
    // A StatusResponse written by hand: one status (current 5, total 10) and one warning.
    const field = (number: number, bytes: Uint8Array) => [(number << 3) | 2, bytes.length, ...bytes];
    const text = (value: string) => new TextEncoder().encode(value);
    const status = Uint8Array.from([...field(1, text('layer')), ...field(2, text('v1')), 0x20, 5, 0x28, 10]);
    const warning = Uint8Array.from([...field(1, text('v1')), 0x10, 1, ...field(3, text('short')), ...field(4, text('more')), ...field(5, text('https://x'))]);
    const response = Uint8Array.from([...field(2, status), ...field(4, warning)]);
    expect(decodeBuildkitStatus(Buffer.from(response).toString('base64'))).toEqual({
      vertexes: [],
      statuses: [{ id: 'layer', vertex: 'v1', name: '', current: 5, total: 10, started: undefined, completed: undefined }],
      logs: [],
      warnings: [{ vertex: 'v1', level: 1, short: 'short', detail: ['more'], url: 'https://x' }],
    });
  });

  it('refuses what is not a StatusResponse', () => {
    expect(() => decodeBuildkitStatus('not base64!')).toThrow(RangeError);
    expect(() => decodeBuildkitStatus(Buffer.from([0x0b]).toString('base64'))).toThrow(RangeError);
  });
});
