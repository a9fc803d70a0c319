import { lstat, mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { EngineError, InvalidArgumentError, UnexpectedReplyError } from '@berth/engine-protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore, DockerConfigError, login } from '../../src/index.js';
import { base64, helperEnvironment, secretsIn, storingHelperScript, temporaryDirectory, writeHelper } from './support/fixtures.js';
import { mockEngine, type SeenRequest } from './support/mock-engine.js';

const succeeded = () => ({ body: JSON.stringify({ Status: 'Login Succeeded', IdentityToken: '' }) });
const withToken = () => ({ body: JSON.stringify({ Status: 'Login Succeeded', IdentityToken: 'issued-identity-token' }) });

let bin: string;
let home: string;

beforeAll(async () => {
  home = await temporaryDirectory();
  bin = join(home, 'bin');
  await writeHelper(bin, 'storing', storingHelperScript);
});

function authBody(request: SeenRequest | undefined): unknown {
  return JSON.parse(request?.body ?? 'null') as unknown;
}

describe('login: the request', () => {
  it('POSTs /auth with the canonical server address and returns the status', async () => {
    const { client, seen } = mockEngine(succeeded);
    const result = await login(client, { username: 'me', password: 'pw', serveraddress: 'http://localhost:5000/v2/' });
    expect(result).toEqual({ status: 'Login Succeeded' });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.path).toBe('/v1.41/auth');
    expect(authBody(seen[0])).toEqual({ username: 'me', password: 'pw', serveraddress: 'localhost:5000' });
  });

  it('defaults to Docker Hub, and maps its aliases to the CLI key', async () => {
    const { client, seen } = mockEngine(succeeded);
    await login(client, { username: 'me', password: 'pw' });
    await login(client, { username: 'me', password: 'pw', serveraddress: 'docker.io' });
    expect(seen.map((request) => (authBody(request) as { serveraddress: string }).serveraddress)).toEqual([
      'https://index.docker.io/v1/',
      'https://index.docker.io/v1/',
    ]);
  });

  it('returns an identity token, printed redacted', async () => {
    const { client } = mockEngine(withToken);
    const result = await login(client, { username: 'me', password: 'pw', serveraddress: 'localhost:5000' });
    expect(result.identityToken).toBe('issued-identity-token');
    expect(secretsIn(result, ['issued-identity-token'])).toEqual([]);
    expect(inspect(result)).toContain('Login Succeeded');
  });

  it('accepts a 204 without a body as success', async () => {
    const { client } = mockEngine(() => ({ status: 204 }));
    expect((await login(client, { username: 'me', password: 'pw', serveraddress: 'localhost:5000' })).status).toBe('Login Succeeded');
  });

  it.each([
    [{ username: '', password: 'pw' }, 'username'],
    [{ username: 'me', password: '' }, 'password'],
    [{ username: 'me', password: 7 }, 'password'],
    [{ username: 'me', password: 'pw', serveraddress: 'https://' }, 'serveraddress'],
    [{ username: 'me', password: 'pw', store: 'keychain' }, 'store'],
  ])('refuses bad input %j before any request', async (parameters, argument) => {
    const { client, seen } = mockEngine(succeeded);
    const error = await login(client, parameters as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe(argument);
    expect(seen).toHaveLength(0);
  });

  it('wrong credentials reject with the engine error, without the password', async () => {
    const { client } = mockEngine(() => ({ status: 401, body: JSON.stringify({ message: 'login attempt to http://localhost:5000/v2/ failed with status: 401 Unauthorized' }) }));
    const error = await login(client, { username: 'me', password: 'wrong-Password-1', serveraddress: 'localhost:5000', store: 'file', configDirectory: await temporaryDirectory() }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).status).toBe(401);
    expect(secretsIn(error, ['wrong-Password-1', base64('me:wrong-Password-1')])).toEqual([]);
  });
});

