// Berth's raw layer: @berth/engine-protocol endpoints over @berth/transport-unix.
import { createReadStream } from 'node:fs';
import { JsonMessageDecoder, createEngineClient, decodeJsonMessages, inspectImage, loadImages, pullImage, saveImages } from '@berth/engine-protocol';
import { unixTransport } from '@berth/transport-unix';
import { asyncChunks, decodeInput, drainTimed, inspectModes } from './io.mjs';
import { runContender, since } from './task.mjs';

await runContender(run);

/** @param {Record<string, any>} task */
async function run(task) {
  if (task.op === 'decode-iterate' || task.op === 'decode-sync') {
    const { chunks } = decodeInput(task);
    const start = process.hrtime.bigint();
    let messages = 0;
    if (task.op === 'decode-iterate') {
      for await (const message of decodeJsonMessages(asyncChunks(chunks))) if (message) messages++;
    } else {
      const decoder = new JsonMessageDecoder();
      for (const chunk of chunks) messages += decoder.push(chunk).length;
      messages += decoder.end().length;
    }
    return { opMs: since(start), messages };
  }
  const client = createEngineClient({ transport: unixTransport({ socketPath: task.socketPath }), apiVersion: task.apiVersion });
  try {
    if (task.op === 'save') {
      const start = process.hrtime.bigint();
      const archive = await saveImages(client, { names: task.image });
      return await drainTimed(archive, start);
    }
    if (task.op === 'load') {
      const start = process.hrtime.bigint();
      let messages = 0;
      for await (const message of await loadImages(client, { body: createReadStream(task.file), quiet: true })) if (message) messages++;
      return { opMs: since(start), messages };
    }
    if (task.op === 'pull-stream') {
      const start = process.hrtime.bigint();
      let messages = 0;
      for await (const message of await pullImage(client, { fromImage: task.image, tag: 'latest' })) if (message) messages++;
      return { opMs: since(start), messages };
    }
    if (task.op === 'inspect') return await inspectModes(() => inspectImage(client, { name: task.image }), task);
    throw new Error(`berth-raw: unknown op ${task.op}`);
  } finally {
    await client.close();
  }
}
