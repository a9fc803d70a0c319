import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DockerConfigError, loadDockerConfig, type DockerConfig } from '../../src/index.js';
import { base64, everyRendering, secretsIn, temporaryDirectory } from './support/fixtures.js';

async function loadFrom(configJson: unknown, extraEnvironment: Record<string, string> = {}): Promise<DockerConfig> {
  const home = await temporaryDirectory();
  const configDirectory = join(home, '.docker');
  await mkdir(configDirectory);
  await writeFile(join(configDirectory, 'config.json'), typeof configJson === 'string' ? configJson : JSON.stringify(configJson));
  return loadDockerConfig({ environment: { HOME: home, ...extraEnvironment } });
}

describe('loadDockerConfig: config.json entries', () => {
  it.each([
    ['plain user:password', { auth: base64('me:pw') }, { username: 'me', password: 'pw' }],
    ['password with colons', { auth: base64('me:a:b::c') }, { username: 'me', password: 'a:b::c' }],
    ['UTF-8 user name and password', { auth: base64('jürgen:pässwörd✓') }, { username: 'jürgen', password: 'pässwörd✓' }],
    ['CJK user name', { auth: base64('用户:密码') }, { username: '用户', password: '密码' }],
    ['empty password', { auth: base64('me:') }, { username: 'me' }],
    ['trailing NULs trimmed like the CLI', { auth: base64('me:pw\0\0') }, { username: 'me', password: 'pw' }],
    ['unpadded base64', { auth: base64('me:pw1').replace(/=+$/, '') }, { username: 'me', password: 'pw1' }],
    ['base64 with a line break', { auth: `${base64('someone:longpassword').slice(0, 8)}\n${base64('someone:longpassword').slice(8)}` }, { username: 'someone', password: 'longpassword' }],
    ['identity token next to auth', { auth: base64('me:'), identitytoken: 'tok' }, { username: 'me', identitytoken: 'tok' }],
    ['identity token alone', { identitytoken: 'tok' }, { identitytoken: 'tok' }],
    ['plain username/password fields', { username: 'me', password: 'pw' }, { username: 'me', password: 'pw' }],
    ['auth wins over plain fields', { auth: base64('a:b'), username: 'x', password: 'y' }, { username: 'a', password: 'b' }],
    ['email and registry token kept', { auth: base64('me:pw'), email: 'me@example.com', registrytoken: 'rt' }, { username: 'me', password: 'pw', email: 'me@example.com', registrytoken: 'rt' }],
    ['unknown entry fields ignored', { auth: base64('me:pw'), colour: 'blue', serveraddress: 'elsewhere' }, { username: 'me', password: 'pw' }],
    ['null fields ignored', { auth: base64('me:pw'), email: null }, { username: 'me', password: 'pw' }],
    ['empty entry (left by a helper login)', {}, {}],
  ])('%s', async (_name, entry, expected) => {
    const config = await loadFrom({ auths: { 'localhost:5000': entry } });
    expect(config.warnings).toEqual([]);
    expect({ ...config.auths['localhost:5000'] }).toEqual(expected);
  });

  it.each([
    ['bad base64', { auth: 'not base64!' }, '"auth" is not valid base64'],
    ['base64url alphabet', { auth: base64('me:pw??>').replace(/\+/g, '-').replace(/\//g, '_') }, '"auth" is not valid base64'],
    ['bad length', { auth: 'abcde' }, '"auth" is not valid base64'],
    ['missing colon', { auth: base64('mepassword') }, 'has no ":"'],
    ['empty user name', { auth: base64(':secret-pw') }, 'empty user name'],
    ['invalid UTF-8', { auth: Buffer.from([0x6d, 0x65, 0x3a, 0xff, 0xfe]).toString('base64') }, 'UTF-8'],
    ['auth of the wrong type', { auth: 1234 }, '"auth" is not a string'],
    ['password of the wrong type', { username: 'me', password: ['secret-pw'] }, '"password" is not a string'],
    ['entry not an object', 'secret-pw', 'is not an object'],
    ['entry is an array', ['secret-pw'], 'is not an object'],
  ])('skips a broken entry (%s) with a warning and keeps the others', async (_name, entry, warning) => {
    const config = await loadFrom({ auths: { 'broken.example': entry, 'good.example': { auth: base64('me:pw') } } });
    expect(Object.keys(config.auths)).toEqual(['good.example']);
    expect(config.warnings).toHaveLength(1);
    expect(config.warnings[0]).toContain('auths["broken.example"]');
    expect(config.warnings[0]).toContain(warning);
    expect(config.warnings[0]).toContain('config.json');
    expect(config.warnings.join('\n')).not.toContain('secret-pw');
    expect(config.warnings.join('\n')).not.toContain(typeof entry === 'object' && entry !== null && 'auth' in entry ? String(entry.auth) : '\u0000');
  });

  it('reads credsStore and credHelpers, ignores unknown top-level keys', async () => {
    const config = await loadFrom({
      auths: {},
      credsStore: 'desktop',
      credHelpers: { 'gcr.io': 'gcloud', 'localhost:5000': 'pass' },
      HttpHeaders: { 'X-Meta': 'x' },
      psFormat: 'table {{.ID}}',
      currentContext: 'remote',
      plugins: { x: { y: 'z' } },
      somethingNew: [1, 2, 3],
    });
    expect(config.credentialsStore).toBe('desktop');
    expect(config.credentialHelpers).toEqual({ 'gcr.io': 'gcloud', 'localhost:5000': 'pass' });
    expect(config.warnings).toEqual([]);
    expect(Object.keys(config)).not.toContain('psFormat');
  });

  it.each([
    [{ auths: 'nope' }, '"auths" is not an object'],
    [{ auths: [] }, '"auths" is not an object'],
    [{ credsStore: 7 }, '"credsStore" is not a string'],
    [{ credHelpers: ['pass'] }, '"credHelpers" is not an object'],
    [{ credHelpers: { 'gcr.io': 3, 'ok.example': 'pass' } }, 'credHelpers["gcr.io"] is not a helper name'],
  ])('warns about a setting of the wrong shape: %j', async (document, warning) => {
    const config = await loadFrom(document);
    expect(config.warnings).toEqual([expect.stringContaining(warning)]);
  });

  it('treats an empty string credsStore as unset and an empty file as an empty config', async () => {
    expect((await loadFrom({ credsStore: '' })).credentialsStore).toBeUndefined();
    const empty = await loadFrom('  \n');
    expect(empty.auths).toEqual({});
    expect(empty.source).toMatch(/config\.json$/);
  });

  it('accepts a byte-order mark', async () => {
    const config = await loadFrom(`\uFEFF${JSON.stringify({ auths: { a: { auth: base64('me:pw') } } })}`);
    expect(config.auths['a']?.username).toBe('me');
  });
});

describe('loadDockerConfig: where it reads from', () => {
  it('uses DOCKER_CONFIG over ~/.docker, and the explicit option over both', async () => {
    const home = await temporaryDirectory();
    const fromHome = join(home, '.docker');
    const fromVariable = await temporaryDirectory();
    const explicit = await temporaryDirectory();
    await mkdir(fromHome);
    await writeFile(join(fromHome, 'config.json'), JSON.stringify({ auths: { home: { auth: base64('a:1') } } }));
    await writeFile(join(fromVariable, 'config.json'), JSON.stringify({ auths: { variable: { auth: base64('b:2') } } }));
    await writeFile(join(explicit, 'config.json'), JSON.stringify({ auths: { explicit: { auth: base64('c:3') } } }));

    const byHome = await loadDockerConfig({ environment: { HOME: home } });
    expect(Object.keys(byHome.auths)).toEqual(['home']);
    expect(byHome.configDirectory).toBe(fromHome);
    const byVariable = await loadDockerConfig({ environment: { HOME: home, DOCKER_CONFIG: fromVariable } });
    expect(Object.keys(byVariable.auths)).toEqual(['variable']);
    expect(byVariable.source).toBe(join(fromVariable, 'config.json'));
    const byOption = await loadDockerConfig({ configDirectory: explicit, environment: { HOME: home, DOCKER_CONFIG: fromVariable } });
    expect(Object.keys(byOption.auths)).toEqual(['explicit']);
  });

  it('returns an empty config when there is no file at all', async () => {
    const home = await temporaryDirectory();
    const config = await loadDockerConfig({ environment: { HOME: home } });
    expect(config.source).toBeUndefined();
    expect(config.auths).toEqual({});
    expect(config.credentialsStore).toBeUndefined();
  });

  it.each([
    ['flat legacy layout', { 'https://index.docker.io/v1/': { auth: base64('old:pw'), email: 'old@example.com' } }],
    ['auths layout', { auths: { 'https://index.docker.io/v1/': { auth: base64('old:pw'), email: 'old@example.com' } } }],
  ])('falls back to ~/.dockercfg (%s) when config.json is missing', async (_name, document) => {
    const home = await temporaryDirectory();
    await writeFile(join(home, '.dockercfg'), JSON.stringify(document));
    const config = await loadDockerConfig({ environment: { HOME: home } });
    expect(config.source).toBe(join(home, '.dockercfg'));
    expect({ ...config.auths['https://index.docker.io/v1/'] }).toEqual({ username: 'old', password: 'pw', email: 'old@example.com' });
  });

  it('skips broken legacy entries with a warning naming the legacy file', async () => {
    const home = await temporaryDirectory();
    await writeFile(join(home, '.dockercfg'), JSON.stringify({ 'a.example': { auth: '!!' }, 'b.example': { auth: base64('b:pw') } }));
    const config = await loadDockerConfig({ environment: { HOME: home } });
    expect(Object.keys(config.auths)).toEqual(['b.example']);
    expect(config.warnings[0]).toContain('.dockercfg');
  });

  it('ignores ~/.dockercfg when config.json exists', async () => {
    const home = await temporaryDirectory();
    await mkdir(join(home, '.docker'));
    await writeFile(join(home, '.docker', 'config.json'), JSON.stringify({ auths: {} }));
    await writeFile(join(home, '.dockercfg'), JSON.stringify({ legacy: { auth: base64('old:pw') } }));
    const config = await loadDockerConfig({ environment: { HOME: home } });
    expect(config.auths).toEqual({});
  });

  it('follows a symlinked config.json', async () => {
    const home = await temporaryDirectory();
    const elsewhere = await temporaryDirectory();
    await writeFile(join(elsewhere, 'real.json'), JSON.stringify({ auths: { linked: { auth: base64('l:pw') } } }));
    await mkdir(join(home, '.docker'));
    await symlink(join(elsewhere, 'real.json'), join(home, '.docker', 'config.json'));
    expect(Object.keys((await loadDockerConfig({ environment: { HOME: home } })).auths)).toEqual(['linked']);
  });
});

describe('loadDockerConfig: DOCKER_AUTH_CONFIG', () => {
  it('keeps its auths apart from the file, to be preferred for the registries it names', async () => {
    const config = await loadFrom(
      { auths: { 'localhost:5000': { auth: base64('file:pw') }, 'other:1': { auth: base64('o:pw') } } },
      { DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { 'localhost:5000': { auth: base64('env:pw') } } }) },
    );
    expect(config.environmentAuths['localhost:5000']?.username).toBe('env');
    expect(config.auths['localhost:5000']?.username).toBe('file');
    expect(Object.keys(config.environmentAuths)).toEqual(['localhost:5000']);
  });

  it('is read even without any config file, and only its auths count', async () => {
    const home = await temporaryDirectory();
    const config = await loadDockerConfig({
      environment: { HOME: home, DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { 'r.example': { auth: base64('e:pw') } }, credsStore: 'pass' }) },
    });
    expect(config.source).toBeUndefined();
    expect(config.environmentAuths['r.example']?.username).toBe('e');
    expect(config.credentialsStore).toBeUndefined();
    expect(config.warnings).toEqual([expect.stringContaining('DOCKER_AUTH_CONFIG: "credsStore" and "credHelpers" are ignored')]);
  });

  it('skips its broken entries with a warning naming DOCKER_AUTH_CONFIG', async () => {
    const home = await temporaryDirectory();
    const config = await loadDockerConfig({
      environment: { HOME: home, DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { bad: { auth: base64('nocolon-secret') }, good: { auth: base64('g:pw') } } }) },
    });
    expect(Object.keys(config.environmentAuths)).toEqual(['good']);
    expect(config.warnings).toEqual([expect.stringMatching(/^DOCKER_AUTH_CONFIG: auths\["bad"\].*no ":"/)]);
    expect(config.warnings[0]).not.toContain('nocolon-secret');
  });

  it('an empty value is ignored', async () => {
    const home = await temporaryDirectory();
    const config = await loadDockerConfig({ environment: { HOME: home, DOCKER_AUTH_CONFIG: '' } });
    expect(config.environmentAuths).toEqual({});
  });

  it('malformed JSON is a DockerConfigError naming the variable, without its content', async () => {
    const home = await temporaryDirectory();
    const secret = 'env-secret-Value';
    const error = await loadDockerConfig({ environment: { HOME: home, DOCKER_AUTH_CONFIG: `{"auths": {"x": {"password": "${secret}"}` } }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DockerConfigError);
    expect((error as DockerConfigError).source).toBe('DOCKER_AUTH_CONFIG');
    expect((error as Error).message).toContain('DOCKER_AUTH_CONFIG is not valid JSON');
    expect(secretsIn(error, [secret])).toEqual([]);
  });
});

