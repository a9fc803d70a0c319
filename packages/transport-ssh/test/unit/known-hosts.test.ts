import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  blobKeyType,
  checkHostKey,
  hostKeyFingerprint,
  knownHostName,
  knownKeyTypes,
  parseKnownHosts,
} from '../../src/known-hosts.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
// Public key blobs and fingerprints as ssh-keygen wrote and printed them (see test/fixtures).
const blob = (name: string): Buffer => Buffer.from(fixture(`${name}.pub`).split(' ')[1] ?? '', 'base64');
const hostA = blob('host-a');
const hostB = blob('host-b');
const hostC = blob('host-c');
const plain = parseKnownHosts(fixture('known_hosts'), 'known_hosts');
const hashed = parseKnownHosts(fixture('known_hosts_hashed'), 'known_hosts_hashed');

describe('parseKnownHosts', () => {
  it('keeps valid lines with their markers and skips comments, unknown markers and malformed lines', () => {
    expect(plain.map((entry) => [entry.marker, entry.keyType, entry.source])).toEqual([
      [undefined, 'ssh-ed25519', 'known_hosts:3'],
      [undefined, 'ssh-ed25519', 'known_hosts:4'],
      [undefined, 'ecdsa-sha2-nistp256', 'known_hosts:5'],
      [undefined, 'ssh-ed25519', 'known_hosts:6'],
      ['revoked', 'ecdsa-sha2-nistp256', 'known_hosts:7'],
      ['cert-authority', 'ssh-ed25519', 'known_hosts:8'],
    ]);
    expect(plain[0]?.names).toEqual({ kind: 'patterns', patterns: ['build-1.example.com', '10.0.0.5'] });
    expect(plain[0]?.key.equals(hostA)).toBe(true);
  });

  it('reads the |1|salt|hash names that ssh-keygen -H writes', () => {
    expect(hashed).toHaveLength(4);
    for (const entry of hashed) expect(entry.names.kind).toBe('hashed');
  });
});

describe('knownHostName', () => {
  it('uses the bare host on port 22 and [host]:port elsewhere, lower-cased', () => {
    expect(knownHostName('Build-1.Example.com', 22)).toBe('build-1.example.com');
    expect(knownHostName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
  });
});

describe('checkHostKey', () => {
  it.each([
    ['plain', plain],
    ['hashed', hashed],
  ])('trusts the listed key of a host, on port 22 and on [host]:port (%s entries)', (_kind, entries) => {
    expect(checkHostKey(entries, 'build-1.example.com', 22, hostA).status).toBe('trusted');
    expect(checkHostKey(entries, 'BUILD-1.example.com', 22, hostA).status).toBe('trusted');
    expect(checkHostKey(entries, '10.0.0.5', 22, hostA).status).toBe('trusted');
    expect(checkHostKey(entries, '127.0.0.1', 2222, hostA).status).toBe('trusted');
  });

  it.each([
    ['plain', plain],
    ['hashed', hashed],
  ])('treats the same host on another port as unknown (%s entries)', (_kind, entries) => {
    expect(checkHostKey(entries, '127.0.0.1', 22, hostA)).toEqual({ status: 'unknown' });
    expect(checkHostKey(entries, 'build-1.example.com', 2222, hostA)).toEqual({ status: 'unknown' });
    expect(checkHostKey(entries, 'build-2.example.com', 22, hostA)).toEqual({ status: 'unknown' });
  });

  it.each([
    ['plain', plain, 'known_hosts:4'],
    ['hashed', hashed, 'known_hosts_hashed:3'],
  ])('reports a changed key with the fingerprints known_hosts has (%s entries)', (_kind, entries, source) => {
    expect(checkHostKey(entries, '127.0.0.1', 2222, hostB)).toEqual({
      status: 'changed',
      known: [{ keyType: 'ssh-ed25519', fingerprint: fixture('host-a.fingerprint').trim(), source }],
    });
  });

  it('honours wildcards and negated patterns', () => {
    expect(checkHostKey(plain, 'printer.lan', 22, hostB).status).toBe('trusted');
    expect(checkHostKey(plain, 'nas.lan', 22, hostB).status).toBe('unknown');
    expect(checkHostKey(plain, 'printer.lan', 22, hostA).status).toBe('changed');
  });

  it('refuses a revoked key even where it is listed, and ignores @cert-authority lines', () => {
    expect(checkHostKey(hashed, '127.0.0.1', 2223, hostC).status).toBe('trusted');
    expect(checkHostKey(plain, '127.0.0.1', 2223, hostC)).toEqual({ status: 'revoked', source: 'known_hosts:7' });
    expect(checkHostKey(plain, 'www.example.com', 22, hostB)).toEqual({ status: 'unknown' });
  });
});

describe('hostKeyFingerprint', () => {
  it('matches what ssh-keygen -lf prints', () => {
    expect(hostKeyFingerprint(hostA)).toBe(fixture('host-a.fingerprint').trim());
    expect(hostKeyFingerprint(hostB)).toBe(fixture('host-b.fingerprint').trim());
    expect(hostKeyFingerprint(hostC)).toBe(fixture('host-c.fingerprint').trim());
  });
});

describe('knownKeyTypes and blobKeyType', () => {
  it('lists the key types known for a host, to ask the server for those first', () => {
    expect(knownKeyTypes(hashed, '127.0.0.1', 2223)).toEqual(['ecdsa-sha2-nistp256']);
    expect(knownKeyTypes(plain, 'unknown.example.com', 22)).toEqual([]);
    expect(blobKeyType(hostC)).toBe('ecdsa-sha2-nistp256');
    expect(blobKeyType(Buffer.from('garbage'))).toBeUndefined();
  });
});
