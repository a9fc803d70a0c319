import { InvalidArgumentError } from '@berth/engine-protocol';
import { describe, expect, it } from 'vitest';
import {
  formatReference,
  isValidDigest,
  isValidTag,
  parseReference,
  type ReferenceParts,
} from '../../../src/index.js';

const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('formatReference', () => {
  it.each<[ReferenceParts, string]>([
    [{ name: 'busybox' }, 'busybox'],
    [{ name: 'busybox', tag: '1.36' }, 'busybox:1.36'],
    [{ name: 'busybox', digest }, `busybox@${digest}`],
    [{ name: 'busybox', tag: 'latest', digest }, `busybox:latest@${digest}`],
    [{ name: 'docker.io/library/busybox', tag: 'x' }, 'docker.io/library/busybox:x'],
    [{ name: 'localhost:5000/app', tag: 'v1' }, 'localhost:5000/app:v1'],
    [{ name: '[::1]:5000/app', tag: undefined, digest: undefined }, '[::1]:5000/app'],
  ])('%o → %s', (parts, expected) => {
    const text = formatReference(parts);
    expect(text).toBe(expected);
    const parsed = parseReference(text);
    expect(parsed.tag).toBe(parts.tag);
    expect(parsed.digest).toBe(parts.digest);
  });

  it.each<[ReferenceParts, RegExp]>([
    [{ name: 'busybox:1', tag: '2' }, /must not carry a tag or digest/],
    [{ name: `busybox@${digest}` }, /must not carry a tag or digest/],
    [{ name: 'Busybox' }, /must be lowercase/],
    [{ name: 'busybox', tag: '' }, /tag after ":" is empty/],
    [{ name: 'busybox', tag: '-x' }, /tag "-x" is invalid/],
    [{ name: 'busybox', digest: 'sha256:abc' }, /not of the form/],
    [{ name: 'a'.repeat(238), tag: 'ok' }, /256 characters long; at most 255/],
  ])('refuses %o', (parts, message) => {
    expect(() => formatReference(parts)).toThrow(InvalidArgumentError);
    expect(() => formatReference(parts)).toThrow(message);
  });
});

describe('isValidTag', () => {
  it.each([
    ['latest', true],
    ['1.36.1-musl', true],
    ['_private', true],
    ['UPPER', true],
    ['t'.repeat(128), true],
    ['t'.repeat(129), false],
    ['', false],
    ['-rc', false],
    ['.x', false],
    ['a/b', false],
    ['a:b', false],
  ])('%s → %s', (tag, valid) => {
    expect(isValidTag(tag)).toBe(valid);
  });
});

describe('isValidDigest', () => {
  it.each([
    [digest, true],
    [`sha384:${'a'.repeat(96)}`, true],
    [`sha512:${'a'.repeat(128)}`, true],
    [`sha256:${'a'.repeat(63)}`, false],
    [`sha256:${'A'.repeat(64)}`, false],
    [`sha1:${'a'.repeat(40)}`, false],
    ['a'.repeat(64), false],
    ['', false],
  ])('%s → %s', (value, valid) => {
    expect(isValidDigest(value)).toBe(valid);
  });
});
