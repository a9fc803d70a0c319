// A misbehaving engine on every transport: each fault must end in a typed error, within the hang
// deadline, with descriptors and connections back to their baseline, and the same client working
// afterwards.
import {
  ApiVersionError,
  checkRegistryAuth,
  createEngineClient,
  decodeMultiplexedFrames,
  defineEndpoint,
  EngineError,
  inspectImage,
  listImages,
  loadImages,
  ping,
  pullImage,
  SocketClosedError,
  StreamDecodeError,
  TimeoutError,
  TransportError,
  UnexpectedReplyError,
  type EngineClient,
} from '@berth/engine-protocol';
import { ImageCollection } from '@berth/images';
import {
  breakUpload,
  cutBody,
  cutChunked,
  dropBeforeHeaders,
  frame,
  hugeBody,
  multiplexedStream,
  outcomeOf,
  progressStream,
  rawAnswer,
  redirect,
  replyHtml,
  replyJson,
  replyText,
  stallBeforeHeaders,
  startFakeEngine,
  type FakeEngine,
} from '@berth/test-engine';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { descriptorBaseline, drain, expectReleased, expectTypedFailure, type DescriptorBaseline } from '../../src/fault-check.js';
import { faultTransport, faultTransports, harnessTls } from '../../src/fault-transports.js';

const transports = faultTransports();
let fake: FakeEngine;
beforeAll(async () => {
  if (transports.length > 0) fake = await startFakeEngine({ tls: harnessTls() });
});
afterAll(async () => {
  await fake?.close();
});

const imageId = `sha256:${'c'.repeat(64)}`;
const listBody = JSON.stringify(Array.from({ length: 40 }, (_, index) => ({ Id: `sha256:${String(index).padStart(64, '0')}`, RepoTags: [`app:${index}`] })));
const logsEndpoint = defineEndpoint({
  id: 'ContainerLogs',
  method: 'GET',
  path: '/containers/{id}/logs',
  parameters: { id: { kind: 'path', required: true }, stdout: { kind: 'boolean' } },
  response: 'byte-stream',
  successStatuses: [200],
});
/** An upload much larger than the socket buffers, produced as it is read. */
const bigUpload = (): Readable => {
  let sent = 0;
  return new Readable({
    read() {
      sent += 64 * 1024;
      this.push(sent > 16 * 1024 * 1024 ? null : Buffer.alloc(64 * 1024, 1));
    },
  });
};

interface FaultCase {
  readonly name: string;
  readonly arrange: (fake: FakeEngine) => void;
  readonly act: (client: EngineClient) => Promise<unknown>;
  readonly expected: abstract new (...parameters: never[]) => Error;
  readonly code?: string | number;
  readonly check?: (error: unknown, fake: FakeEngine) => void;
}

