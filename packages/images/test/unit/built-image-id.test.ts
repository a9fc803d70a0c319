import { describe, expect, it } from 'vitest';
import { builtImageIdOf, parseProgressEvent } from '../../src/index.js';
import { fixtureMessages } from './support/fixtures.js';

describe('builtImageIdOf', () => {
  it('takes the aux id of a classic build', async () => {
    const events = (await fixtureMessages('build-classic.jsonl')).map(parseProgressEvent);
    expect(builtImageIdOf(events)).toBe('sha256:b9a7eb81c31e1f8ad96039dd49d92bc60207be1a49cd511655fc73e3dca40aa5');
  });

  it('falls back to "Successfully built <short id>" without aux', async () => {
    const events = (await fixtureMessages('build-classic.jsonl')).filter((message) => message.aux === undefined).map(parseProgressEvent);
    expect(builtImageIdOf(events)).toBe('b9a7eb81c31e');
  });

  it('reads the id line of a quiet build', async () => {
    const events = (await fixtureMessages('build-quiet.jsonl')).map(parseProgressEvent);
    expect(builtImageIdOf(events)).toBe('sha256:889af68c6457dd347183d47eae82a385f86cc36b6eb5aecee4dfb33233da4d41');
  });

  // Podman's quiet build prints the bare hex id (recorded from Podman 4.3.1); it was not found.
  it("reads the bare id line of Podman's quiet build", () => {
    const id = '14394ecccb63fb3bcabfe42fb7d9cbdbf77b32900212918cd93ab615d4055447';
    expect(builtImageIdOf([parseProgressEvent({ stream: `${id}\n` })])).toBe(id);
    expect(builtImageIdOf([parseProgressEvent({ stream: `${id.slice(0, 63)}\n` })])).toBeUndefined();
  });

  it('reads BuildKit moby.image.id', async () => {
    const events = (await fixtureMessages('build-buildkit.jsonl')).map(parseProgressEvent);
    expect(builtImageIdOf(events)).toBe('sha256:e7abeef662f7131b5d1bd628be373b0ede86bff97c0a9a578bba61d05d60fa49');
  });

  it('finds nothing in a failed build', async () => {
    const events = (await fixtureMessages('build-failing.jsonl')).map(parseProgressEvent);
    expect(builtImageIdOf(events)).toBeUndefined();
  });
});
