import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerConfigDirectory } from '../../src/resolution/config-directory.js';
import { contextDirectoryName, contextPaths } from '../../src/resolution/context-store.js';

describe('dockerConfigDirectory', () => {
  it.each([
    ['the override first', { DOCKER_CONFIG: '/from/env', HOME: '/home/me' }, '/from/override', '/from/override'],
    ['then DOCKER_CONFIG', { DOCKER_CONFIG: '/from/env', HOME: '/home/me' }, undefined, '/from/env'],
    ['then $HOME/.docker', { HOME: '/home/me' }, undefined, '/home/me/.docker'],
    ['an empty DOCKER_CONFIG counts as unset', { DOCKER_CONFIG: '', HOME: '/home/me' }, '', '/home/me/.docker'],
    ['USERPROFILE when HOME is missing', { USERPROFILE: '/users/me' }, undefined, '/users/me/.docker'],
    ['the account home without either', {}, undefined, join(homedir(), '.docker')],
    ['a relative DOCKER_CONFIG made absolute', { DOCKER_CONFIG: 'relative/docker' }, undefined, resolve('relative/docker')],
  ])('%s', (_name, environment, override, expected) => {
    expect(dockerConfigDirectory(environment, override)).toBe(expected);
  });
});

describe('context storage names', () => {
  it('uses the SHA-256 of the name in hex, as docker context create does', () => {
    // Digest of the UTF-8 bytes of "remote", computed with sha256sum.
    expect(contextDirectoryName('remote')).toBe('b71199ebd070b36beab7317920c2c2f1d777df8d05e5527d8458fda57cb17a7a');
    expect(contextPaths('/c', 'remote')).toEqual({
      meta: '/c/contexts/meta/b71199ebd070b36beab7317920c2c2f1d777df8d05e5527d8458fda57cb17a7a/meta.json',
      tlsDirectory: '/c/contexts/tls/b71199ebd070b36beab7317920c2c2f1d777df8d05e5527d8458fda57cb17a7a/docker',
    });
  });
});
