// The engine killed (SIGKILL) in the middle of a save, a load, a pull, a push and a build, on
// every transport: each call ends in a typed error within the deadline, descriptors return to
// their baseline, and after the engine is back the same client works. A registry killed in the
// middle of a pull and a push ends both in the engine's error, reported in the stream.
//
// This kills a harness engine of its own (never the shared one): `engine.sh start` of a
// dedicated name, restarted after each kill. Its registry sits behind a front that can hold a
// transfer (so the pull and the push are really in progress) and die. Over TLS the engine is
// reached through a TLS front that outlives the restarts, so the same client can be reused.
import {
  createEngineClient,
  importImage,
  ping,
  SocketClosedError,
  StreamMessageError,
  type EngineClient,
} from '@berth/engine-protocol';
import { ImageCollection } from '@berth/images';
import {
  outcomeOf,
  startKillableEngine,
  startRegistryFront,
  startTlsFront,
  uniqueName,
  type KillableEngine,
  type RegistryFront,
  type TlsFront,
} from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endlessArchive, randomRootfs } from '../../src/archives.js';
import { descriptorBaseline, drain, expectReleased, expectTypedFailure } from '../../src/fault-check.js';
import { faultTransport, faultTransports, harnessTls } from '../../src/fault-transports.js';

const transports = faultTransports();
const seed = process.env['BERTH_TEST_SEED_IMAGE'] ?? 'berth-test/busybox:latest';
let engine: KillableEngine;
let tlsFront: TlsFront | undefined;

beforeAll(async () => {
  if (transports.length === 0) return;
  engine = await startKillableEngine({
    name: process.env['BERTH_FAULT_HARNESS_NAME'] ?? `faults-${process.pid}`,
    // One attempt per layer: a registry that died fails the pull at once instead of after the
    // engine's retries (5, 10, 15, 20 s apart).
    dockerdArguments: '--max-download-attempts=1',
  });
  const tls = harnessTls();
  if (tls !== undefined) tlsFront = await startTlsFront(engine.socketPath, tls);
});
afterAll(async () => {
  await tlsFront?.close();
  await engine?.stop();
});

/** Images the scenarios need on a fresh engine, with the registry front they go through. */
async function prepare(
  client: EngineClient,
  images: ImageCollection,
  bigSize: number,
): Promise<{ front: RegistryFront; big: string; pullSource: string; pushTarget: string }> {
  const front = await startRegistryFront(engine.registry);
  const big = uniqueName('faults/big');
  await drain(await importImage(client, { fromSrc: '-', repo: big, tag: '1', body: randomRootfs(bigSize) }));
  // An image only the registry has (layers included), so that a pull really downloads a blob.
  const pullSource = `${front.address}/faults/pull-source`;
  await drain(await importImage(client, { fromSrc: '-', repo: pullSource, tag: '1', body: randomRootfs(2 * 1024 * 1024) }));
  await images.push(pullSource, { tag: '1' });
  await images.remove(`${pullSource}:1`);
  const pushTarget = `${front.address}/faults/push-target`;
  await (await images.get(`${big}:1`)).tag(pushTarget, '1');
  return { front, big: `${big}:1`, pullSource, pushTarget };
}

describe.runIf(transports.length > 0).each(transports)('a killed engine and a killed registry over %s', (name) => {
  let client: EngineClient;
  let images: ImageCollection;
  beforeAll(() => {
    client = createEngineClient({ transport: faultTransport(name, { socketPath: engine.socketPath, tlsHost: tlsFront?.host }), environment: {} });
    images = new ImageCollection({ client });
  });
  afterAll(async () => {
    await client?.close();
  });

  it('the engine killed mid-save, mid-load, mid-pull, mid-push and mid-build: every call ends in SocketClosedError', async () => {
    // 24 MiB of random bytes: larger than every buffer on the way, so a save is still streaming.
    const { front, big, pullSource, pushTarget } = await prepare(client, images, 24 * 1024 * 1024);
    try {
      await ping(client);
      const baseline = descriptorBaseline();

      // A save read to its first chunk, then left waiting (the engine blocks on a full socket).
      const archive = await (await images.get(big)).save();
      const reader = archive[Symbol.asyncIterator]();
      expect((await reader.next()).done).toBe(false);
      // A load whose upload is in flight, a pull and a push held mid-blob, a build in a RUN step.
      const loading = outcomeOf(images.load(endlessArchive(1024 * 1024)));
      front.hold('blob-download', 64 * 1024);
      front.hold('blob-upload', 256 * 1024);
      const pulling = outcomeOf(images.pull(pullSource, { tag: '1' }));
      const pushing = outcomeOf(images.push(pushTarget, { tag: '1' }));
      const building = images.build({ file: `FROM ${seed}\nRUN sleep 60\n`, networkMode: 'none', useConfigProxy: false });
      const built = outcomeOf(building);
      await Promise.all([front.held('blob-download'), front.held('blob-upload')]);
      while (!building.log.some((event) => event.type === 'output' && /Running in/.test(event.text))) {
        if (building.settled) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await new Promise((resolve) => setTimeout(resolve, 200)); // the load's first megabyte is on its way

      engine.kill();
      const saved = outcomeOf(async () => {
        for (let step = await reader.next(); !step.done; step = await reader.next()) void step.value;
      });
      for (const [kind, outcome] of Object.entries({ save: await saved, load: await loading, pull: await pulling, push: await pushing, build: await built })) {
        expect(outcome.error, `${kind}: ${String(outcome.error)}`).toBeInstanceOf(SocketClosedError);
        expectTypedFailure(outcome, SocketClosedError);
      }
      front.kill(); // test infrastructure in this process: its sockets must not count
      await expectReleased(baseline);
    } finally {
      front.kill();
      await engine.restart();
    }
    // The same client, once the engine is back.
    expect((await ping(client)).body).toBe('OK');
  });

  it('the registry killed mid-pull and mid-push: both end in the StreamMessageError the engine reports', async () => {
    const { front, pullSource, pushTarget } = await prepare(client, images, 2 * 1024 * 1024);
    await ping(client);
    const baseline = descriptorBaseline();
    front.hold('blob-download', 64 * 1024);
    // Past the layers: a blob upload that fails would be retried for 50 s by the engine.
    front.hold('manifest-upload');
    const pulling = outcomeOf(images.pull(pullSource, { tag: '1' }));
    const pushing = outcomeOf(images.push(pushTarget, { tag: '1' }));
    await Promise.all([front.held('blob-download'), front.held('manifest-upload')]);
    front.kill();
    expectTypedFailure(await pulling, StreamMessageError);
    expectTypedFailure(await pushing, StreamMessageError);
    await expectReleased(baseline);
    expect((await ping(client)).body).toBe('OK');
  });
});
