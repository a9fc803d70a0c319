// Proves, in a fresh Node process against the built dist/, that @berth/docker imports the TCP
// and SSH transports (and ssh2) only for endpoints that need them, and that a missing
// transport package gives the install hint with Node's real "not found" error.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTemporaryDirectory } from '../helpers/docker-config-fixture.js';

const packageDirectory = fileURLToPath(new URL('../..', import.meta.url));
const probe = fileURLToPath(new URL('../fixtures/lazy-loading-probe.mjs', import.meta.url));

let directory: string;
let cleanup: () => Promise<void>;
let runs = 0;

beforeAll(async () => {
  // The probe runs the compiled package, so compile it (incremental: fast when up to date).
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '--build'], { cwd: packageDirectory, stdio: 'pipe', timeout: 240_000 });
  const temporary = await makeTemporaryDirectory('lazy');
  directory = temporary.path;
  cleanup = temporary.remove;
}, 300_000);

afterAll(async () => {
  await cleanup();
});

interface ProbeResult {
  endpoint?: string;
  transport?: string;
  error?: { name: string; message: string; packageName?: string };
  commonJs: string[];
  resolved: string[];
}

async function runProbe(environment: Record<string, string>, hidden: string[] = []): Promise<ProbeResult> {
  runs += 1;
  const logFile = join(directory, `resolved-${runs}.log`);
  const output = execFileSync(process.execPath, [probe], {
    cwd: packageDirectory,
    env: {
      PATH: process.env['PATH'] ?? '',
      PROBE_LOG_FILE: logFile,
      PROBE_HIDDEN: JSON.stringify(hidden),
      PROBE_ENVIRONMENT: JSON.stringify({ DOCKER_CONFIG: join(directory, 'no-config'), ...environment }),
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const result = JSON.parse(output.trim().split('\n').at(-1)!) as Omit<ProbeResult, 'resolved'>;
  const resolved = (await readFile(logFile, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  return { ...result, resolved };
}

const loaded = (result: ProbeResult, fragment: string) =>
  [...result.resolved, ...result.commonJs].some((url) => url.includes(fragment));

describe('lazy transport loading (fresh process, built package)', () => {
  it('a Unix client loads neither the TCP nor the SSH transport, nor ssh2', async () => {
    const result = await runProbe({ DOCKER_HOST: 'unix:///tmp/berth-lazy-probe.sock' });
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ endpoint: 'unix', transport: 'unix' });
    // The hook does see the modules that are loaded.
    expect(loaded(result, 'packages/docker/dist/index.js')).toBe(true);
    expect(loaded(result, 'packages/transport-unix/dist/')).toBe(true);
    expect(loaded(result, 'transport-tcp')).toBe(false);
    expect(loaded(result, 'transport-ssh')).toBe(false);
    expect(loaded(result, 'ssh2')).toBe(false);
  });

  it('a TCP client loads the TCP transport only', async () => {
    const result = await runProbe({ DOCKER_HOST: 'tcp://127.0.0.1:2375' });
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ endpoint: 'tcp', transport: 'tcp' });
    expect(loaded(result, 'packages/transport-tcp/dist/')).toBe(true);
    expect(loaded(result, 'transport-ssh')).toBe(false);
    expect(loaded(result, 'ssh2')).toBe(false);
  });

  it('an SSH client loads the SSH transport and ssh2', async () => {
    const result = await runProbe({ DOCKER_HOST: 'ssh://probe@127.0.0.1:1' });
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ endpoint: 'ssh', transport: 'ssh' });
    expect(loaded(result, 'packages/transport-ssh/dist/')).toBe(true);
    expect(loaded(result, 'ssh2')).toBe(true);
    expect(loaded(result, 'transport-tcp')).toBe(false);
  });

  it('a missing @berth/transport-tcp gives the install command (Node’s real error)', async () => {
    const result = await runProbe({ DOCKER_HOST: 'tcp://127.0.0.1:2375' }, ['@berth/transport-tcp']);
    expect(result.error).toMatchObject({ name: 'MissingTransportPackageError', packageName: '@berth/transport-tcp' });
    expect(result.error!.message).toContain('npm install @berth/transport-tcp');
  });

  it('a missing @berth/transport-ssh gives the install command (Node’s real error)', async () => {
    const result = await runProbe({ DOCKER_HOST: 'ssh://probe@127.0.0.1' }, ['@berth/transport-ssh']);
    expect(result.error).toMatchObject({ name: 'MissingTransportPackageError', packageName: '@berth/transport-ssh' });
    expect(result.error!.message).toContain('npm install @berth/transport-ssh');
  });

  it('a missing dependency of the transport (ssh2) is not reported as a missing transport', async () => {
    const result = await runProbe({ DOCKER_HOST: 'ssh://probe@127.0.0.1' }, ['ssh2']);
    expect(result.error?.name).toBe('BerthError');
    expect(result.error!.message).toContain('Could not load @berth/transport-ssh');
  });
});
