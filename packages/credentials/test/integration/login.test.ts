import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineError, type EngineClient } from '@berth/engine-protocol';
import { findTestEngine, startAuthRegistry, type AuthRegistry } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore, login } from '../../src/index.js';
import { base64, helperEnvironment, secretsIn, storingHelperScript, temporaryDirectory, writeHelper } from '../unit/support/fixtures.js';
import { unixEngineClient } from './support/engine-client.js';

const engine = findTestEngine();

describe.runIf(engine)('login through a real engine against an htpasswd registry', () => {
  let registry: AuthRegistry;
  let client: EngineClient;

  beforeAll(async () => {
    registry = await startAuthRegistry();
    client = unixEngineClient(engine!.socketPath);
  }, 30_000);

  afterAll(async () => {
    await client?.close();
    await registry?.close();
  });

  it('succeeds with the right password and stores it in config.json, 0600', async () => {
    const configDirectory = await temporaryDirectory();
    const result = await login(client, {
      username: registry.username,
      password: registry.password,
      serveraddress: registry.address,
      store: 'file',
      configDirectory,
    });
    expect(result.status).toBe('Login Succeeded');
    expect(result.storedIn).toBe(join(configDirectory, 'config.json'));
    const written = JSON.parse(await readFile(join(configDirectory, 'config.json'), 'utf8')) as unknown;
    expect(written).toEqual({ auths: { [registry.address]: { auth: base64(`${registry.username}:${registry.password}`) } } });
    const store = await CredentialStore.load({ configDirectory, environment: { HOME: configDirectory } });
    expect({ ...(await store.get(registry.address)) }).toEqual({
      username: registry.username,
      password: registry.password,
      serveraddress: registry.address,
    });
  });

  it('succeeds and stores through a credential helper on PATH', async () => {
    const home = await temporaryDirectory();
    const bin = join(home, 'bin');
    await writeHelper(bin, 'berthit', storingHelperScript);
    const storeDirectory = await temporaryDirectory();
    const environment = helperEnvironment(bin, home, { BERTH_FAKE_STORE: storeDirectory });
    const configDirectory = await temporaryDirectory();
    await writeFile(join(configDirectory, 'config.json'), JSON.stringify({ credsStore: 'berthit' }));

    const result = await login(client, {
      username: registry.username,
      password: registry.password,
      serveraddress: `http://${registry.address}/v2/`,
      store: true,
      configDirectory,
      environment,
    });
    expect(result.storedIn).toBe('docker-credential-berthit');
    const store = await CredentialStore.load({ configDirectory, environment });
    expect((await store.get(registry.address))?.password).toBe(registry.password);
  });

  it.each([
    ['a wrong password', () => ({ username: registry.username, password: 'Wrong-Password-xyz' })],
    ['an unknown user', () => ({ username: 'nobody-here', password: 'Unknown-User-Password' })],
  ])('fails with %s: EngineError, nothing stored, no secret in the error', async (_name, credentials) => {
    const configDirectory = await temporaryDirectory();
    const { username, password } = credentials();
    const error = await login(client, { username, password, serveraddress: registry.address, store: 'file', configDirectory }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).engineMessage).toMatch(/401|unauthorized/i);
    expect(secretsIn(error, [password, base64(`${username}:${password}`), registry.password])).toEqual([]);
    expect(await readdir(configDirectory)).toEqual([]);
  });
});
