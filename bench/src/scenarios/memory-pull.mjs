// Memory of a long progress stream: a pull answered by a fake engine (src/lib/fake-engine.mjs)
// with 1,000,000 progress messages (about 150 MB). Peak RSS of each client next to dockerode's.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNodeContender } from '../lib/contender.mjs';

/** @type {import('node:child_process').ChildProcess | undefined} */
let fake;

export default {
  id: 'memory-pull',
  order: 90,
  description: 'a pull stream of 1,000,000 progress messages from a fake engine: peak RSS of Berth raw, Berth images.pull, dockerode',
  /** @param {import('../lib/context.mjs').BenchContext} ctx */
  async prepare(ctx) {
    const socketPath = join(ctx.workDir, 'fake-engine.sock');
    fake = spawn(process.execPath, [fileURLToPath(new URL('../lib/fake-engine.mjs', import.meta.url)), socketPath, '1000000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await once(/** @type {NodeJS.ReadableStream} */ (fake.stdout), 'data');
    const task = { op: 'pull-stream', socketPath, image: 'bench/pull', apiVersion: '1.41' };
    return [
      {
        id: 'memory-pull-1M',
        title: 'pull stream of 1,000,000 messages (fake engine): memory',
        floor: 'dockerode (followProgress)',
        contenders: [
          { name: 'dockerode (followProgress)', run: () => runNodeContender('dockerode', task) },
          { name: 'Berth raw (pullImage, iterate)', run: () => runNodeContender('berth-raw', task) },
          { name: 'Berth images.pull (ProgressOperation)', run: () => runNodeContender('berth-images', task) },
        ],
      },
    ];
  },
  async cleanup() {
    fake?.kill('SIGTERM');
  },
};