describe('loadDockerConfig: unreadable files', () => {
  it.each([
    ['truncated object', '{"auths": {"localhost:5000": {"auth": "SECRETVALUE'],
    ['garbage after a value', '{"auths": {}} SECRETVALUE'],
    ['unquoted token', '{"auths": {"x": {"auth": SECRETVALUE}}}'],
    ['single quotes', "{'auths': 'SECRETVALUE'}"],
  ])('malformed JSON (%s) → DockerConfigError naming the file, no content', async (_name, text) => {
    const home = await temporaryDirectory();
    await mkdir(join(home, '.docker'));
    const path = join(home, '.docker', 'config.json');
    await writeFile(path, text);
    const error = await loadDockerConfig({ environment: { HOME: home } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DockerConfigError);
    expect((error as DockerConfigError).source).toBe(path);
    expect((error as Error).message).toContain(`${path} is not valid JSON`);
    expect(everyRendering(error)).not.toContain('SECRETVALUE');
  });

  it('reports the line and column when the parser gives a position', async () => {
    const home = await temporaryDirectory();
    await mkdir(join(home, '.docker'));
    await writeFile(join(home, '.docker', 'config.json'), '{\n  "auths": {,}\n}');
    const error = (await loadDockerConfig({ environment: { HOME: home } }).catch((caught: unknown) => caught)) as Error;
    expect(error.message).toMatch(/line 2, column \d+/);
  });

  it.each([
    ['an array', '[{"auth": "x"}]', 'must hold a JSON object, not an array'],
    ['a string', '"SECRETVALUE"', 'must hold a JSON object, not string'],
    ['null', 'null', 'must hold a JSON object'],
  ])('a document that is %s → DockerConfigError', async (_name, text, message) => {
    const config = loadFrom(text);
    await expect(config).rejects.toBeInstanceOf(DockerConfigError);
    await expect(config).rejects.toThrow(message);
  });

  it('a config.json that cannot be read (a directory) → DockerConfigError with the code', async () => {
    const home = await temporaryDirectory();
    await mkdir(join(home, '.docker', 'config.json'), { recursive: true });
    const error = await loadDockerConfig({ environment: { HOME: home } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DockerConfigError);
    expect((error as Error).message).toContain('EISDIR');
  });

  it('a config.json without read permission → DockerConfigError (skipped as root, who may read anything)', async () => {
    const home = await temporaryDirectory();
    await mkdir(join(home, '.docker'));
    const path = join(home, '.docker', 'config.json');
    await writeFile(path, '{}');
    await chmod(path, 0o000);
    const outcome = await loadDockerConfig({ environment: { HOME: home } }).then(
      () => 'read',
      (caught: unknown) => caught,
    );
    if (process.getuid?.() === 0) expect(outcome).toBe('read');
    else expect((outcome as Error).message).toContain('EACCES');
  });
});

describe('DockerConfig printing', () => {
  it('redacts every secret in util.inspect, JSON.stringify and String', async () => {
    const secrets = ['pw-one', 'pw-two', 'token-three', 'regtoken-four', 'env-pw-five'];
    const config = await loadFrom(
      {
        auths: {
          a: { auth: base64('alice:pw-one') },
          b: { username: 'bob', password: 'pw-two' },
          c: { identitytoken: 'token-three', registrytoken: 'regtoken-four' },
        },
      },
      { DOCKER_AUTH_CONFIG: JSON.stringify({ auths: { d: { auth: base64('dan:env-pw-five') } } }) },
    );
    expect(secretsIn(config, secrets)).toEqual([]);
    // A single entry prints redacted but still serializes in full: that is how it travels in X-Registry-Auth.
    expect(inspect(config.auths['a'])).not.toContain('pw-one');
    expect(inspect(config.auths['a'])).toContain('alice');
    const printed = everyRendering(config);
    expect(printed).toContain('alice');
    expect(printed).toContain('[redacted]');
    // The values themselves are intact for real use.
    expect(config.auths['a']?.password).toBe('pw-one');
    expect(JSON.parse(JSON.stringify({ ...config.auths['b'] }))).toEqual({ username: 'bob', password: 'pw-two' });
  });
});
