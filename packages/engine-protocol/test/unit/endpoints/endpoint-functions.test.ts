import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  buildImage,
  cancelBuild,
  checkRegistryAuth,
  createEngineClient,
  deleteImage,
  getImageHistory,
  getVersion,
  importImage,
  inspectDistribution,
  inspectImage,
  listImages,
  loadImages,
  ping,
  pruneBuildCache,
  pruneImages,
  pullImage,
  pushImage,
  saveImages,
  searchImages,
  tagImage,
  type EngineClient,
} from '../../../src/index.js';
import { mockTransport, type CannedReply, type SeenRequest } from '../support/mock-transport.js';
import { fixture } from '../streams/helpers.js';

// Request shape of every endpoint function: method, path, query, headers. Replies are small
// bodies of the form the real engine sends (see test/fixtures/streams for recorded streams).

interface Case {
  name: string;
  call: (client: EngineClient) => Promise<unknown>;
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, unknown>;
  reply: CannedReply;
  result?: unknown;
}

async function drainIfStream(value: unknown): Promise<unknown> {
  if (value && typeof value === 'object' && Symbol.asyncIterator in value) {
    const items: unknown[] = [];
    for await (const item of value as AsyncIterable<unknown>) items.push(Buffer.isBuffer(item) ? item.toString() : item);
    return items;
  }
  return value;
}

const progress = (...messages: object[]): CannedReply => ({ body: messages.map((message) => `${JSON.stringify(message)}\r\n`).join('') });
const decodeAuth = (value: string): unknown => JSON.parse(Buffer.from(value, 'base64url').toString());