// issue 8, failure 1: a redirect (or any reply that is not the engine's explicit success)
// resolved `Login Succeeded`, and login then stored the credentials.
describe('login: success only on the engine\'s explicit success', () => {
  it.each([
    ['a redirect', { status: 301, body: '<a href="/elsewhere">Moved</a>' }, EngineError],
    ['a temporary redirect', { status: 307, body: '' }, EngineError],
    ['202 Accepted', { status: 202, body: JSON.stringify({ Status: 'Login Succeeded' }) }, EngineError],
    ['200 without a body', { status: 200, body: '' }, UnexpectedReplyError],
    ['200 without a Status', { status: 200, body: '{"IdentityToken":"tok-9"}' }, UnexpectedReplyError],
    ['200 with a null body', { status: 200, body: 'null' }, UnexpectedReplyError],
    ['200 with a body cut inside the token', { status: 200, body: '{"Status":"Login Succeeded","IdentityToken":"tok-9' }, UnexpectedReplyError],
    ['200 with a garbled token', { status: 200, body: '{"Status":"Login Succeeded","IdentityToken":tok-9}' }, UnexpectedReplyError],
  ])('%s rejects and stores nothing', async (_name, reply, expected) => {
    const configDirectory = await temporaryDirectory();
    const { client } = mockEngine(() => reply);
    const error = await login(client, { username: 'me', password: 'pw-never-stored', serveraddress: 'localhost:5000', store: 'file', configDirectory }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(expected);
    expect(await readdir(configDirectory)).toEqual([]);
    expect(secretsIn(error, ['pw-never-stored', 'tok-9'])).toEqual([]);
  });
});

describe('login: storing in config.json', () => {
  it('writes auths[registry].auth, mode 0600, keeping every other key', async () => {
    const configDirectory = await temporaryDirectory();
    const path = join(configDirectory, 'config.json');
    const before = {
      auths: { 'other.example': { auth: base64('o:pw') }, 'localhost:5000': { auth: base64('old:old'), email: 'me@example.com', identitytoken: 'stale' } },
      psFormat: 'table {{.ID}}',
      currentContext: 'remote',
      credHelpers: { 'gcr.io': 'gcloud' },
      proxies: { default: { httpProxy: 'http://proxy:3128' } },
    };
    await writeFile(path, JSON.stringify(before), { mode: 0o644 });
    const { client } = mockEngine(succeeded);
    const result = await login(client, { username: 'jürgen', password: 'p:ss', serveraddress: 'https://localhost:5000', store: 'file', configDirectory });
    expect(result.storedIn).toBe(path);
    const after = JSON.parse(await readFile(path, 'utf8')) as typeof before;
    expect(after).toEqual({
      ...before,
      auths: { 'other.example': before.auths['other.example'], 'localhost:5000': { auth: base64('jürgen:p:ss'), email: 'me@example.com' } },
    });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('creates the directory (0700) and the file when missing', async () => {
    const configDirectory = join(await temporaryDirectory(), 'nested', '.docker');
    const { client } = mockEngine(succeeded);
    await login(client, { username: 'me', password: 'pw', serveraddress: 'localhost:5000', store: true, configDirectory, environment: { HOME: home } });
    expect((await stat(configDirectory)).mode & 0o777).toBe(0o700);
    const written = JSON.parse(await readFile(join(configDirectory, 'config.json'), 'utf8')) as unknown;
    expect(written).toEqual({ auths: { 'localhost:5000': { auth: base64('me:pw') } } });
    expect((await stat(join(configDirectory, 'config.json'))).mode & 0o777).toBe(0o600);
  });

  it('replaces the file by rename (a new inode), leaving no temporary file', async () => {
    const configDirectory = await temporaryDirectory();
    const path = join(configDirectory, 'config.json');
    await writeFile(path, '{}');
    const inodeBefore = (await stat(path)).ino;
    const { client } = mockEngine(succeeded);
    await login(client, { username: 'me', password: 'pw', serveraddress: 'localhost:5000', store: 'file', configDirectory });
    expect((await stat(path)).ino).not.toBe(inodeBefore);
    expect(await readdir(configDirectory)).toEqual(['config.json']);
  });

  it('writes through a symlinked config.json, keeping the link', async () => {
    const configDirectory = await temporaryDirectory();
    const elsewhere = await temporaryDirectory();
    await writeFile(join(elsewhere, 'real.json'), JSON.stringify({ psFormat: 'x' }));
    await symlink(join(elsewhere, 'real.json'), join(configDirectory, 'config.json'));
    const { client } = mockEngine(succeeded);
    await login(client, { username: 'me', password: 'pw', serveraddress: 'localhost:5000', store: 'file', configDirectory });
    expect((await lstat(join(configDirectory, 'config.json'))).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(join(elsewhere, 'real.json'), 'utf8'))).toEqual({ psFormat: 'x', auths: { 'localhost:5000': { auth: base64('me:pw') } } });
  });

  it('stores the identity token instead of the password, as the CLI does', async () => {
    const configDirectory = await temporaryDirectory();
    const { client } = mockEngine(withToken);
    await login(client, { username: 'me', password: 'the-password', serveraddress: 'localhost:5000', store: 'file', configDirectory });
    const text = await readFile(join(configDirectory, 'config.json'), 'utf8');
    expect(JSON.parse(text)).toEqual({ auths: { 'localhost:5000': { auth: base64('me:'), identitytoken: 'issued-identity-token' } } });
    expect(text).not.toContain(base64('me:the-password'));
    const store = await CredentialStore.load({ configDirectory, environment: { HOME: home } });
    expect({ ...(await store.get('localhost:5000')) }).toEqual({ username: 'me', identitytoken: 'issued-identity-token', serveraddress: 'localhost:5000' });
  });

  it('round-trips: what login stored, the store reads back', async () => {
    const configDirectory = await temporaryDirectory();
    const { client } = mockEngine(succeeded);
    await login(client, { username: '用户', password: 'pa:ss✓', serveraddress: 'docker.io', store: true, configDirectory, environment: { HOME: home } });
    const store = await CredentialStore.load({ configDirectory, environment: { HOME: home } });
    expect({ ...(await store.get('index.docker.io')) }).toEqual({
      username: '用户',
      password: 'pa:ss✓',
      serveraddress: 'https://index.docker.io/v1/',
    });
  });

  it('a malformed config.json fails before the request and is left untouched', async () => {
    const configDirectory = await temporaryDirectory();
    const path = join(configDirectory, 'config.json');
    await writeFile(path, '{"auths": {');
    const { client, seen } = mockEngine(succeeded);
    const error = await login(client, { username: 'me', password: 'pw', serveraddress: 'localhost:5000', store: 'file', configDirectory }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DockerConfigError);
    expect(seen).toHaveLength(0);
    expect(await readFile(path, 'utf8')).toBe('{"auths": {');
  });

  it('store: false writes nothing', async () => {
    const configDirectory = await temporaryDirectory();
    const { client } = mockEngine(succeeded);
    const result = await login(client, { username: 'me', password: 'pw', serveraddress: 'localhost:5000', configDirectory });
    expect(result.storedIn).toBeUndefined();
    expect(await readdir(configDirectory)).toEqual([]);
  });
});

describe('login: storing through a helper', () => {
  async function helperSetup(config: unknown) {
    const configDirectory = await temporaryDirectory();
    const storeDirectory = await temporaryDirectory();
    await mkdir(configDirectory, { recursive: true });
    await writeFile(join(configDirectory, 'config.json'), JSON.stringify(config));
    const environment = helperEnvironment(bin, home, { BERTH_FAKE_STORE: storeDirectory });
    return { configDirectory, storeDirectory, environment };
  }

  it('store: true uses credsStore and leaves config.json alone', async () => {
    const { configDirectory, environment } = await helperSetup({ credsStore: 'storing' });
    const { client } = mockEngine(succeeded);
    const result = await login(client, { username: 'me', password: 'helper-pw', serveraddress: 'localhost:5000', store: true, configDirectory, environment });
    expect(result.storedIn).toBe('docker-credential-storing');
    expect(JSON.parse(await readFile(join(configDirectory, 'config.json'), 'utf8'))).toEqual({ credsStore: 'storing' });
    const store = await CredentialStore.load({ configDirectory, environment });
    expect({ ...(await store.get('localhost:5000')) }).toEqual({ username: 'me', password: 'helper-pw', serveraddress: 'localhost:5000' });
  });

  it('store: "helper" picks credHelpers[registry] over credsStore, and stores a token as <token>', async () => {
    const { configDirectory, storeDirectory, environment } = await helperSetup({ credsStore: 'uninstalled', credHelpers: { 'localhost:5000': 'storing' } });
    const { client } = mockEngine(withToken);
    await login(client, { username: 'me', password: 'not-stored', serveraddress: 'localhost:5000', store: 'helper', configDirectory, environment });
    const calls = await readFile(join(storeDirectory, 'calls.log'), 'utf8');
    expect(calls).toBe('store {"ServerURL":"localhost:5000","Username":"<token>","Secret":"issued-identity-token"}\n');
    const store = await CredentialStore.load({ configDirectory, environment });
    expect({ ...(await store.get('localhost:5000')) }).toEqual({ identitytoken: 'issued-identity-token', serveraddress: 'localhost:5000' });
  });

  it('store: "file" writes config.json even with a helper configured', async () => {
    const { configDirectory, storeDirectory, environment } = await helperSetup({ credsStore: 'storing' });
    const { client } = mockEngine(succeeded);
    await login(client, { username: 'me', password: 'pw', serveraddress: 'localhost:5000', store: 'file', configDirectory, environment });
    expect(JSON.parse(await readFile(join(configDirectory, 'config.json'), 'utf8'))).toEqual({
      credsStore: 'storing',
      auths: { 'localhost:5000': { auth: base64('me:pw') } },
    });
    expect(await readdir(storeDirectory)).toEqual([]);
  });

  it('store: "helper" without a configured helper fails before the request', async () => {
    const { configDirectory, environment } = await helperSetup({ auths: {} });
    const { client, seen } = mockEngine(succeeded);
    const error = await login(client, { username: 'me', password: 'pw', serveraddress: 'localhost:5000', store: 'helper', configDirectory, environment }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('store');
    expect(seen).toHaveLength(0);
  });

  it('a helper failing to store rejects with CredentialHelperError, secret scrubbed', async () => {
    const { configDirectory, environment } = await helperSetup({ credsStore: 'echostore' });
    await writeHelper(bin, 'echostore', `input=$(cat); echo "cannot store $input"; exit 1`);
    const { client } = mockEngine(succeeded);
    const error = await login(client, { username: 'me', password: 'Echoed-Secret-7', serveraddress: 'localhost:5000', store: true, configDirectory, environment }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ name: 'CredentialHelperError', operation: 'store', reason: 'exit-code' });
    expect(secretsIn(error, ['Echoed-Secret-7'])).toEqual([]);
  });
});
