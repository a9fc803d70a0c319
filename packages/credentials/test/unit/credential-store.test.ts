import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { InvalidArgumentError } from '@berth/engine-protocol';
import { encodeRegistryAuth } from '@berth/engine-protocol/internal';
import { beforeAll, describe, expect, it } from 'vitest';
import { CredentialHelperError, CredentialStore, createDockerConfig, DOCKER_HUB_REGISTRY, resolveRegistry } from '../../src/index.js';
import { base64, everyRendering, helperEnvironment, secretsIn, storingHelperScript, temporaryDirectory, writeHelper } from './support/fixtures.js';

let bin: string;
let home: string;

/** A helper answering `get` with `<name>-user` / `<name>-secret`, logging what it was asked. */
function answeringHelper(name: string): string {
  return String.raw`input=$(cat); printf '%s %s\n' "$1" "$input" >> "$(dirname "$0")/${name}.log"
case "$1" in
  get) printf '{"ServerURL":"%s","Username":"${name}-user","Secret":"${name}-secret"}' "$input" ;;
  list) printf '{"listed.example:5000":"u","https://index.docker.io/v1/":"u"}' ;;
esac`;
}

beforeAll(async () => {
  home = await temporaryDirectory();
  bin = join(home, 'bin');
  await writeHelper(bin, 'store', answeringHelper('store'));
  await writeHelper(bin, 'perregistry', answeringHelper('perregistry'));
  await writeHelper(bin, 'nothing', `cat >/dev/null; echo "credentials not found in native keychain"; exit 1`);
  await writeHelper(bin, 'broken', `cat >/dev/null; echo "keychain locked" >&2; exit 2`);
  await writeHelper(bin, 'token', `cat >/dev/null; printf '{"ServerURL":"x","Username":"<token>","Secret":"helper-identity-token"}'`);
  await writeHelper(bin, 'storing', storingHelperScript);
});

/** Writes config.json in a fresh directory and loads a store over it. */
async function storeWith(
  document: unknown,
  extra: { environment?: Record<string, string>; warnings?: string[] } = {},
): Promise<CredentialStore> {
  const configDirectory = await temporaryDirectory();
  await writeFile(join(configDirectory, 'config.json'), JSON.stringify(document));
  const warnings = extra.warnings ?? [];
  return CredentialStore.load({
    configDirectory,
    environment: helperEnvironment(bin, home, extra.environment),
    onWarning: (message) => warnings.push(message),
  });
}

const fileAuth = { auth: base64('file-user:file-secret') };

