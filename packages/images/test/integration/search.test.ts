import { createServer, type IncomingMessage, type Server } from 'node:http';
import { EngineError, type EngineClient } from '@berth/engine-protocol';
import { findTestEngine, uniqueName } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageCollection, type RegistryCredentialProvider } from '../../src/index.js';
import { createTestClient } from '../support/client.js';
import { dockerRemove } from '../support/docker-cli.js';
import { engineTraits, type EngineTraits } from '../support/engine-traits.js';

const engine = findTestEngine();
/** Which engine's tests to register, from the harness's env file (checked against the engine in beforeAll). */
const onPodman = process.env['BERTH_TEST_ENGINE_KIND'] === 'podman';

interface SeenSearch {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
}

/**
 * A registry v1 search endpoint on 127.0.0.1: the engine pings `/v1/_ping`, then asks
 * `/v1/search?q=<term without host>&n=<limit>`. The engine first tries https (the plain HTTP
 * server sees a TLS handshake as a bad request), then falls back to http, as it does for every
 * insecure registry (127.0.0.0/8 is one by default).
 */
function searchServer(): Promise<{ server: Server; port: number; seen: SeenSearch[]; badRequests: () => number }> {
  const seen: SeenSearch[] = [];
  let badRequests = 0;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    seen.push({ path: url.pathname, query: url.searchParams, headers: request.headers });
    response.setHeader('Content-Type', 'application/json');
    if (url.pathname === '/v1/_ping') {
      response.end('{}');
      return;
    }
    if (url.pathname === '/v1/search') {
      const query = url.searchParams.get('q') ?? '';
      const all = [
        { name: `${query}/one`, description: 'first', star_count: 12, is_official: false, is_automated: false },
        { name: `${query}/two`, description: 'second', star_count: 1, is_official: true, is_automated: false },
        { name: `${query}/three`, description: 'third', star_count: 0, is_official: false, is_automated: false },
      ];
      const limit = Number(url.searchParams.get('n') ?? all.length);
      const results = all.slice(0, limit);
      response.end(JSON.stringify({ num_results: results.length, query, results }));
      return;
    }
    response.statusCode = 404;
    response.end('{}');
  });
  server.on('clientError', (_error, socket) => {
    badRequests += 1;
    socket.destroy();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, seen, badRequests: () => badRequests })),
  );
}

describe.runIf(engine)('search through the harness engine', () => {
  const harness = engine!;
  let client: EngineClient;
  let registry: Awaited<ReturnType<typeof searchServer>>;
  let traits: EngineTraits;
  /** On Podman: a repository pushed to the harness registry, which Podman searches (`/v2/_catalog`). */
  const pushed = `${harness.registry}/${uniqueName('search')}`;

  beforeAll(async () => {
    client = createTestClient(harness);
    registry = await searchServer();
    traits = await engineTraits(client, harness);
    expect(traits.kind, 'BERTH_TEST_ENGINE_KIND disagrees with the engine').toBe(onPodman ? 'podman' : 'docker');
    if (onPodman) {
      const images = new ImageCollection({ client });
      await (await images.get(harness.seedImage)).tag(pushed, 'v1');
      await images.push(pushed, { tag: 'v1' });
    }
  }, 60_000);

  afterAll(async () => {
    await new Promise((resolve) => registry?.server.close(resolve));
    if (onPodman) await dockerRemove(harness, [`${pushed}:v1`]);
    await client?.close();
  });

  // Podman speaks only the v2 API to registries (the v1 search server below never answers it),
  // over https unless registries.conf marks the registry insecure (the harness registry is);
  // its results have Podman's own shape (`Name`, `Stars`, …).
  if (onPodman) {
    it('searches the catalog of an insecure v2 registry, in Podman\'s shape; refuses filters', async () => {
      const images = new ImageCollection({ client });
      const results = (await images.search(`${harness.registry}/berth-it`, { limit: 100 })) as unknown as { Name: string; Index: string }[];
      expect(results).toContainEqual(expect.objectContaining({ Name: pushed, Index: harness.registry }));
      await expect(images.search(`127.0.0.1:${registry.port}/berth`)).rejects.toMatchObject({ status: 500, engineMessage: expect.stringContaining('https://') });
      const filtered = images.search(`${harness.registry}/berth-it`, { filters: { 'is-official': true } });
      await expect(filtered).rejects.toBeInstanceOf(EngineError);
      await expect(filtered).rejects.toMatchObject({ status: 500, engineMessage: expect.stringContaining('index out of range') });
    });
  } else {
    it('asks the registry named in the term, over https first then http, with the limit', async () => {
      const images = new ImageCollection({ client });
      const before = registry.seen.length;
      const results = await images.search(`127.0.0.1:${registry.port}/berth`, { limit: 2 });
      expect(results).toEqual([
        { name: 'berth/one', description: 'first', star_count: 12, is_official: false, is_automated: false },
        { name: 'berth/two', description: 'second', star_count: 1, is_official: true, is_automated: false },
      ]);
      const seen = registry.seen.slice(before);
      expect(seen.map((request) => request.path)).toEqual(['/v1/_ping', '/v1/search']);
      expect(seen[1]?.query.get('q')).toBe('berth');
      expect(seen[1]?.query.get('n')).toBe('2');
      // The engine names its client in the User-Agent it sends to the registry.
      expect(seen[1]?.headers['user-agent']).toContain('UpstreamClient(berth)');
      expect(registry.badRequests()).toBeGreaterThan(0);
    });

    it('filters results on the engine side', async () => {
      const results = await new ImageCollection({ client }).search(`127.0.0.1:${registry.port}/berth`, {
        filters: { 'is-official': true },
      });
      expect(results.map((result) => result.name)).toEqual(['berth/two']);
      const starred = await new ImageCollection({ client }).search(`127.0.0.1:${registry.port}/berth`, { filters: { stars: 5 } });
      expect(starred.map((result) => result.name)).toEqual(['berth/one']);
    });

    it('sends the credentials of the provider for the term; the engine passes them on to the registry', async () => {
      const asked: string[] = [];
      const credentials: RegistryCredentialProvider = {
        async forReference(reference) {
          asked.push(reference);
          return { username: 'searcher', password: 'not-logged' };
        },
        async all() {
          return {};
        },
      };
      const before = registry.seen.length;
      const results = await new ImageCollection({ client, credentials }).search(`127.0.0.1:${registry.port}/creds`);
      expect(asked).toEqual([`127.0.0.1:${registry.port}/creds`]);
      expect(results.map((result) => result.name)).toEqual(['creds/one', 'creds/two', 'creds/three']);
      const search = registry.seen.slice(before).find((request) => request.path === '/v1/search');
      expect(search?.headers.authorization).toBe(`Basic ${Buffer.from('searcher:not-logged').toString('base64')}`);
      // Without credentials, nothing is sent.
      await new ImageCollection({ client }).search(`127.0.0.1:${registry.port}/anonymous`);
      expect(registry.seen.at(-1)?.headers.authorization).toBeUndefined();
    });
  }

  it('rejects with the engine error when nothing answers at the registry address', async () => {
    const search = new ImageCollection({ client }).search('127.0.0.1:1/nothing');
    await expect(search).rejects.toBeInstanceOf(EngineError);
    // Docker answers 400 for an unreachable registry from Engine 26 on (API 1.45), 500 before;
    // Podman 500.
    const status = traits.kind === 'docker' && traits.atLeast('1.45') ? 400 : 500;
    await expect(search).rejects.toMatchObject({ status, engineMessage: expect.stringContaining('connection refused') });
  });
});