const cases: readonly FaultCase[] = [
  {
    name: 'stall before the headers',
    arrange: (engine) => engine.on(/\/images\/stalled\/json/, stallBeforeHeaders()),
    act: (client) => inspectImage(client, { name: 'stalled' }, { timeout: 500 }),
    expected: TimeoutError,
    code: 'BERTH_CALL_TIMEOUT',
  },
  {
    name: 'reset before the headers',
    arrange: (engine) => engine.on(/\/images\/json/, dropBeforeHeaders('reset')),
    act: (client) => listImages(client),
    expected: SocketClosedError,
  },
  {
    name: 'close before the headers',
    arrange: (engine) => engine.on(/\/images\/json/, dropBeforeHeaders('close')),
    act: (client) => listImages(client),
    expected: SocketClosedError,
  },
  {
    name: 'reset in the middle of the body',
    arrange: (engine) => engine.on(/\/images\/json/, cutBody(listBody, 300, 'reset')),
    act: (client) => listImages(client),
    expected: SocketClosedError,
  },
  {
    name: 'stall in the middle of the body',
    arrange: (engine) => engine.on(/\/images\/json/, cutBody(listBody, 300, 'stall')),
    act: (client) => listImages(client, {}, { timeout: 500 }),
    expected: TimeoutError,
  },
  {
    name: 'chunked encoding cut in the middle of a chunk',
    arrange: (engine) => engine.on(/\/images\/create/, cutChunked(['{"status":"Pulling from library/app","id":"v1"}\r\n'], '{"status":"Downlo', 'close')),
    act: async (client) => drain(await pullImage(client, { fromImage: 'app', tag: 'v1' })),
    expected: SocketClosedError,
  },
  {
    name: 'reset in the middle of a progress stream',
    arrange: (engine) => engine.on(/\/images\/create/, progressStream([{ status: 'Pulling from library/app', id: 'v1' }, { status: 'Waiting', id: 'l1' }], 'reset')),
    act: async (client) => drain(await pullImage(client, { fromImage: 'app', tag: 'v1' })),
    expected: SocketClosedError,
  },
  {
    name: 'a progress stream that stalls',
    arrange: (engine) => engine.on(/\/images\/create/, progressStream([{ status: 'Pulling from library/app', id: 'v1' }], 'stall')),
    act: async (client) => drain(await pullImage(client, { fromImage: 'app', tag: 'v1' }, { timeout: 500 })),
    expected: TimeoutError,
  },
  {
    name: 'reset in the middle of an upload',
    arrange: (engine) => engine.on(/\/images\/load/, breakUpload(256 * 1024, 'reset')),
    act: async (client) => drain(await loadImages(client, { body: bigUpload() })),
    expected: SocketClosedError,
  },
  {
    name: 'stall in the middle of an upload',
    arrange: (engine) => engine.on(/\/images\/load/, breakUpload(256 * 1024, 'stall')),
    act: async (client) => drain(await loadImages(client, { body: bigUpload() }, { timeout: 1_000 })),
    expected: TimeoutError,
  },
  {
    name: 'truncated JSON',
    arrange: (engine) => engine.on(/\/images\/json/, replyText(200, listBody.slice(0, 100), { 'content-type': 'application/json' })),
    act: (client) => listImages(client),
    expected: UnexpectedReplyError,
    code: 'BERTH_REPLY_NOT_JSON',
  },
  {
    name: 'invalid JSON',
    arrange: (engine) => engine.on(/\/images\/json/, replyText(200, '{images: [1, 2]}', { 'content-type': 'application/json' })),
    act: (client) => listImages(client),
    expected: UnexpectedReplyError,
    code: 'BERTH_REPLY_NOT_JSON',
  },
  {
    name: 'a list reply that is an object',
    arrange: (engine) => engine.on(/\/images\/json/, replyJson(200, { Id: imageId })),
    act: (client) => listImages(client),
    expected: UnexpectedReplyError,
    code: 'BERTH_REPLY_SHAPE',
    check: (error) => expect((error as UnexpectedReplyError).endpoint).toBe('ImageList'),
  },
  {
    name: 'an inspect reply that is null',
    arrange: (engine) => engine.on(/\/images\/app\/json/, replyText(200, 'null', { 'content-type': 'application/json' })),
    act: (client) => inspectImage(client, { name: 'app' }),
    expected: UnexpectedReplyError,
    code: 'BERTH_REPLY_SHAPE',
    check: (error) => expect((error as UnexpectedReplyError).endpoint).toBe('ImageInspect'),
  },
  {
    name: 'an empty inspect reply',
    arrange: (engine) => engine.on(/\/images\/app\/json/, replyText(200, '', { 'content-type': 'application/json' })),
    act: (client) => inspectImage(client, { name: 'app' }),
    expected: UnexpectedReplyError,
    code: 'BERTH_REPLY_EMPTY',
  },
  {
    name: 'an HTML 502 from a proxy',
    arrange: (engine) => engine.on(/\/images\/json/, replyHtml(502, 'Bad Gateway')),
    act: (client) => listImages(client),
    expected: EngineError,
    check: (error) => {
      expect((error as EngineError).status).toBe(502);
      expect((error as EngineError).engineMessage).toBe('HTML reply: 502 Bad Gateway');
    },
  },
  {
    name: 'a huge JSON reply',
    arrange: (engine) => engine.on(/\/images\/json/, hugeBody(200, '[', `{"Id":"${imageId}"},`)),
    act: (client) => listImages(client),
    expected: UnexpectedReplyError,
    code: 'BERTH_REPLY_TOO_LARGE',
  },
  {
    name: 'a huge error body',
    arrange: (engine) => engine.on(/\/images\/json/, hugeBody(500, '{"message":"', 'x'.repeat(1024))),
    act: (client) => listImages(client),
    expected: EngineError,
    check: (error) => expect((error as EngineError).engineMessage.length).toBeLessThan(1_000),
  },
  {
    name: 'a redirect of an inspect',
    arrange: (engine) => engine.on(/\/images\/app\/json/, redirect(301, '/v1.41/images/elsewhere/json')),
    act: (client) => inspectImage(client, { name: 'app' }),
    expected: EngineError,
    check: (error, engine) => {
      expect((error as EngineError).status).toBe(301);
      expect(engine.requests.some((request) => request.url.includes('elsewhere'))).toBe(false);
    },
  },
  {
    name: 'a redirect of a pull',
    arrange: (engine) => engine.on(/\/images\/create/, redirect(307, 'http://127.0.0.1:1/v1.41/images/create?fromImage=x')),
    act: async (client) => drain(await pullImage(client, { fromImage: 'app', tag: 'v1', authConfig: { username: 'me', password: 'pw-must-not-travel' } })),
    expected: EngineError,
    check: (error) => expect(String(error)).not.toContain('pw-must-not-travel'),
  },
  {
    name: 'a redirect of a login',
    arrange: (engine) => engine.on(/\/auth/, redirect(307, '/v1.41/auth-elsewhere')),
    act: (client) => checkRegistryAuth(client, { authConfig: { username: 'me', password: 'pw' } }),
    expected: EngineError,
  },
  {
    name: 'a bad multiplexed frame header',
    arrange: (engine) => engine.on(/\/containers\/c1\/logs/, multiplexedStream([frame(1, 'fine\n'), Buffer.from([7, 0, 0, 0, 0, 0, 0, 1, 65])])),
    act: async (client) => drain(decodeMultiplexedFrames((await client.send(logsEndpoint, { id: 'c1', stdout: true })).chunks())),
    expected: StreamDecodeError,
  },
  {
    name: 'garbage instead of HTTP',
    arrange: (engine) => engine.on(/\/images\/json/, rawAnswer('SSH-2.0-OpenSSH_9.2p1 Debian\r\n\r\n', 'close')),
    act: (client) => listImages(client),
    expected: TransportError,
  },
];