const cases: Case[] = [
  {
    name: 'listImages',
    call: (client) => listImages(client, { all: true, filters: { label: 'a=b' }, digests: true }),
    method: 'GET',
    path: '/v1.45/images/json',
    query: { all: '1', filters: '{"label":{"a=b":true}}', digests: '1' },
    reply: { body: '[{"Id":"sha256:1"}]' },
    result: [{ Id: 'sha256:1' }],
  },
  {
    name: 'inspectImage',
    call: (client) => inspectImage(client, { name: 'localhost:5000/app:v1' }),
    method: 'GET',
    path: '/v1.45/images/localhost:5000%2Fapp:v1/json',
    reply: { body: '{"Id":"sha256:2"}' },
    result: { Id: 'sha256:2' },
  },
  {
    name: 'getImageHistory',
    call: (client) => getImageHistory(client, { name: 'app' }),
    method: 'GET',
    path: '/v1.45/images/app/history',
    reply: { body: '[{"Id":"sha256:3","CreatedBy":"x"}]' },
    result: [{ Id: 'sha256:3', CreatedBy: 'x' }],
  },
  {
    name: 'tagImage',
    call: (client) => tagImage(client, { name: 'app', repo: 'localhost:5000/app', tag: 'v2' }),
    method: 'POST',
    path: '/v1.45/images/app/tag',
    query: { repo: 'localhost:5000/app', tag: 'v2' },
    reply: { status: 201 },
    result: undefined,
  },
  {
    name: 'deleteImage',
    call: (client) => deleteImage(client, { name: 'app', force: true, noprune: false }),
    method: 'DELETE',
    path: '/v1.45/images/app',
    query: { force: '1', noprune: '0' },
    reply: { body: '[{"Untagged":"app:latest"}]' },
    result: [{ Untagged: 'app:latest' }],
  },
  {
    name: 'searchImages',
    call: (client) => searchImages(client, { term: 'localhost:5000/app', limit: 3, authConfig: { username: 'u', password: 'p' } }),
    method: 'GET',
    path: '/v1.45/images/search',
    query: { term: 'localhost:5000/app', limit: '3' },
    headers: { 'x-registry-auth': { username: 'u', password: 'p' } },
    reply: { body: '[{"name":"app","star_count":0}]' },
    result: [{ name: 'app', star_count: 0 }],
  },
  {
    name: 'pruneImages',
    call: (client) => pruneImages(client, { filters: { dangling: false } }),
    method: 'POST',
    path: '/v1.45/images/prune',
    query: { filters: '{"dangling":{"false":true}}' },
    reply: { body: '{"ImagesDeleted":null,"SpaceReclaimed":0}' },
    result: { ImagesDeleted: null, SpaceReclaimed: 0 },
  },
  {
    name: 'pullImage',
    call: (client) => pullImage(client, { fromImage: 'localhost:5000/app', tag: 'v1', platform: 'linux/amd64', authConfig: { identitytoken: 't' } }),
    method: 'POST',
    path: '/v1.45/images/create',
    query: { fromImage: 'localhost:5000/app', tag: 'v1', platform: 'linux/amd64' },
    headers: { 'x-registry-auth': { identitytoken: 't' } },
    reply: progress({ status: 'Pulling from app', id: 'v1' }, { status: 'Digest: sha256:abc' }),
    result: [{ status: 'Pulling from app', id: 'v1' }, { status: 'Digest: sha256:abc' }],
  },
  {
    name: 'importImage',
    call: (client) =>
      importImage(client, { fromSrc: '-', repo: 'rootfs', tag: 'v1', changes: ['CMD ["sh"]', 'ENV A=1'], body: Readable.from([Buffer.from('tar')]) }),
    method: 'POST',
    path: '/v1.45/images/create',
    query: { fromSrc: '-', repo: 'rootfs:v1', changes: ['CMD ["sh"]', 'ENV A=1'] },
    headers: { 'content-type': 'application/x-tar' },
    reply: progress({ status: 'sha256:abc' }),
    result: [{ status: 'sha256:abc' }],
  },
  {
    name: 'pushImage',
    call: (client) => pushImage(client, { name: 'localhost:5000/app', tag: 'v1' }),
    method: 'POST',
    path: '/v1.45/images/localhost:5000%2Fapp/push',
    query: { tag: 'v1' },
    headers: { 'x-registry-auth': {}, 'content-type': 'application/json' },
    reply: progress({ status: 'v1: digest: sha256:abc size: 527' }, { aux: { Tag: 'v1', Digest: 'sha256:abc', Size: 527 } }),
    result: [{ status: 'v1: digest: sha256:abc size: 527' }, { aux: { Tag: 'v1', Digest: 'sha256:abc', Size: 527 } }],
  },
  {
    name: 'saveImages (one)',
    call: (client) => saveImages(client, { names: 'app:v1' }),
    method: 'GET',
    path: '/v1.45/images/app:v1/get',
    reply: { body: Buffer.from(fixture('save-small.tar')), headers: { 'content-type': 'application/x-tar' } },
  },
  {
    name: 'saveImages (several)',
    call: (client) => saveImages(client, { names: ['app:v1', 'app:v2'] }),
    method: 'GET',
    path: '/v1.45/images/get',
    query: { names: ['app:v1', 'app:v2'] },
    reply: { body: Buffer.from(fixture('save-small.tar')), headers: { 'content-type': 'application/x-tar' } },
  },
  {
    name: 'loadImages',
    call: (client) => loadImages(client, { body: Buffer.from('tar') }),
    method: 'POST',
    path: '/v1.45/images/load',
    query: { quiet: '0' },
    headers: { 'content-type': 'application/x-tar' },
    reply: progress({ stream: 'Loaded image: app:v1\n' }),
    result: [{ stream: 'Loaded image: app:v1\n' }],
  },
  {
    name: 'inspectDistribution',
    call: (client) => inspectDistribution(client, { name: 'localhost:5000/app:v1', authConfig: { username: 'u', password: 'p' } }),
    method: 'GET',
    path: '/v1.45/distribution/localhost:5000%2Fapp:v1/json',
    headers: { 'x-registry-auth': { username: 'u', password: 'p' } },
    reply: { body: '{"Descriptor":{"digest":"sha256:abc"},"Platforms":[]}' },
    result: { Descriptor: { digest: 'sha256:abc' }, Platforms: [] },
  },
  {
    name: 'buildImage',
    call: (client) =>
      buildImage(client, {
        body: Buffer.from('tar'),
        t: ['a:1', 'b:2'],
        dockerfile: 'docker/Dockerfile',
        buildargs: { A: '1' },
        networkmode: 'none',
        version: '1',
        registryConfig: { 'localhost:5000': { username: 'u', password: 'p' } },
      }),
    method: 'POST',
    path: '/v1.45/build',
    query: { t: ['a:1', 'b:2'], dockerfile: 'docker/Dockerfile', buildargs: '{"A":"1"}', networkmode: 'none', version: '1' },
    headers: { 'content-type': 'application/x-tar', 'x-registry-config': { 'localhost:5000': { username: 'u', password: 'p' } } },
    reply: progress({ stream: 'Step 1/1 : FROM scratch\n' }, { aux: { ID: 'sha256:abc' } }),
    result: [{ stream: 'Step 1/1 : FROM scratch\n' }, { aux: { ID: 'sha256:abc' } }],
  },
  {
    name: 'pruneBuildCache',
    call: (client) => pruneBuildCache(client, { all: true, 'keep-storage': 1024 }),
    method: 'POST',
    path: '/v1.45/build/prune',
    query: { all: '1', 'keep-storage': '1024' },
    reply: { body: '{"CachesDeleted":[],"SpaceReclaimed":0}' },
    result: { CachesDeleted: [], SpaceReclaimed: 0 },
  },
  {
    name: 'cancelBuild',
    call: (client) => cancelBuild(client, { id: 'build-1' }),
    method: 'POST',
    path: '/v1.45/build/cancel',
    query: { id: 'build-1' },
    reply: { status: 200 },
    result: undefined,
  },
  {
    name: 'checkRegistryAuth',
    call: (client) => checkRegistryAuth(client, { authConfig: { username: 'u', password: 'p', serveraddress: 'localhost:5000' } }),
    method: 'POST',
    path: '/v1.45/auth',
    headers: { 'content-type': 'application/json' },
    reply: { body: '{"Status":"Login Succeeded","IdentityToken":""}' },
    result: { Status: 'Login Succeeded', IdentityToken: '' },
  },
  {
    name: 'getVersion',
    call: (client) => getVersion(client),
    method: 'GET',
    path: '/v1.45/version',
    reply: { body: '{"ApiVersion":"1.45","MinAPIVersion":"1.24","Os":"linux","Arch":"amd64"}' },
    result: { ApiVersion: '1.45', MinAPIVersion: '1.24', Os: 'linux', Arch: 'amd64' },
  },
  {
    name: 'ping',
    call: (client) => ping(client),
    method: 'GET',
    path: '/_ping',
    reply: { body: 'OK', headers: { 'api-version': '1.45', 'builder-version': '2', 'docker-experimental': 'true', ostype: 'linux' } },
    result: { apiVersion: '1.45', builderVersion: '2', experimental: true, osType: 'linux', swarm: undefined, body: 'OK' },
  },
];

describe('request shape of every endpoint function', () => {
  it.each(cases)('$name', async (testCase) => {
    let seen: SeenRequest | undefined;
    const transport = mockTransport((request) => {
      if (request.path === '/_ping' && testCase.path !== '/_ping') return undefined;
      seen = request;
      return testCase.reply;
    });
    const client = createEngineClient({ transport, apiVersion: '1.45', environment: {} });
    const result = await drainIfStream(await testCase.call(client));
    expect(seen).toBeDefined();
    expect(seen!.method).toBe(testCase.method);
    expect(encodeURI(decodeURIComponent(seen!.path))).toBe(encodeURI(decodeURIComponent(testCase.path)));
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(seen!.query.keys())) {
      const values = seen!.query.getAll(key);
      query[key] = values.length === 1 ? values[0]! : values;
    }
    expect(query).toEqual(testCase.query ?? {});
    for (const [name, expected] of Object.entries(testCase.headers ?? {})) {
      const actual = seen!.headers[name];
      if (name.startsWith('x-registry')) expect(decodeAuth(actual!)).toEqual(expected);
      else expect(actual).toContain(expected as string);
    }
    if ('result' in testCase) expect(result).toEqual(testCase.result);
  });
});
