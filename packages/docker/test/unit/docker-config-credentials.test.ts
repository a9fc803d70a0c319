import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dockerConfigCredentials } from '../../src/credentials/docker-config-credentials.js';
import { makeTemporaryDirectory, writeConfigDirectory } from '../helpers/docker-config-fixture.js';

const base64 = (text: string) => Buffer.from(text).toString('base64');
const hub = 'https://index.docker.io/v1/';

let directory: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  const temporary = await makeTemporaryDirectory('credentials');
  directory = temporary.path;
  cleanup = temporary.remove;
});

afterEach(async () => {
  await cleanup();
});

async function writeAuths(auths: Record<string, { auth: string }>): Promise<void> {
  await writeConfigDirectory(directory, { rawConfig: JSON.stringify({ auths }) });
}

describe('dockerConfigCredentials', () => {
  it('answers the credentials of a reference’s registry from config.json', async () => {
    await writeAuths({ 'localhost:5000': { auth: base64('me:pw') }, [hub]: { auth: base64('hubuser:hubpw') } });
    const provider = dockerConfigCredentials({ environment: { DOCKER_CONFIG: directory, PATH: '' } });
    expect(await provider.forReference('localhost:5000/team/app:v1')).toMatchObject({ username: 'me', password: 'pw' });
    expect(await provider.forReference('busybox')).toMatchObject({ username: 'hubuser', password: 'hubpw' });
    expect(await provider.forReference('elsewhere.example/app')).toBeUndefined();
  });

  it('takes the configDirectory option over DOCKER_CONFIG', async () => {
    await writeAuths({ 'localhost:5000': { auth: base64('me:pw') } });
    const provider = dockerConfigCredentials({ configDirectory: directory, environment: { DOCKER_CONFIG: join(directory, 'nothing-here'), PATH: '' } });
    expect(await provider.forReference('localhost:5000/app')).toMatchObject({ username: 'me' });
  });

  it('finds the registry of free-text search terms like the CLI', async () => {
    await writeAuths({ 'localhost:5000': { auth: base64('me:pw') }, [hub]: { auth: base64('hubuser:hubpw') } });
    const provider = dockerConfigCredentials({ environment: { DOCKER_CONFIG: directory, PATH: '' } });
    expect(await provider.forReference('localhost:5000/Some Term')).toMatchObject({ username: 'me' });
    expect(await provider.forReference('web server')).toMatchObject({ username: 'hubuser' });
  });

  it('lists every registry for builds', async () => {
    await writeAuths({ 'localhost:5000': { auth: base64('me:pw') }, 'registry.example': { auth: base64('a:b') } });
    const provider = dockerConfigCredentials({ environment: { DOCKER_CONFIG: directory, PATH: '' } });
    expect(Object.keys(await provider.all()).sort()).toEqual(['localhost:5000', 'registry.example']);
  });

  it('reads the configuration once', async () => {
    await writeAuths({ 'localhost:5000': { auth: base64('me:first') } });
    const provider = dockerConfigCredentials({ environment: { DOCKER_CONFIG: directory, PATH: '' } });
    expect(await provider.forReference('localhost:5000/app')).toMatchObject({ password: 'first' });
    await writeAuths({ 'localhost:5000': { auth: base64('me:second') } });
    expect(await provider.forReference('localhost:5000/app')).toMatchObject({ password: 'first' });
  });

  it('reads nothing until asked, and retries after a failed read', async () => {
    await writeFile(join(directory, 'config.json'), '{ broken');
    const provider = dockerConfigCredentials({ environment: { DOCKER_CONFIG: directory, PATH: '' } });
    await expect(provider.forReference('localhost:5000/app')).rejects.toThrow(/config\.json/);
    await writeAuths({ 'localhost:5000': { auth: base64('me:fixed') } });
    expect(await provider.forReference('localhost:5000/app')).toMatchObject({ password: 'fixed' });
  });
});
