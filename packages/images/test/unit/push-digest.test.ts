import { describe, expect, it } from 'vitest';
import { parsePullDigest, parsePushDigest, type PushedDigest } from '../../src/index.js';
import { fixtureMessages } from './support/fixtures.js';

const digest = 'sha256:e6f82f5092e9dc63c96905aa4b6fb1a3dcf403670ddd6ac4b884491d006d556c';

describe('parsePushDigest', () => {
  it('reads both forms of a recorded push, with the same result', async () => {
    const messages = await fixtureMessages('push.jsonl');
    const found = messages.map(parsePushDigest).filter((value): value is PushedDigest => value !== undefined);
    expect(found).toEqual([
      { tag: '1', digest, size: 527 },
      { tag: '1', digest, size: 527 },
    ]);
  });

  it('reads the status-line form alone (containerd image store)', async () => {
    const statusOnly = (await fixtureMessages('push-again.jsonl')).filter((message) => message.aux === undefined);
    expect(statusOnly.map(parsePushDigest).filter(Boolean)).toEqual([{ tag: '1', digest, size: 527 }]);
  });

  it('reads the aux form alone', async () => {
    const auxOnly = (await fixtureMessages('push-again.jsonl')).filter((message) => !String(message.status ?? '').includes('digest:'));
    expect(auxOnly.map(parsePushDigest).filter(Boolean)).toEqual([{ tag: '1', digest, size: 527 }]);
  });

  it('reads a tag with dots and dashes', () => {
    expect(parsePushDigest({ status: `v1.2-rc.1: digest: ${digest} size: 1024` })).toEqual({ tag: 'v1.2-rc.1', digest, size: 1024 });
  });

  it('ignores other messages and malformed digests', () => {
    expect(parsePushDigest({ status: 'Pushed', id: '5a8e0f222178' })).toBeUndefined();
    expect(parsePushDigest({ status: 'The push refers to repository [127.0.0.1:5000/x]' })).toBeUndefined();
    expect(parsePushDigest({ status: 'v1: digest: not-a-digest size: 1' })).toBeUndefined();
    expect(parsePushDigest({ aux: { ID: 'sha256:abc' } })).toBeUndefined();
    expect(parsePushDigest({ aux: { Tag: 'v1', Digest: 'nope' } })).toBeUndefined();
  });
});

describe('parsePullDigest', () => {
  it('reads the digest line of a recorded pull', async () => {
    const messages = await fixtureMessages('pull-up-to-date.jsonl');
    expect(messages.map(parsePullDigest).filter(Boolean)).toEqual([
      'sha256:641ef1af2c67fee18d6fa716feda5e8d1f73f5be958b0c516c32c017245e4a49',
    ]);
  });
});
