// dockerode 5 (docker-modem on node:http), used as its README shows.
import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import Docker from 'dockerode';
import { decodeInput, drainTimed, inspectModes } from './io.mjs';
import { runContender, since } from './task.mjs';

await runContender(run);

/** @param {Docker} docker @param {NodeJS.ReadableStream} stream @returns {Promise<any[]>} */
function follow(docker, stream) {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(stream, (/** @type {unknown} */ error, /** @type {any[]} */ output) => {
      if (error) return reject(error);
      const failure = output.find((message) => message.error || message.errorDetail);
      return failure ? reject(new Error(failure.error ?? failure.errorDetail?.message)) : resolve(output);
    });
  });
}

/** @param {Record<string, any>} task */
async function run(task) {
  const docker = new Docker({ socketPath: task.socketPath ?? '/var/run/docker.sock', version: `v${task.apiVersion ?? '1.41'}` });
  if (task.op === 'decode') {
    const { chunks } = decodeInput(task);
    const start = process.hrtime.bigint();
    const output = await follow(docker, Readable.from(chunks, { objectMode: false }));
    return { opMs: since(start), messages: output.length };
  }
  if (task.op === 'save') {
    const start = process.hrtime.bigint();
    const archive = await docker.getImage(task.image).get();
    return await drainTimed(archive, start);
  }
  if (task.op === 'load') {
    const start = process.hrtime.bigint();
    const reply = await docker.loadImage(createReadStream(task.file), { quiet: true });
    const output = await follow(docker, reply);
    return { opMs: since(start), messages: output.length };
  }
  if (task.op === 'pull-stream') {
    const start = process.hrtime.bigint();
    const output = await follow(docker, await docker.pull(`${task.image}:latest`));
    return { opMs: since(start), messages: output.length };
  }
  if (task.op === 'build') {
    const start = process.hrtime.bigint();
    const files = readFileSync(task.filesList, 'utf8').split('\n').filter((name) => name !== '');
    const reply = await docker.buildImage({ context: task.context, src: files }, { t: task.tag, nocache: true, networkmode: 'none', rm: true, version: '1' });
    const output = await follow(docker, reply);
    return { opMs: since(start), messages: output.length };
  }
  if (task.op === 'inspect') return inspectModes(() => docker.getImage(task.image).inspect(), task);
  throw new Error(`dockerode: unknown op ${task.op}`);
}
