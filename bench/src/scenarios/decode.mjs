// Decode a generated 50 MiB pull progress stream (about 300,000 messages) delivered in chunks
// of realistic, random sizes (16 B to 64 KiB), in memory. Each contender is its own process;
// the time is the decoder's own, measured inside the process (input made before the timer).
import { runNodeContender } from '../lib/contender.mjs';

const task = { bytes: 50 * 2 ** 20, seed: 20240611 };
const nodeArgs = ['--expose-gc'];

export default {
  id: 'decode',
  order: 50,
  description: 'decode a 50 MiB pull progress stream: naive split + JSON.parse (floor), Berth iterate / sync / typed events, dockerode followProgress',
  async prepare() {
    return [
      {
        id: 'decode-50MiB',
        title: 'decode 50 MiB of pull progress (in memory, chunks of 16 B–64 KiB)',
        floor: 'naive split + JSON.parse',
        primary: { label: 'decode time', unit: 'ms', value: (/** @type {any} */ m) => m.reported.opMs },
        contenders: [
          { name: 'naive split + JSON.parse', run: () => runNodeContender('naive', task, { nodeArgs }) },
          { name: 'Berth decodeJsonMessages (iterate)', run: () => runNodeContender('berth-raw', { ...task, op: 'decode-iterate' }, { nodeArgs }) },
          { name: 'Berth JsonMessageDecoder (sync)', run: () => runNodeContender('berth-raw', { ...task, op: 'decode-sync' }, { nodeArgs }) },
          { name: 'Berth typed events (iterate + parseProgressEvent)', run: () => runNodeContender('berth-images', { ...task, op: 'decode-events' }, { nodeArgs }) },
          { name: 'dockerode followProgress', run: () => runNodeContender('dockerode', { ...task, op: 'decode' }, { nodeArgs }) },
        ],
        notes: (/** @type {any[]} */ runs) => {
          const times = runs.map((run) => run.reported.opMs).sort((a, b) => a - b);
          const median = times[Math.floor(times.length / 2)] ?? NaN;
          return `${Math.round(50 / (median / 1000))} MiB/s, ${runs[0]?.reported.messages?.toLocaleString('en-US')} messages`;
        },
        check(/** @type {Record<string, any>} */ last) {
          const counts = new Set(Object.values(last).map((run) => run.reported.messages));
          if (counts.size !== 1) throw new Error(`decode: contenders disagree on the message count: ${[...counts].join(', ')}`);
        },
      },
    ];
  },
};
