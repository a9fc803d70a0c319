// close() during each kind of call, on every transport: every call in flight ends at once with
// ClientClosedError, close() resolves within the deadline, every descriptor and connection is
// released, and the client refuses later calls with the same error. The fake engine stalls
// each call where it hurts most: before the headers, mid-stream, mid-upload, in the shared
// version negotiation.
import { Readable } from 'node:stream';
import {
  ClientClosedError,
  createEngineClient,
  inspectImage,
  listImages,
  ping,
  type EngineClient,
  type ImageInspect,
} from '@berth/engine-protocol';
import { CLIENT_CLOSED_CODE } from '@berth/engine-protocol/internal';
import { createDocker } from '@berth/docker';
import { ImageCollection, Image } from '@berth/images';
import { breakUpload, hangDeadline, outcomeOf, progressStream, stallBeforeHeaders, startFakeEngine, type FakeEngine } from '@berth/test-engine';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { descriptorBaseline, drain, expectReleased, expectTypedFailure } from '../../src/fault-check.js';
import { faultTransport, faultTransports, harnessTls, type FaultTransportName } from '../../src/fault-transports.js';

const transports = faultTransports();
let fake: FakeEngine;
beforeAll(async () => {
  if (transports.length > 0) fake = await startFakeEngine({ tls: harnessTls() });
});
afterAll(async () => {
  await fake?.close();
});

const imageId = `sha256:${'d'.repeat(64)}`;

/** Every stall the kinds of call below run into. */
function arrangeStalls(engine: FakeEngine): void {
  engine.on(/\/images\/stalled\/json/, stallBeforeHeaders());
  engine.on(/\/images\/json/, stallBeforeHeaders());
  engine.on(/\/images\/create/, progressStream([{ status: 'Pulling from library/app', id: 'v1' }], 'stall'));
  engine.on(/\/images\/.*\/push/, progressStream([{ status: 'The push refers to repository [127.0.0.1:5000/app]' }], 'stall'));
  engine.on(/\/images\/.*\/get/, ({ request, response }) => {
    request.resume();
    response.writeHead(200, { 'content-type': 'application/x-tar' });
    response.write(Buffer.alloc(10 * 512));
  });
  engine.on(/\/images\/load/, breakUpload(128 * 1024, 'stall'));
  engine.on(/\/build/, progressStream([{ stream: 'Step 1/2 : FROM scratch\n' }, { stream: 'Step 2/2 : RUN sleep 60\n' }], 'stall'));
}

/** An upload that never ends by itself. */
const endlessUpload = (): Readable =>
  new Readable({
    read() {
      this.push(Buffer.alloc(64 * 1024, 7));
    },
  });

function clientFor(name: FaultTransportName): EngineClient {
  return createEngineClient({ transport: faultTransport(name, { socketPath: fake.socketPath, tlsHost: fake.tlsHost }), environment: {} });
}

