import { InvalidArgumentError } from '@berth/engine-protocol';
import { describe, expect, it } from 'vitest';
import { DOCKER_HUB_REGISTRY, registryKeyCandidates, resolveRegistry } from '../../src/index.js';
import { canonicalRegistryKey, findRegistryEntry } from '../../src/registry/registry-key.js';

const hub = 'https://index.docker.io/v1/';

describe('resolveRegistry', () => {
  it.each([
    ['busybox', hub],
    ['busybox:latest', hub],
    ['library/busybox:1.36', hub],
    ['team/app', hub],
    ['team/sub/app:v1', hub],
    [`busybox@sha256:${'a'.repeat(64)}`, hub],
    ['docker.io/library/busybox', hub],
    ['index.docker.io/team/app:v2', hub],
    ['registry-1.docker.io/team/app', hub],
    ['Docker.IO/team/app', hub],
    // Without a slash the part after ":" is a tag, not a port: the image is on Docker Hub.
    ['localhost:5000', hub],
    ['localhost/app', 'localhost'],
    ['localhost:5000/app', 'localhost:5000'],
    ['localhost:5000/app:v1', 'localhost:5000'],
    [`localhost:5000/team/app:v1@sha256:${'b'.repeat(64)}`, 'localhost:5000'],
    ['127.0.0.1:5000/app', '127.0.0.1:5000'],
    ['127.0.0.1/app:v1', '127.0.0.1'],
    ['[::1]:5000/app', '[::1]:5000'],
    ['[::1]/app:v1', '[::1]'],
    ['[2001:db8::1]:443/team/app', '[2001:db8::1]:443'],
    ['host.example/x', 'host.example'],
    ['host.example:8443/x/y:tag', 'host.example:8443'],
    ['registry.gitlab.com/group/project/image:tag', 'registry.gitlab.com'],
    ['myhost:5000/a', 'myhost:5000'],
    // An upper-case first component can only be a host (distribution/reference).
    ['MyRegistry/app', 'MyRegistry'],
    ['team_a/app', hub],
  ])('%s → %s', (reference, expected) => {
    expect(resolveRegistry(reference)).toBe(expected);
  });

  it.each([
    ['', 'is empty'],
    [' busybox', 'white space'],
    ['https://localhost:5000/app', 'no URL scheme'],
    ['localhost:5000/', 'has an empty component'],
    ['localhost:5000/App', 'must be lowercase'],
    ['team//app', 'has an empty component'],
    ['busybox:', 'the tag after ":" is empty'],
    ['busybox:-bad', 'tag "-bad" is invalid'],
    ['busybox@sha256:abc', 'is not of the form "algorithm:hex"'],
    ['-host.example/app', 'is not a valid host name'],
    ['[zz]:5000/app', 'is not a valid IPv6 address'],
    [`host.example/${'a'.repeat(260)}`, 'at most 255 are allowed'],
  ])('rejects %j (%s) with InvalidArgumentError before anything else', (reference, reason) => {
    let caught: unknown;
    try {
      resolveRegistry(reference);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect((caught as InvalidArgumentError).argument).toBe('reference');
    expect((caught as Error).message).toContain(reason);
  });

  it('rejects a non-string', () => {
    expect(() => resolveRegistry(42 as unknown as string)).toThrow(InvalidArgumentError);
  });
});

describe('registry keys', () => {
  it.each([
    ['docker.io', hub],
    ['index.docker.io', hub],
    ['https://index.docker.io/v1/', hub],
    ['http://registry-1.docker.io/v2/', hub],
    ['localhost:5000', 'localhost:5000'],
    ['https://localhost:5000', 'localhost:5000'],
    ['http://localhost:5000/v1/', 'localhost:5000'],
    ['HTTPS://Host.Example:8443/v2/', 'Host.Example:8443'],
    ['[::1]:5000', '[::1]:5000'],
    ['http://[::1]:5000/v2/', '[::1]:5000'],
  ])('canonical key of %s is %s', (key, expected) => {
    expect(canonicalRegistryKey(key)).toBe(expected);
  });

  it('refuses keys that name no host', () => {
    expect(() => canonicalRegistryKey('')).toThrow(InvalidArgumentError);
    expect(() => canonicalRegistryKey('https://')).toThrow(InvalidArgumentError);
    expect(() => canonicalRegistryKey('/v1/')).toThrow(InvalidArgumentError);
  });

  it('lists Docker Hub candidates with the CLI key first and every alias in common spellings', () => {
    const candidates = registryKeyCandidates('docker.io');
    expect(candidates[0]).toBe(DOCKER_HUB_REGISTRY);
    for (const key of ['index.docker.io', 'docker.io', 'registry-1.docker.io', 'https://index.docker.io', 'https://docker.io/v1/', 'http://index.docker.io/v1/']) {
      expect(candidates).toContain(key);
    }
    expect(new Set(candidates).size).toBe(candidates.length);
  });

  it('lists host:port candidates with and without scheme and path', () => {
    const candidates = registryKeyCandidates('https://localhost:5000/v2/');
    expect(candidates[0]).toBe('localhost:5000');
    for (const key of ['https://localhost:5000', 'http://localhost:5000/', 'https://localhost:5000/v1/', 'http://localhost:5000/v2/']) {
      expect(candidates).toContain(key);
    }
    expect(candidates.some((key) => key.includes('docker.io'))).toBe(false);
  });

  it.each([
    [{ 'https://index.docker.io/v1/': 1 }, 'docker.io', 'https://index.docker.io/v1/'],
    [{ 'docker.io': 1 }, DOCKER_HUB_REGISTRY, 'docker.io'],
    [{ 'index.docker.io': 1 }, 'registry-1.docker.io', 'index.docker.io'],
    [{ 'http://localhost:5000/v1/': 1 }, 'localhost:5000', 'http://localhost:5000/v1/'],
    [{ 'https://localhost:5000': 1 }, 'localhost:5000', 'https://localhost:5000'],
    [{ 'HTTPS://LOCALHOST:5000/token': 1 }, 'localhost:5000', 'HTTPS://LOCALHOST:5000/token'],
    [{ 'localhost:5000': 1 }, 'http://localhost:5000/v2/', 'localhost:5000'],
    [{ 'http://[::1]:5000/v2/': 1 }, '[::1]:5000', 'http://[::1]:5000/v2/'],
  ])('finds %j when asked for %s', (entries, registry, key) => {
    expect(findRegistryEntry(entries, registry)).toEqual({ key, value: 1 });
  });

  it('prefers the exact key over another spelling of the same host, whatever the file order', () => {
    expect(findRegistryEntry({ 'https://localhost:5000/v1/': 'old', 'localhost:5000': 'new' }, 'localhost:5000')?.value).toBe('new');
    expect(findRegistryEntry({ 'docker.io': 'alias', [DOCKER_HUB_REGISTRY]: 'canonical' }, 'docker.io')?.value).toBe('canonical');
  });

  it('does not mix up hosts that only share a prefix or differ by port', () => {
    const entries = { 'localhost:5001': 1, 'localhost.example:5000': 2, localhost: 3 };
    expect(findRegistryEntry(entries, 'localhost:5000')).toBeUndefined();
    expect(findRegistryEntry(entries, 'localhost')?.value).toBe(3);
  });
});
