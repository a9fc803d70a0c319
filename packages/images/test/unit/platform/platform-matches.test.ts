import { describe, expect, it } from 'vitest';
import { platformMatches, type Platform } from '../../../src/platform/index.js';

const p = (os: string, architecture: string, variant?: string): Platform =>
  variant === undefined ? { os, architecture } : { os, architecture, variant };

describe('platformMatches', () => {
  it.each<[wanted: Platform, offered: Platform, expected: boolean]>([
    [p('linux', 'amd64'), p('linux', 'amd64'), true],
    [p('linux', 'amd64'), p('linux', 'arm64'), false],
    [p('linux', 'amd64'), p('windows', 'amd64'), false],
    [p('Linux', 'x86_64'), p('linux', 'amd64'), true],
    [p('linux', 'amd64'), p('linux', 'x86-64'), true],
    [p('macos', 'arm64'), p('darwin', 'arm64'), true],
    // a wanted platform without variant matches any variant
    [p('linux', 'arm'), p('linux', 'arm', 'v6'), true],
    [p('linux', 'arm'), p('linux', 'arm', 'v7'), true],
    [p('linux', 'arm'), p('linux', 'arm'), true],
    [p('linux', 'amd64'), p('linux', 'amd64', 'v3'), true],
    // arm64 v8 is arm64
    [p('linux', 'arm64', 'v8'), p('linux', 'arm64'), true],
    [p('linux', 'arm64'), p('linux', 'arm64', 'v8'), true],
    [p('linux', 'aarch64', '8'), p('linux', 'arm64', 'v8'), true],
    [p('linux', 'arm64', 'v9'), p('linux', 'arm64'), false],
    // amd64 v1 is amd64
    [p('linux', 'amd64', 'v1'), p('linux', 'amd64'), true],
    [p('linux', 'amd64', 'v3'), p('linux', 'amd64'), false],
    // an offered bare arm is arm/v7
    [p('linux', 'arm', 'v7'), p('linux', 'arm'), true],
    [p('linux', 'arm', 'v6'), p('linux', 'arm'), false],
    [p('linux', 'arm', 'v7'), p('linux', 'arm', 'v6'), false],
    [p('linux', 'armhf'), p('linux', 'arm', 'v7'), true],
    [p('linux', 'armhf'), p('linux', 'arm', 'v6'), false],
    [p('linux', 'armel'), p('linux', 'arm', 'v6'), true],
    [p('linux', 'arm', '7'), p('linux', 'arm', 'v7'), true],
    [p('linux', 'i386'), p('linux', '386'), true],
    [p('linux', 'arm64'), p('linux', 'arm', 'v8'), false],
  ])('%o wants, %o offered → %s', (wanted, offered, expected) => {
    expect(platformMatches(wanted, offered)).toBe(expected);
  });
});