describe.runIf(transports.length > 0).each(transports)('a misbehaving engine over %s', (name) => {
  let client: EngineClient;
  let baseline: DescriptorBaseline;
  let connections: number;
  beforeAll(async () => {
    client = createEngineClient({
      transport: faultTransport(name, { socketPath: fake.socketPath, tlsHost: fake.tlsHost }),
      environment: {},
      maxReplyBytes: 1024 * 1024,
    });
  });
  afterAll(async () => {
    await client?.close();
  });
  beforeEach(async () => {
    fake.reset();
    await ping(client); // warm: one pooled connection, the API version negotiated
    baseline = descriptorBaseline();
    connections = fake.openConnections();
  });

  /** The same client works afterwards, and nothing was left open. */
  async function expectRecovered(): Promise<void> {
    fake.reset();
    expect((await ping(client)).body).toBe('OK');
    await expectReleased(baseline, () => fake.openConnections(), connections);
  }

  it.each(cases)('$name', async (fault) => {
    fault.arrange(fake);
    const outcome = await outcomeOf(fault.act(client));
    expectTypedFailure(outcome, fault.expected, fault.code);
    fault.check?.(outcome.error, fake);
    await expectRecovered();
  });

  it('a bad Api-Version: an ApiVersionError, then the same client negotiates again', async () => {
    const fresh = createEngineClient({ transport: faultTransport(name, { socketPath: fake.socketPath, tlsHost: fake.tlsHost }), environment: {} });
    try {
      for (const version of ['garbage', '1.12']) {
        fake.reset();
        fake.on(/^GET \/_ping/, replyText(200, 'OK', { 'api-version': version }));
        expectTypedFailure(await outcomeOf(listImages(fresh)), ApiVersionError);
      }
      fake.reset();
      fake.on(/\/images\/json/, replyJson(200, []));
      await expect(listImages(fresh)).resolves.toEqual([]);
    } finally {
      await fresh.close();
    }
    await expectRecovered();
  });

  it('a huge progress stream: the pull succeeds with its memory bounded', async () => {
    const messages = Array.from({ length: 50_000 }, (_, index) => ({ status: 'Extracting', id: `l${index % 7}`, progressDetail: { current: index, total: 50_000 } }));
    const statuses = Array.from({ length: 30_000 }, (_, index) => ({ status: `status line ${index}` }));
    fake.on(/\/images\/create/, progressStream([...messages, ...statuses, { status: `Digest: ${imageId}` }, { status: 'Status: Downloaded newer image for app:v1' }], 'end'));
    fake.on(/\/images\/app(:|%3A)v1\/json/, replyJson(200, { Id: imageId, RepoTags: ['app:v1'] }));
    const images = new ImageCollection({ client });
    const pulling = images.pull('app', { tag: 'v1', logLimit: 1_000 });
    const outcome = await outcomeOf(pulling);
    expect(outcome.error).toBeUndefined();
    expect(pulling.log.length).toBeLessThanOrEqual(2_000);
    expect(pulling.log.some((event) => event.type === 'digest')).toBe(true);
    await expectRecovered();
  });
});
