import { createEngineClient, inspectImage, ping } from '@berth/engine-protocol';
import { unixTransport } from '@berth/transport-unix';
import Docker from 'dockerode';
const socketPath = process.env.BERTH_TEST_DOCKER_SOCKET, seed = 'berth-test/busybox:latest';
const c = createEngineClient({ transport: unixTransport({ socketPath }) });
const docker = new Docker({ socketPath, version: 'v1.41' });
const N = 20;
async function cpu(label, fn, n) {
  for (let i = 0; i < 50; i++) await fn();
  const u = process.cpuUsage(); const t = performance.now();
  for (let i = 0; i < n; i++) await fn();
  const d = process.cpuUsage(u); 
  console.log(label, ((d.user + d.system) / n).toFixed(0), 'µs cpu/op', ((performance.now() - t) * 1000 / n).toFixed(0), 'µs wall/op');
}
for (let r = 0; r < 2; r++) {
await cpu('berth ping', () => ping(c), 500);
await cpu('dode ping', () => docker.ping(), 500);
await cpu('berth inspect', () => inspectImage(c, { name: seed }), 500);
await cpu('dode inspect', () => docker.getImage(seed).inspect(), 500);
await cpu('berth conc', () => Promise.all(Array.from({ length: N }, () => inspectImage(c, { name: seed }))), 50);
await cpu('dode conc', () => Promise.all(Array.from({ length: N }, () => docker.getImage(seed).inspect())), 50);
}
await c.close();
