// tcp://host:port/prefix: the engine client puts the path in front of every API path (an
// engine behind a reverse proxy). Checked end to end with the real TCP transport against a
// local HTTP server that records what it receives.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocker } from '../../src/create-docker.js';

let server: Server;
let port: number;
const received: Array<{ method: string; url: string }> = [];

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response) => {
    received.push({ method: request.method ?? '', url: request.url ?? '' });
    if (request.url?.endsWith('/_ping')) {
      response.writeHead(200, { 'Api-Version': '1.41', 'Content-Type': 'text/plain' }).end('OK');
    } else if (request.url?.includes('/images/json')) {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('[]');
    } else {
      response.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"no such route"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('tcp:// with a base path', () => {
  it('prefixes every request, the negotiation ping included', async () => {
    received.length = 0;
    const docker = await createDocker({ host: `tcp://127.0.0.1:${port}/docker/`, credentials: false, environment: {} });
    try {
      expect(docker.endpoint).toMatchObject({ kind: 'tcp', basePath: '/docker', dockerHost: `tcp://127.0.0.1:${port}/docker` });
      expect(await docker.images.list()).toEqual([]);
      expect(received).toEqual([
        { method: 'GET', url: '/docker/_ping' },
        { method: 'GET', url: '/docker/v1.41/images/json' },
      ]);
    } finally {
      await docker.close();
    }
  });

  it('sends paths unchanged without a base path', async () => {
    received.length = 0;
    const docker = await createDocker({ environment: { DOCKER_HOST: `127.0.0.1:${port}` }, credentials: false });
    try {
      expect(await docker.images.list()).toEqual([]);
      expect(received.map((request) => request.url)).toEqual(['/_ping', '/v1.41/images/json']);
    } finally {
      await docker.close();
    }
  });
});
