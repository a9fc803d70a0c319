import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  deleteImage,
  EngineError,
  inspectImage,
  pullImage,
  pushImage,
  StreamMessageError,
  tagImage,
  type EngineClient,
  type RegistryAuthConfig,
} from '@berth/engine-protocol';
import { findTestEngine, startAuthRegistry, uniqueName, type AuthRegistry } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore, resolveRegistry } from '../../src/index.js';
import { base64, helperEnvironment, secretsIn, temporaryDirectory, writeHelper } from '../unit/support/fixtures.js';
import { drain, unixEngineClient } from './support/engine-client.js';

const engine = findTestEngine();
const wrongPassword = 'Definitely-Wrong-Password-42';
const unauthorized = /no basic auth credentials|unauthorized|authentication required|401/i;

describe.runIf(engine)('push and pull through a real engine with credentials from every source', () => {
  let registry: AuthRegistry;
  let client: EngineClient;
  const created: string[] = [];

  beforeAll(async () => {
    registry = await startAuthRegistry();
    client = unixEngineClient(engine!.socketPath);
  }, 30_000);

  afterAll(async () => {
    for (const name of created) await deleteImage(client, { name, force: true }).catch(() => undefined);
    await client?.close();
    await registry?.close();
  });

  /** Tags the seed image under a fresh repository of the auth registry. */
  async function freshImage(prefix: string): Promise<{ repository: string; reference: string }> {
    const repository = `${registry.address}/${uniqueName(prefix)}`;
    await tagImage(client, { name: engine!.seedImage, repo: repository, tag: 'v1' });
    created.push(`${repository}:v1`);
    return { repository, reference: `${repository}:v1` };
  }

  /** Push, remove locally, pull back: every step with the given credentials. */
  async function pushAndPull(authConfig: RegistryAuthConfig, prefix: string): Promise<void> {
    const { repository, reference } = await freshImage(prefix);
    const pushed = await drain(await pushImage(client, { name: repository, tag: 'v1', authConfig }));
    const digest = pushed.map((message) => (message.aux as { Digest?: string } | undefined)?.Digest ?? /digest: (sha256:\w+)/.exec(message.status ?? '')?.[1]).find(Boolean);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);

    await deleteImage(client, { name: reference });
    await expect(inspectImage(client, { name: reference })).rejects.toBeInstanceOf(EngineError);
    const pulled = await drain(await pullImage(client, { fromImage: repository, tag: 'v1', authConfig }));
    expect(pulled.map((message) => message.status ?? '').join('\n')).toContain(`Digest: ${digest}`);
    expect((await inspectImage(client, { name: reference })).RepoDigests).toContain(`${repository}@${digest}`);
  }

  /** A config directory with `config.json` holding `document`. */
  async function configDirectoryWith(document: unknown): Promise<string> {
    const directory = await temporaryDirectory();
    await writeFile(join(directory, 'config.json'), JSON.stringify(document));
    return directory;
  }

  function secrets(): string[] {
    return [registry.password, wrongPassword, base64(`${registry.username}:${registry.password}`), base64(`${registry.username}:${wrongPassword}`)];
  }

  it('with config.json auths (key written as a URL)', async () => {
    const configDirectory = await configDirectoryWith({
      auths: { [`http://${registry.address}/v2/`]: { auth: base64(`${registry.username}:${registry.password}`) } },
    });
    const store = await CredentialStore.load({ configDirectory, environment: { HOME: configDirectory } });
    const authConfig = await store.get(resolveRegistry(`${registry.address}/any/image:tag`));
    expect(authConfig?.username).toBe(registry.username);
    await pushAndPull(authConfig!, 'auths');
  }, 60_000);

  it('with a credential helper on PATH (credsStore), asked for the registry key', async () => {
    const home = await temporaryDirectory();
    const bin = join(home, 'bin');
    // Answers only for this registry, like a real keychain.
    await writeHelper(
      bin,
      'berthpush',
      String.raw`input=$(cat)
if [ "$1" = get ] && [ "$input" = "${registry.address}" ]; then
  printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}' "$input" "$BERTH_REGISTRY_USER" "$BERTH_REGISTRY_PASSWORD"
else
  echo "credentials not found in native keychain"; exit 1
fi`,
    );
    const configDirectory = await configDirectoryWith({ credsStore: 'berthpush', auths: { [registry.address]: {} } });
    const environment = helperEnvironment(bin, home, { BERTH_REGISTRY_USER: registry.username, BERTH_REGISTRY_PASSWORD: registry.password });
    const store = await CredentialStore.load({ configDirectory, environment });
    expect(await store.get('other.example:5000')).toBeUndefined();
    const authConfig = await store.get(resolveRegistry(`${registry.address}/x`));
    expect(authConfig?.password).toBe(registry.password);
    await pushAndPull(authConfig!, 'helper');
  }, 60_000);

  it('with DOCKER_AUTH_CONFIG, which beats a wrong password in config.json', async () => {
    const configDirectory = await configDirectoryWith({ auths: { [registry.address]: { auth: base64(`${registry.username}:${wrongPassword}`) } } });
    const environment = {
      HOME: configDirectory,
      DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { [registry.address]: { auth: base64(`${registry.username}:${registry.password}`) } } }),
    };
    const store = await CredentialStore.load({ configDirectory, environment });
    const authConfig = await store.get(registry.address);
    expect(authConfig?.password).toBe(registry.password);
    await pushAndPull(authConfig!, 'environment');
  }, 60_000);

  it('with an explicit authConfig', async () => {
    await pushAndPull({ username: registry.username, password: registry.password, serveraddress: registry.address }, 'explicit');
  }, 60_000);

  it('without credentials: push fails in the stream, pull fails with the engine error', async () => {
    const home = await temporaryDirectory();
    await mkdir(join(home, '.docker'));
    const store = await CredentialStore.load({ environment: { HOME: home } });
    const { repository } = await freshImage('anonymous');
    expect(await store.get(resolveRegistry(repository))).toBeUndefined();

    const pushError = await pushImage(client, { name: repository, tag: 'v1' }).then(drain).catch((caught: unknown) => caught);
    expect(pushError).toBeInstanceOf(StreamMessageError);
    expect((pushError as StreamMessageError).engineMessage).toMatch(unauthorized);

    const pullError = await pullImage(client, { fromImage: repository, tag: 'v1' }).then(drain).catch((caught: unknown) => caught);
    expect(pullError).toBeInstanceOf(EngineError);
    expect((pullError as Error).message).toMatch(unauthorized);
  }, 60_000);

  it('with a wrong password from config.json: same clear failures, no secret in them', async () => {
    const configDirectory = await configDirectoryWith({ auths: { [registry.address]: { auth: base64(`${registry.username}:${wrongPassword}`) } } });
    const store = await CredentialStore.load({ configDirectory, environment: { HOME: configDirectory } });
    const authConfig = await store.get(registry.address);
    expect(authConfig?.password).toBe(wrongPassword);
    const { repository } = await freshImage('wrong');

    const pushError = await pushImage(client, { name: repository, tag: 'v1', authConfig: authConfig! }).then(drain).catch((caught: unknown) => caught);
    expect(pushError).toBeInstanceOf(StreamMessageError);
    expect((pushError as StreamMessageError).engineMessage).toMatch(unauthorized);
    expect(secretsIn(pushError, secrets())).toEqual([]);

    const pullError = await pullImage(client, { fromImage: repository, tag: 'v1', authConfig: authConfig! }).then(drain).catch((caught: unknown) => caught);
    expect(pullError).toBeInstanceOf(EngineError);
    expect((pullError as Error).message).toMatch(unauthorized);
    expect(secretsIn(pullError, secrets())).toEqual([]);
    expect(secretsIn(store, secrets())).toEqual([]);
  }, 60_000);
});