describe.runIf(transports.length > 0).each(transports)('close() during calls over %s', (name) => {
  beforeEach(() => fake.reset());

  it('ends every kind of call in flight with ClientClosedError and releases everything', async () => {
    const baseline = descriptorBaseline();
    const connections = fake.openConnections();
    const client = clientFor(name);
    await ping(client);
    arrangeStalls(fake);
    const images = new ImageCollection({ client });
    const image = new Image({ Id: imageId, RepoTags: ['app:v1'] } as ImageInspect, images);
    const calls = {
      inspect: outcomeOf(inspectImage(client, { name: 'stalled' })),
      list: outcomeOf(images.list()),
      pull: outcomeOf(images.pull('app', { tag: 'v1' })),
      push: outcomeOf(images.push('127.0.0.1:5000/app', { tag: 'v1' })),
      save: outcomeOf(async () => drain(await image.save())),
      load: outcomeOf(images.load(endlessUpload())),
      build: outcomeOf(images.build({ file: 'FROM scratch\nRUN sleep 60\n', useConfigProxy: false })),
    };
    for (const path of ['/images/stalled/json', '/images/json', '/images/create', '/push', '/get', '/images/load', '/build']) {
      await fake.waitForRequest((request) => request.url.includes(path));
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the upload and the streams get going

    const closing = await outcomeOf(client.close());
    expect(closing.error).toBeUndefined();
    expect(closing.elapsed).toBeLessThan(hangDeadline);
    for (const [kind, call] of Object.entries(calls)) {
      const outcome = await call;
      expect(outcome.error, kind).toBeInstanceOf(ClientClosedError);
      expect((outcome.error as ClientClosedError).code, kind).toBe(CLIENT_CLOSED_CODE);
      expect(outcome.elapsed, kind).toBeLessThan(hangDeadline);
    }
    // Idempotent, and later calls are refused with the same error, before anything is sent.
    const requests = fake.requests.length;
    await client.close();
    expectTypedFailure(await outcomeOf(listImages(client)), ClientClosedError, CLIENT_CLOSED_CODE);
    expect(fake.requests.length).toBe(requests);
    await expectReleased(baseline, () => fake.openConnections(), connections);
  });

  it('ends a stalled shared API-version negotiation', async () => {
    const baseline = descriptorBaseline();
    const connections = fake.openConnections();
    fake.on(/^GET \/_ping/, stallBeforeHeaders());
    const client = clientFor(name);
    const waiting = [outcomeOf(listImages(client)), outcomeOf(client.apiVersion()), outcomeOf(inspectImage(client, { name: 'x' }))];
    await fake.waitForRequest((request) => request.method === 'GET' && request.url === '/_ping');
    const closing = await outcomeOf(client.close());
    expect(closing.elapsed).toBeLessThan(hangDeadline);
    for (const outcome of await Promise.all(waiting)) expectTypedFailure(outcome, ClientClosedError, CLIENT_CLOSED_CODE);
    await expectReleased(baseline, () => fake.openConnections(), connections);
  });

  it('docker.close() ends a pull and a build in flight the same way', async () => {
    const baseline = descriptorBaseline();
    const connections = fake.openConnections();
    arrangeStalls(fake);
    const docker = await createDocker({ transport: faultTransport(name, { socketPath: fake.socketPath, tlsHost: fake.tlsHost }), credentials: false, environment: {} });
    const pulling = outcomeOf(docker.images.pull('app', { tag: 'v1' }));
    const building = outcomeOf(docker.images.build({ file: 'FROM scratch\nRUN sleep 60\n', useConfigProxy: false }));
    await fake.waitForRequest((request) => request.url.includes('/images/create'));
    await fake.waitForRequest((request) => request.url.includes('/build'));
    const closing = await outcomeOf(docker.close());
    expect(closing.elapsed).toBeLessThan(hangDeadline);
    expectTypedFailure(await pulling, ClientClosedError, CLIENT_CLOSED_CODE);
    expectTypedFailure(await building, ClientClosedError, CLIENT_CLOSED_CODE);
    expectTypedFailure(await outcomeOf(docker.images.get('app')), ClientClosedError, CLIENT_CLOSED_CODE);
    await expectReleased(baseline, () => fake.openConnections(), connections);
  });

  it('graceful close: lets a call finish, then closes', async () => {
    const baseline = descriptorBaseline();
    const connections = fake.openConnections();
    let answer: (() => void) | undefined;
    fake.on(/\/images\/slow\/json/, ({ request, response }) => {
      request.resume();
      answer = () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Id: imageId }));
    });
    const client = clientFor(name);
    const slow = outcomeOf(inspectImage(client, { name: 'slow' }));
    while (answer === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
    const closing = outcomeOf(client.close({ graceful: true, timeout: 5_000 }));
    answer?.();
    expect((await slow).error).toBeUndefined();
    expect((await closing).error).toBeUndefined();
    expectTypedFailure(await outcomeOf(ping(client)), ClientClosedError, CLIENT_CLOSED_CODE);
    await expectReleased(baseline, () => fake.openConnections(), connections);
  });
});
