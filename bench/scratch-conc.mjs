import { createEngineClient, inspectImage } from '@berth/engine-protocol';
import { unixTransport } from '@berth/transport-unix';
import Docker from 'dockerode';
import { measurePair } from './src/measure.mjs';
import { summarize } from './src/stats.mjs';
const socketPath = process.env.BERTH_TEST_DOCKER_SOCKET, seed = 'berth-test/busybox:latest';
const c16 = createEngineClient({ transport: unixTransport({ socketPath }) });
const c20 = createEngineClient({ transport: unixTransport({ socketPath, connections: 20 }) });
const docker = new Docker({ socketPath, version: 'v1.41' });
const N = 20;
const s = await measurePair({ warmup: 3, iterations: 60, blocks: 6, contenders: {
  b16: () => Promise.all(Array.from({ length: N }, () => inspectImage(c16, { name: seed }))),
  b20: () => Promise.all(Array.from({ length: N }, () => inspectImage(c20, { name: seed }))),
  d: () => Promise.all(Array.from({ length: N }, () => docker.getImage(seed).inspect())),
}});
for (const [k, v] of Object.entries(s)) console.log(k, summarize(v, N));
await c16.close(); await c20.close();
