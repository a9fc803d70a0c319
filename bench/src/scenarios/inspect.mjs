// Inspect the seed image: sequentially, then 20 and 100 in flight (2,000 calls each, after a
// warm-up), in one process per contender. Raw undici (an Agent on the socket) is the floor.
import { runNodeContender } from '../lib/contender.mjs';

export default {
  id: 'inspect',
  order: 60,
  description: 'inspect an image sequentially, 20 and 100 in flight: raw undici (floor), Berth, dockerode, @docker/node-sdk',
  /** @param {import('../lib/context.mjs').BenchContext} ctx */
  async prepare(ctx) {
    const task = { op: 'inspect', socketPath: ctx.engine.socketPath, image: ctx.engine.seedImage, apiVersion: ctx.apiVersion, count: 2000 };
    const perCall = (/** @type {string} */ key) => (/** @type {any} */ m) => 1e6 / m.reported[key];
    const contenders = [
      { name: 'raw undici', run: () => runNodeContender('undici-raw', task) },
      { name: 'Berth inspectImage', run: () => runNodeContender('berth-raw', task) },
      { name: 'dockerode', run: () => runNodeContender('dockerode', task) },
      { name: '@docker/node-sdk', run: () => runNodeContender('docker-sdk', task) },
    ];
    const cpuNote = (/** @type {any[]} */ runs) => {
      const values = runs.map((run) => run.reported.cpuMicrosecondsPerOperation).sort((a, b) => a - b);
      return `client CPU ${Math.round(values[Math.floor(values.length / 2)] ?? NaN)} µs/call (all modes)`;
    };
    return [
      {
        id: 'inspect',
        title: 'inspect (2,000 calls per mode)',
        floor: 'raw undici',
        notes: cpuNote,
        contenders,
        // The three modes run in the same processes; one table each.
        views: [
          ['sequentialOpsPerSecond', 'sequential'],
          ['concurrent20OpsPerSecond', '20 in flight'],
          ['concurrent100OpsPerSecond', '100 in flight'],
        ].map(([key, label]) => ({
          id: `inspect-${String(label).replace(/ /g, '-')}`,
          title: `inspect, ${label} (2,000 calls)`,
          primary: { label: 'µs per call', unit: 'µs', value: perCall(String(key)) },
        })),
      },
    ];
  },
};