describe('CredentialStore.get: precedence', () => {
  it('plain auths when no helper is configured, serveraddress set to the canonical key', async () => {
    const store = await storeWith({ auths: { 'https://localhost:5000/v1/': fileAuth } });
    expect({ ...(await store.get('localhost:5000')) }).toEqual({ username: 'file-user', password: 'file-secret', serveraddress: 'localhost:5000' });
    expect({ ...(await store.get(resolveRegistry('localhost:5000/app:v1'))) }).toMatchObject({ username: 'file-user' });
    expect(await store.get('localhost:5001')).toBeUndefined();
  });

  it('Docker Hub credentials under any alias', async () => {
    for (const key of ['https://index.docker.io/v1/', 'docker.io', 'index.docker.io', 'https://registry-1.docker.io']) {
      const store = await storeWith({ auths: { [key]: fileAuth } });
      const authConfig = await store.get(resolveRegistry('busybox'));
      expect(authConfig?.username).toBe('file-user');
      expect(authConfig?.serveraddress).toBe(DOCKER_HUB_REGISTRY);
    }
  });

  it('credsStore beats auths', async () => {
    const store = await storeWith({ auths: { 'localhost:5000': fileAuth }, credsStore: 'store' });
    expect({ ...(await store.get('localhost:5000')) }).toEqual({ username: 'store-user', password: 'store-secret', serveraddress: 'localhost:5000' });
  });

  it('credHelpers[registry] beats credsStore, for that registry only', async () => {
    const store = await storeWith({ auths: { 'localhost:5000': fileAuth }, credsStore: 'store', credHelpers: { 'localhost:5000': 'perregistry' } });
    expect((await store.get('localhost:5000'))?.username).toBe('perregistry-user');
    expect((await store.get('other.example'))?.username).toBe('store-user');
  });

  it('credHelpers keys match in any spelling', async () => {
    const store = await storeWith({ credHelpers: { 'https://localhost:5000': 'perregistry', 'docker.io': 'token' } });
    expect((await store.get('localhost:5000'))?.username).toBe('perregistry-user');
    expect((await store.get(DOCKER_HUB_REGISTRY))?.identitytoken).toBe('helper-identity-token');
  });

  it('asks the helper for the canonical key, as the CLI does', async () => {
    const store = await storeWith({ credsStore: 'perregistry' });
    await store.get('docker.io');
    await store.get('http://localhost:5000/v2/');
    const log = await readFile(join(bin, 'perregistry.log'), 'utf8');
    expect(log).toContain('get https://index.docker.io/v1/\n');
    expect(log).toContain('get localhost:5000\n');
  });

  it('a helper answering "not found" means anonymous: auths are NOT used (CLI native store)', async () => {
    const viaStore = await storeWith({ auths: { 'localhost:5000': fileAuth }, credsStore: 'nothing' });
    expect(await viaStore.get('localhost:5000')).toBeUndefined();
    const viaHelper = await storeWith({ auths: { 'localhost:5000': fileAuth }, credHelpers: { 'localhost:5000': 'nothing' } });
    expect(await viaHelper.get('localhost:5000')).toBeUndefined();
  });

  it('an identity token from a helper becomes identitytoken, without username', async () => {
    const store = await storeWith({ credsStore: 'token' });
    expect({ ...(await store.get('localhost:5000')) }).toEqual({ identitytoken: 'helper-identity-token', serveraddress: 'localhost:5000' });
  });

  it('an identity token in auths is passed on', async () => {
    const store = await storeWith({ auths: { 'localhost:5000': { auth: base64('me:'), identitytoken: 'file-token' } } });
    expect({ ...(await store.get('localhost:5000')) }).toEqual({ username: 'me', identitytoken: 'file-token', serveraddress: 'localhost:5000' });
  });

  it('DOCKER_AUTH_CONFIG beats credHelpers, credsStore and auths for the registries it names', async () => {
    const environment = { DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { 'http://localhost:5000': { auth: base64('env-user:env-secret') } } }) };
    const store = await storeWith(
      { auths: { 'localhost:5000': fileAuth }, credsStore: 'store', credHelpers: { 'localhost:5000': 'perregistry' } },
      { environment },
    );
    expect({ ...(await store.get('localhost:5000')) }).toEqual({ username: 'env-user', password: 'env-secret', serveraddress: 'localhost:5000' });
    // Registries it does not name fall through to the usual order.
    expect((await store.get('other.example'))?.username).toBe('store-user');
  });

  it('a credential-less entry counts as no credentials', async () => {
    const store = await storeWith({ auths: { 'localhost:5000': {} } });
    expect(await store.get('localhost:5000')).toBeUndefined();
  });

  it('a failing helper rejects with CredentialHelperError naming it', async () => {
    const store = await storeWith({ auths: { 'localhost:5000': fileAuth }, credsStore: 'broken' });
    const error = await store.get('localhost:5000').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CredentialHelperError);
    expect((error as Error).message).toContain('docker-credential-broken');
    expect((error as Error).message).toContain('keychain locked');
    expect(secretsIn(error, ['file-secret'])).toEqual([]);
  });

  it('a missing helper rejects (it does not silently fall back to auths)', async () => {
    const store = await storeWith({ auths: { 'localhost:5000': fileAuth }, credsStore: 'uninstalled' });
    await expect(store.get('localhost:5000')).rejects.toMatchObject({ reason: 'not-installed', helper: 'docker-credential-uninstalled' });
  });

  it('refuses an empty registry', async () => {
    const store = new CredentialStore(createDockerConfig());
    await expect(store.get('')).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('helperFor names the helper that would answer', async () => {
    const store = await storeWith({ credsStore: 'store', credHelpers: { 'gcr.io': 'perregistry' } });
    expect(store.helperFor('gcr.io')?.program).toBe('docker-credential-perregistry');
    expect(store.helperFor('localhost:5000')?.program).toBe('docker-credential-store');
    expect((await storeWith({})).helperFor('localhost:5000')).toBeUndefined();
  });

  it('the result encodes for X-Registry-Auth with its secret intact, but prints redacted', async () => {
    const store = await storeWith({ auths: { 'localhost:5000': fileAuth } });
    const authConfig = await store.get('localhost:5000');
    const decoded = JSON.parse(Buffer.from(encodeRegistryAuth(authConfig ?? {}), 'base64url').toString('utf8')) as unknown;
    expect(decoded).toEqual({ username: 'file-user', password: 'file-secret', serveraddress: 'localhost:5000' });
    expect(inspect(authConfig)).not.toContain('file-secret');
    expect(inspect(authConfig)).toContain('file-user');
  });
});

