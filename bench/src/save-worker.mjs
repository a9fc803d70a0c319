// Child process of the save scenario: one client per process, so that its peak RSS is its own
// and not the other client's garbage. Driven over IPC by the parent, which alternates the two
// clients save by save (so a busy moment of the machine hits both):
//   parent → { type: 'save' }          child → { type: 'saved', totalMs, headersMs, bytes, cpuMicroseconds }
//   parent → { type: 'report' }        child → { type: 'report', baselineRss, peakRss } and exits
//
//   fork('save-worker.mjs', ['berth' | 'dockerode', socketPath, image], { execArgv: ['--expose-gc'] })
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createClients } from './clients.mjs';
import { collectGarbage } from './measure.mjs';

const [clientName, socketPath, image] = process.argv.slice(2);
if (clientName !== 'berth' && clientName !== 'dockerode') throw new Error(`unknown client ${clientName}`);
if (!process.send) throw new Error('save-worker.mjs runs under child_process.fork()');
const send = process.send.bind(process);
const { berth, dockerode, close } = createClients(socketPath);

/** Starts a save; resolves with the tar stream once the reply headers arrived. */
const openSave =
  clientName === 'berth'
    ? () => berth.saveImages(berth.client, { names: image })
    : () => dockerode.docker.getImage(image).get();
// The connection and Berth's API version negotiation are settled before the baseline.
await (clientName === 'berth' ? berth.ping(berth.client) : dockerode.docker.ping());

collectGarbage();
const baselineRss = process.memoryUsage.rss();
let peakRss = baselineRss;
const samplePeak = () => {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
};

async function saveOnce() {
  const sampler = setInterval(samplePeak, 2);
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const tar = await openSave();
  const headersAt = process.hrtime.bigint();
  const sink = createWriteStream('/dev/null');
  await pipeline(tar, sink);
  const end = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(sampler);
  samplePeak();
  collectGarbage();
  return {
    totalMs: Number(end - start) / 1e6,
    headersMs: Number(headersAt - start) / 1e6,
    bytes: sink.bytesWritten,
    cpuMicroseconds: cpu.user + cpu.system,
  };
}

process.on('message', (/** @type {{ type: string }} */ message) => {
  if (message.type === 'save') {
    saveOnce().then(
      (result) => send({ type: 'saved', ...result }),
      (error) => send({ type: 'failed', message: String(error?.stack ?? error) }),
    );
  } else if (message.type === 'report') {
    send({ type: 'report', baselineRss, peakRss }, () => {
      close().finally(() => process.disconnect());
    });
  }
});
send({ type: 'ready' });
