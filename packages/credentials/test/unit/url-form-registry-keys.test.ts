// Regression (issue 9, bug 7): credHelpers keys written as URLs ("https://registry.example.com")
// were asked of the helper under the bare host, so their credentials were lost (getAll() gave
// {}, a mixed config dropped the URL-keyed entry). The same normalisation now applies to the
// config's keys, the helper's stored server URLs and the registry asked for, in auths,
// credHelpers and credsStore alike.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore } from '../../src/index.js';
import { base64, helperEnvironment, storingHelperScript, temporaryDirectory, writeHelper } from './support/fixtures.js';

let bin: string;
let home: string;

beforeAll(async () => {
  home = await temporaryDirectory();
  bin = join(home, 'bin');
  await writeHelper(bin, 'storing', storingHelperScript);
});

/** A storing helper's folder holding credentials under exactly these server URLs. */
async function helperHolding(entries: Record<string, string>): Promise<string> {
  const directory = await temporaryDirectory();
  for (const [serverUrl, username] of Object.entries(entries)) {
    execFileSync(join(bin, 'docker-credential-storing'), ['store'], {
      input: JSON.stringify({ ServerURL: serverUrl, Username: username, Secret: `${username}-secret` }),
      env: { ...process.env, BERTH_FAKE_STORE: directory },
    });
  }
  return directory;
}

async function storeWith(document: unknown, fakeStore: string): Promise<CredentialStore> {
  const configDirectory = await temporaryDirectory();
  await writeFile(join(configDirectory, 'config.json'), JSON.stringify(document));
  return CredentialStore.load({ configDirectory, environment: helperEnvironment(bin, home, { BERTH_FAKE_STORE: fakeStore }), onWarning: () => undefined });
}

describe('registry keys in URL form and host form', () => {
  it.each([
    ['URL', 'https://registry.example.com'],
    ['URL with a path', 'https://registry.example.com/v1/'],
    ['host', 'registry.example.com'],
  ])('credHelpers keyed by %s: get and getAll find what the helper stored under that key', async (_form, key) => {
    const store = await storeWith({ credHelpers: { [key]: 'storing' } }, await helperHolding({ [key]: 'helper-user' }));
    expect((await store.get('registry.example.com'))?.username).toBe('helper-user');
    expect((await store.get('https://registry.example.com/'))?.username).toBe('helper-user');
    const all = await store.getAll();
    expect(Object.keys(all)).toEqual(['registry.example.com']);
    expect(all['registry.example.com']).toMatchObject({ username: 'helper-user', password: 'helper-user-secret', serveraddress: 'registry.example.com' });
  });

  it('a mixed credHelpers config keeps both entries', async () => {
    const store = await storeWith(
      { credHelpers: { 'https://one.example.com': 'storing', 'two.example.com': 'storing' } },
      await helperHolding({ 'https://one.example.com': 'one', 'two.example.com': 'two' }),
    );
    const all = await store.getAll();
    expect(Object.fromEntries(Object.entries(all).map(([key, value]) => [key, value.username]))).toEqual({
      'one.example.com': 'one',
      'two.example.com': 'two',
    });
  });

  it.each([
    ['URL', 'https://registry.example.com'],
    ['host', 'registry.example.com'],
  ])('credsStore holding a login made with a %s: get and getAll agree', async (_form, serverUrl) => {
    const store = await storeWith({ credsStore: 'storing' }, await helperHolding({ [serverUrl]: 'store-user' }));
    expect((await store.get('registry.example.com'))?.username).toBe('store-user');
    expect((await store.getAll())['registry.example.com']?.username).toBe('store-user');
    expect(await store.get('other.example.com')).toBeUndefined();
  });

  it.each([
    ['URL', 'https://registry.example.com'],
    ['host', 'registry.example.com'],
  ])('auths keyed by %s: get and getAll agree', async (_form, key) => {
    const store = await storeWith({ auths: { [key]: { auth: base64('file-user:pw') } } }, await temporaryDirectory());
    expect((await store.get('registry.example.com'))?.username).toBe('file-user');
    expect((await store.getAll())['registry.example.com']?.username).toBe('file-user');
  });
});
