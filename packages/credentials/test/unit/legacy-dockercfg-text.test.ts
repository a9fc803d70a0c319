// Regression (issue 9, bug 6): a ~/.dockercfg in the old text form (`auth = …` / `email = …`)
// made loadDockerConfig throw DockerConfigError, and so every pull failed, even of a public image.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialStore, DOCKER_HUB_REGISTRY, loadDockerConfig } from '../../src/index.js';
import { base64, temporaryDirectory } from './support/fixtures.js';

async function homeWithLegacy(content: string): Promise<string> {
  const home = await temporaryDirectory();
  await writeFile(join(home, '.dockercfg'), content);
  return home;
}

describe('legacy ~/.dockercfg in the text form', () => {
  it('reads auth and email as Docker Hub credentials, as old CLIs did', async () => {
    const home = await homeWithLegacy(`auth = ${base64('legacy-user:legacy pass')}\nemail = legacy@example.com\n`);
    const config = await loadDockerConfig({ environment: { HOME: home } });
    expect(config.source).toBe(join(home, '.dockercfg'));
    expect({ ...config.auths[DOCKER_HUB_REGISTRY] }).toEqual({ username: 'legacy-user', password: 'legacy pass', email: 'legacy@example.com' });
    expect(config.warnings).toEqual([]);
    const store = await CredentialStore.load({ environment: { HOME: home }, onWarning: () => undefined });
    expect((await store.get('docker.io'))?.username).toBe('legacy-user');
  });

  it.each([
    ['a bad auth value', 'auth = !!not-base64!!\nemail = a@b.c\n', '"auth" is not valid base64'],
    ['no auth line', 'email = a@b.c\n', 'no "auth = …" line'],
    ['unrelated text', 'hello there\n', 'neither JSON nor'],
    ['broken JSON', '{"https://index.docker.io/v1/": {', 'not valid JSON'],
  ])('ignores a legacy file with %s, with a warning, never throwing', async (_case, content, warning) => {
    const home = await homeWithLegacy(content);
    const config = await loadDockerConfig({ environment: { HOME: home } });
    expect(config.auths).toEqual({});
    expect(config.warnings).toEqual([expect.stringContaining(warning)]);
    expect(config.warnings.join('\n')).not.toContain('not-base64');
  });
});
