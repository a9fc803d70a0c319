// Writes docker CLI configuration directories (config.json, contexts, TLS files) into a temp
// folder, laid out exactly as `docker context create` does.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ContextFixture {
  /** Endpoints.docker.Host; `undefined` leaves the field out. */
  host?: string;
  skipTlsVerify?: boolean;
  /** TLS files to store under contexts/tls/<id>/docker. */
  tlsFiles?: ReadonlyArray<'ca.pem' | 'cert.pem' | 'key.pem'>;
  /** Replaces meta.json entirely (for broken contexts). */
  rawMeta?: string;
}

export interface ConfigFixture {
  currentContext?: string;
  /** Replaces config.json entirely. */
  rawConfig?: string;
  contexts?: Record<string, ContextFixture>;
  /** ca.pem / cert.pem / key.pem at the root of the directory (the default DOCKER_CERT_PATH). */
  rootTlsFiles?: ReadonlyArray<'ca.pem' | 'cert.pem' | 'key.pem'>;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export const fakePem: Record<'ca.pem' | 'cert.pem' | 'key.pem', string> = {
  'ca.pem': '-----BEGIN CERTIFICATE-----\nZmFrZS1jYQ==\n-----END CERTIFICATE-----\n',
  'cert.pem': '-----BEGIN CERTIFICATE-----\nZmFrZS1jZXJ0\n-----END CERTIFICATE-----\n',
  'key.pem': '-----BEGIN PRIVATE KEY-----\nZmFrZS1rZXk=\n-----END PRIVATE KEY-----\n',
};

export async function writeConfigDirectory(directory: string, fixture: ConfigFixture): Promise<string> {
  await mkdir(directory, { recursive: true });
  if (fixture.rawConfig !== undefined) await writeFile(join(directory, 'config.json'), fixture.rawConfig);
  else if (fixture.currentContext !== undefined) {
    await writeFile(join(directory, 'config.json'), JSON.stringify({ auths: {}, currentContext: fixture.currentContext }));
  }
  for (const file of fixture.rootTlsFiles ?? []) await writeFile(join(directory, file), fakePem[file]);
  for (const [name, context] of Object.entries(fixture.contexts ?? {})) {
    const id = sha256Hex(name);
    const metaDirectory = join(directory, 'contexts', 'meta', id);
    await mkdir(metaDirectory, { recursive: true });
    const docker: Record<string, unknown> = { SkipTLSVerify: context.skipTlsVerify ?? false };
    if (context.host !== undefined) docker['Host'] = context.host;
    const meta = context.rawMeta ?? JSON.stringify({ Name: name, Metadata: { Description: '' }, Endpoints: { docker } });
    await writeFile(join(metaDirectory, 'meta.json'), meta);
    if (context.tlsFiles && context.tlsFiles.length > 0) {
      const tlsDirectory = join(directory, 'contexts', 'tls', id, 'docker');
      await mkdir(tlsDirectory, { recursive: true });
      for (const file of context.tlsFiles) await writeFile(join(tlsDirectory, file), fakePem[file]);
    }
  }
  return directory;
}

export async function makeTemporaryDirectory(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `berth-docker-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
