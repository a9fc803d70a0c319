// @docker/node-sdk (Docker's own TypeScript SDK, on undici).
import { createReadStream } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { DockerClient } from '@docker/node-sdk';
import { inspectModes, nullSink } from './io.mjs';
import { runContender, since } from './task.mjs';

await runContender(run);

/** @param {Record<string, any>} task */
async function run(task) {
  const docker = await DockerClient.fromDockerHost(`unix://${task.socketPath}`);
  try {
    if (task.op === 'save') {
      const start = process.hrtime.bigint();
      const sink = nullSink();
      await docker.imageGet(task.image, Writable.toWeb(sink));
      return { opMs: since(start), bytes: sink.bytesWritten };
    }
    if (task.op === 'load') {
      const start = process.hrtime.bigint();
      await docker.imageLoad(Readable.toWeb(createReadStream(task.file)), { quiet: true });
      return { opMs: since(start) };
    }
    if (task.op === 'inspect') return await inspectModes(() => docker.imageInspect(task.image), task);
    throw new Error(`docker-sdk: unknown op ${task.op}`);
  } finally {
    await docker.close();
  }
}
