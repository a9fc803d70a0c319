import { InvalidArgumentError } from '@berth/engine-protocol';
import { describe, expect, it } from 'vitest';
import { formatPlatform, normalizePlatform, type Platform } from '../../../src/platform/index.js';

const amd64Engine = { os: 'linux', architecture: 'amd64' };
const armEngine = { os: 'linux', architecture: 'arm' };

describe('normalizePlatform: strings', () => {
  it.each<[input: string, defaults: { os: string; architecture: string } | undefined, expected: Platform]>([
    ['linux/amd64', undefined, { os: 'linux', architecture: 'amd64' }],
    ['Linux/AMD64', undefined, { os: 'linux', architecture: 'amd64' }],
    ['linux/x86_64', undefined, { os: 'linux', architecture: 'amd64' }],
    ['linux/x86-64', undefined, { os: 'linux', architecture: 'amd64' }],
    ['linux/amd64/v1', undefined, { os: 'linux', architecture: 'amd64' }],
    ['linux/amd64/v3', undefined, { os: 'linux', architecture: 'amd64', variant: 'v3' }],
    ['linux/aarch64', undefined, { os: 'linux', architecture: 'arm64' }],
    ['linux/arm64/v8', undefined, { os: 'linux', architecture: 'arm64' }],
    ['linux/arm64/8', undefined, { os: 'linux', architecture: 'arm64' }],
    ['linux/aarch64/V8', undefined, { os: 'linux', architecture: 'arm64' }],
    ['linux/arm64/v9', undefined, { os: 'linux', architecture: 'arm64', variant: 'v9' }],
    ['linux/armhf', undefined, { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['linux/armel', undefined, { os: 'linux', architecture: 'arm', variant: 'v6' }],
    ['linux/arm', undefined, { os: 'linux', architecture: 'arm' }],
    ['linux/arm/v7', undefined, { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['linux/arm/7', undefined, { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['linux/arm/5', undefined, { os: 'linux', architecture: 'arm', variant: 'v5' }],
    ['linux/i386', undefined, { os: 'linux', architecture: '386' }],
    ['linux/386', undefined, { os: 'linux', architecture: '386' }],
    ['linux/ppc64le', undefined, { os: 'linux', architecture: 'ppc64le' }],
    ['linux/s390x', undefined, { os: 'linux', architecture: 's390x' }],
    ['linux/riscv64', undefined, { os: 'linux', architecture: 'riscv64' }],
    ['windows/amd64', undefined, { os: 'windows', architecture: 'amd64' }],
    ['macos/arm64', undefined, { os: 'darwin', architecture: 'arm64' }],
    // an unknown architecture with an OS is passed on, lowercased, as containerd does
    ['linux/Mystery', undefined, { os: 'linux', architecture: 'mystery' }],
    // a single word: a known OS takes the engine's architecture, a known architecture the engine's OS
    ['linux', amd64Engine, { os: 'linux', architecture: 'amd64' }],
    ['windows', amd64Engine, { os: 'windows', architecture: 'amd64' }],
    ['arm64', amd64Engine, { os: 'linux', architecture: 'arm64' }],
    ['aarch64', amd64Engine, { os: 'linux', architecture: 'arm64' }],
    ['x86_64', armEngine, { os: 'linux', architecture: 'amd64' }],
    ['armhf', amd64Engine, { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['linux', armEngine, { os: 'linux', architecture: 'arm' }],
    // the engine's own values are normalised too
    ['linux', { os: 'Linux', architecture: 'x86_64' }, { os: 'linux', architecture: 'amd64' }],
  ])('%s with %o', (input, defaults, expected) => {
    expect(normalizePlatform(input, defaults)).toEqual(expected);
  });
});

describe('normalizePlatform: objects', () => {
  it.each<[input: Partial<Platform>, defaults: { os: string; architecture: string } | undefined, expected: Platform]>([
    [{ os: 'linux', architecture: 'amd64' }, undefined, { os: 'linux', architecture: 'amd64' }],
    [{ os: 'LINUX', architecture: 'AArch64', variant: 'V8' }, undefined, { os: 'linux', architecture: 'arm64' }],
    [{ os: 'linux', architecture: 'arm', variant: 'v6' }, undefined, { os: 'linux', architecture: 'arm', variant: 'v6' }],
    [{ architecture: 'arm64' }, amd64Engine, { os: 'linux', architecture: 'arm64' }],
    [{ os: 'windows' }, amd64Engine, { os: 'windows', architecture: 'amd64' }],
    [{}, amd64Engine, { os: 'linux', architecture: 'amd64' }],
    [{ os: '', architecture: '' }, armEngine, { os: 'linux', architecture: 'arm' }],
    [{ os: 'linux', architecture: 'armel' }, undefined, { os: 'linux', architecture: 'arm', variant: 'v6' }],
  ])('%o with %o', (input, defaults, expected) => {
    expect(normalizePlatform(input, defaults)).toEqual(expected);
  });

  it('does not change the object it was given', () => {
    const input = { os: 'Linux', architecture: 'x86_64' };
    normalizePlatform(input);
    expect(input).toEqual({ os: 'Linux', architecture: 'x86_64' });
  });
});

describe('normalizePlatform: refusals', () => {
  it.each<[input: string | Partial<Platform>, defaults: { os: string; architecture: string } | undefined, message: RegExp]>([
    ['', amd64Engine, /expected "os\[\/arch\[\/variant\]\]"/],
    ['linux/', amd64Engine, /expected "os\[\/arch\[\/variant\]\]"/],
    ['/amd64', amd64Engine, /expected "os\[\/arch\[\/variant\]\]"/],
    ['linux/amd64/v8/extra', amd64Engine, /expected "os\[\/arch\[\/variant\]\]"/],
    ['linux/amd 64', amd64Engine, /expected "os\[\/arch\[\/variant\]\]"/],
    ['linux/*', amd64Engine, /expected "os\[\/arch\[\/variant\]\]"/],
    ['plan10', amd64Engine, /not a known operating system or architecture/],
    ['linux', undefined, /architecture is missing and no engine defaults/],
    ['arm64', undefined, /operating system is missing and no engine defaults/],
    [{ os: 'linux' }, undefined, /architecture is missing/],
    [{ architecture: 'amd64' }, undefined, /operating system is missing/],
    [{}, undefined, /missing/],
    [{ os: 'linux', variant: 'v7' }, amd64Engine, /variant "v7" is given without an architecture/],
    [{ os: 'linux', architecture: 'amd64/v2' }, undefined, /Invalid platform architecture "amd64\/v2"/],
    [{ os: 'li nux', architecture: 'amd64' }, undefined, /Invalid platform os "li nux"/],
    [{ os: 42 as unknown as string, architecture: 'amd64' }, undefined, /Invalid platform os 42/],
    [{ os: 'linux' }, { os: 'linux', architecture: '' }, /engine platform defaults/],
  ])('%o with %o', (input, defaults, message) => {
    let caught: unknown;
    try {
      normalizePlatform(input, defaults);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect((caught as InvalidArgumentError).argument).toBe('platform');
    expect((caught as InvalidArgumentError).message).toMatch(message);
  });

  it('refuses a value that is neither string nor object', () => {
    expect(() => normalizePlatform(null as unknown as string)).toThrow(/expected a string or an object, got null/);
    expect(() => normalizePlatform(7 as unknown as string)).toThrow(/got a number/);
  });
});

describe('formatPlatform', () => {
  it.each<[Platform, string]>([
    [{ os: 'linux', architecture: 'amd64' }, 'linux/amd64'],
    [{ os: 'linux', architecture: 'arm', variant: 'v7' }, 'linux/arm/v7'],
    [{ os: 'windows', architecture: 'amd64', variant: '' }, 'windows/amd64'],
  ])('%o → %s', (platform, expected) => {
    expect(formatPlatform(platform)).toBe(expected);
  });

  it.each(['linux/amd64', 'linux/arm/v6', 'linux/armhf', 'linux/aarch64/v8', 'windows/x86_64'])(
    'normalises %s to a fixed point',
    (input) => {
      const once = normalizePlatform(input);
      expect(normalizePlatform(formatPlatform(once))).toEqual(once);
    },
  );
});