describe('CredentialStore.getAll', () => {
  it('without a store: every auths entry with credentials, canonical keys, exact spelling winning', async () => {
    const store = await storeWith({
      auths: {
        'docker.io': { auth: base64('hub:one') },
        'https://localhost:5000/v1/': { auth: base64('old:two') },
        'localhost:5000': { auth: base64('new:three') },
        'empty.example': {},
      },
    });
    const all = await store.getAll();
    expect(Object.keys(all).sort()).toEqual([DOCKER_HUB_REGISTRY, 'localhost:5000']);
    expect(all[DOCKER_HUB_REGISTRY]?.username).toBe('hub');
    expect(all['localhost:5000']?.username).toBe('new');
  });

  it('with credsStore: list, then get each; auths are not used', async () => {
    const store = await storeWith({ auths: { 'file.example': fileAuth }, credsStore: 'store' });
    const all = await store.getAll();
    expect(Object.keys(all).sort()).toEqual(['https://index.docker.io/v1/', 'listed.example:5000']);
    expect({ ...all['listed.example:5000'] }).toEqual({ username: 'store-user', password: 'store-secret', serveraddress: 'listed.example:5000' });
  });

  it('credHelpers registries override, DOCKER_AUTH_CONFIG overrides all', async () => {
    const environment = { DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { 'listed.example:5000': { auth: base64('env:pw') }, 'env-only.example': { auth: base64('e2:pw') } } }) };
    const store = await storeWith(
      { credsStore: 'store', credHelpers: { 'https://index.docker.io/v1/': 'perregistry', 'quiet.example': 'nothing' } },
      { environment },
    );
    const all = await store.getAll();
    expect(Object.keys(all).sort()).toEqual(['env-only.example', 'https://index.docker.io/v1/', 'listed.example:5000']);
    expect(all[DOCKER_HUB_REGISTRY]?.username).toBe('perregistry-user');
    expect(all['listed.example:5000']?.username).toBe('env');
  });

  it('a failing credHelpers helper is skipped with a warning (CLI), a failing credsStore rejects', async () => {
    const warnings: string[] = [];
    const store = await storeWith({ auths: { 'a.example': fileAuth }, credHelpers: { 'b.example': 'broken' } }, { warnings });
    const all = await store.getAll();
    expect(Object.keys(all)).toEqual(['a.example']);
    expect(warnings).toEqual([expect.stringContaining('Skipped the credentials of b.example: Credential helper docker-credential-broken')]);
    const failing = await storeWith({ credsStore: 'broken' });
    await expect(failing.getAll()).rejects.toBeInstanceOf(CredentialHelperError);
  });

  it('agrees with get() for every registry it returns', async () => {
    const storeDirectory = await temporaryDirectory();
    const store = await storeWith(
      { auths: { 'x.example': fileAuth }, credHelpers: { 'h.example': 'perregistry' } },
      { environment: { BERTH_FAKE_STORE: storeDirectory } },
    );
    const all = await store.getAll();
    for (const [registry, authConfig] of Object.entries(all)) expect({ ...(await store.get(registry)) }).toEqual({ ...authConfig });
  });
});

describe('CredentialStore: config warnings and printing', () => {
  it('load() reports skipped config entries to onWarning and keeps them in config.warnings', async () => {
    const warnings: string[] = [];
    const store = await storeWith({ auths: { 'bad.example': { auth: 'SECRET!!' } } }, { warnings });
    expect(warnings).toHaveLength(1);
    expect(store.config.warnings).toEqual(warnings);
    expect(warnings[0]).not.toContain('SECRET');
  });

  it('uses process warnings when no onWarning is given', async () => {
    const configDirectory = await temporaryDirectory();
    await writeFile(join(configDirectory, 'config.json'), JSON.stringify({ auths: { 'bad.example': { auth: '!!' } } }));
    const seen: string[] = [];
    const listener = (warning: Error) => seen.push(`${warning.name}: ${warning.message}`);
    process.on('warning', listener);
    try {
      await CredentialStore.load({ configDirectory, environment: { HOME: home } });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listener);
    }
    expect(seen).toEqual([expect.stringMatching(/^BerthCredentialsWarning: .*auths\["bad.example"\]/)]);
  });

  it('util.inspect, JSON.stringify and String of the store show no secret', async () => {
    const environment = { DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { e: { auth: base64('eu:env-pass-1') } } }) };
    const store = await storeWith(
      { auths: { a: { auth: base64('au:file-pass-2') }, b: { identitytoken: 'file-token-3' } }, credsStore: 'store', credHelpers: { c: 'token' } },
      { environment },
    );
    expect(secretsIn(store, ['env-pass-1', 'file-pass-2', 'file-token-3'])).toEqual([]);
    const printed = everyRendering(store);
    expect(printed).toContain('au');
    expect(printed).toContain('[redacted]');
    expect(String(store)).toMatch(/^CredentialStore\(.*config\.json, credsStore: store, credHelpers: 1, DOCKER_AUTH_CONFIG\)$/);
  });

  it('a store built from parts works without any file', async () => {
    const store = new CredentialStore(createDockerConfig({ auths: { 'localhost:5000': { username: 'me', password: 'pw' } } }));
    expect((await store.get('localhost:5000'))?.password).toBe('pw');
    expect(String(store)).toContain('(no config file)');
  });

  it('writes nothing while reading', async () => {
    const configDirectory = await temporaryDirectory();
    const text = JSON.stringify({ auths: { 'localhost:5000': fileAuth }, psFormat: 'x' });
    await mkdir(configDirectory, { recursive: true });
    await writeFile(join(configDirectory, 'config.json'), text);
    const store = await CredentialStore.load({ configDirectory, environment: { HOME: home } });
    await store.get('localhost:5000');
    await store.getAll();
    expect(await readFile(join(configDirectory, 'config.json'), 'utf8')).toBe(text);
  });
});
