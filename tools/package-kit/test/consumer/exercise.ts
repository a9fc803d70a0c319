// What a new user does with the packed tarballs, compiled twice by the consumer test: once as
// CommonJS (a `"type": "commonjs"` project: `import` becomes `require()`) and once as ESM. Every
// published package is loaded; the engine is called for real over its Unix socket and, through
// the optional @berth/transport-tcp that @berth/docker loads at run time, over mutual TLS.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packDirectory } from '@berth/build-context';
import { openBuildSession } from '@berth/buildkit';
import { DOCKER_HUB_REGISTRY } from '@berth/credentials';
import { createDocker } from '@berth/docker';
import { NotFoundError, createEngineClient, ping } from '@berth/engine-protocol';
import { ImageCollection } from '@berth/images';
import { humanSize } from '@berth/terminal-progress';
import { sshTransport } from '@berth/transport-ssh';
import { tcpTransport } from '@berth/transport-tcp';
import { unixTransport } from '@berth/transport-unix';

/** What the test checks; printed as one JSON line. */
export interface ConsumerReport {
  /** Where each package's main entry resolved to (tells which build was loaded). */
  entries: Record<string, string>;
  ping: string;
  /** The gRPC methods of a BuildKit session opened on the engine (the switch to HTTP/2 and node:http2 in this build). */
  sessionMethods: string[];
  imageCount: number;
  seedTags: string[];
  notFoundIsTyped: boolean;
  /** The same error checked against the classes of a dynamic import(): the other build, if two are loaded. */
  notFoundAcrossImport: boolean;
  twoCopiesLoaded: boolean;
  contextBytes: number;
  tlsImageCount: number | null;
  loaded: string[];
}

export async function exercise(resolveEntry: (name: string) => string): Promise<ConsumerReport> {
  const packages = [
    '@berth/build-context', '@berth/buildkit', '@berth/credentials', '@berth/docker', '@berth/engine-protocol',
    '@berth/images', '@berth/terminal-progress', '@berth/transport-ssh', '@berth/transport-tcp', '@berth/transport-unix',
  ];
  const entries = Object.fromEntries(packages.map((name) => [name, resolveEntry(name)]));
  const loaded = [typeof sshTransport, typeof tcpTransport, typeof ImageCollection, typeof DOCKER_HUB_REGISTRY, humanSize(1_500_000)];

  const socketPath = required('BERTH_TEST_DOCKER_SOCKET');
  const seedImage = required('BERTH_TEST_SEED_IMAGE');
  const client = createEngineClient({ transport: unixTransport({ socketPath }) });
  const pinged = await ping(client);
  let sessionMethods: string[];
  try {
    const session = await openBuildSession(client, { name: 'berth-consumer' });
    sessionMethods = [...session.methods];
    await session.close();
  } finally {
    await client.close();
  }

  const docker = await createDocker({ host: `unix://${socketPath}` });
  let imageCount: number;
  let seedTags: string[];
  let missing: unknown;
  try {
    imageCount = (await docker.images.list()).length;
    seedTags = [...(await docker.images.get(seedImage)).tags];
    missing = await docker.images.get('berth-consumer/no-such-image:none').then(
      () => undefined,
      (error: unknown) => error,
    );
  } finally {
    await docker.close();
  }
  // A dynamic import() from CommonJS loads the ESM build unless module-sync made both one.
  const imported = await import('@berth/engine-protocol');

  const folder = await mkdtemp(join(tmpdir(), 'berth-consumer-context-'));
  let contextBytes = 0;
  try {
    await writeFile(join(folder, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /\n');
    await writeFile(join(folder, 'hello.txt'), 'hello\n');
    const context = await packDirectory(folder);
    for await (const chunk of context.stream) contextBytes += (chunk as Uint8Array).byteLength;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }

  let tlsImageCount: number | null = null;
  const tlsHost = process.env['BERTH_TEST_TLS_HOST'];
  const certificates = process.env['BERTH_TEST_TLS_CERTS'];
  if (tlsHost && certificates) {
    const overTls = await createDocker({
      environment: { DOCKER_HOST: tlsHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certificates },
      credentials: false,
    });
    try {
      tlsImageCount = (await overTls.images.list()).length;
    } finally {
      await overTls.close();
    }
  }

  return {
    entries,
    ping: pinged.body,
    sessionMethods,
    imageCount,
    seedTags,
    notFoundIsTyped: missing instanceof NotFoundError,
    notFoundAcrossImport: missing instanceof imported.NotFoundError,
    twoCopiesLoaded: imported.NotFoundError !== NotFoundError,
    contextBytes,
    tlsImageCount,
    loaded,
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
