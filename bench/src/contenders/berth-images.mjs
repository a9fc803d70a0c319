// Berth's high-level layer: @berth/images (ImageCollection, Image) over @berth/transport-unix.
import { createEngineClient, decodeJsonMessages } from '@berth/engine-protocol';
import { ImageCollection, parseProgressEvent } from '@berth/images';
import { unixTransport } from '@berth/transport-unix';
import { asyncChunks, decodeInput, drainTimed } from './io.mjs';
import { runContender, since } from './task.mjs';

await runContender(run);

/** @param {Record<string, any>} task */
async function run(task) {
  if (task.op === 'decode-events') {
    const { chunks } = decodeInput(task);
    const start = process.hrtime.bigint();
    let layers = 0;
    let messages = 0;
    for await (const message of decodeJsonMessages(asyncChunks(chunks))) {
      messages++;
      if (parseProgressEvent(message).type === 'layer') layers++;
    }
    return { opMs: since(start), messages, layers };
  }
  const client = createEngineClient({ transport: unixTransport({ socketPath: task.socketPath }), apiVersion: task.apiVersion });
  const images = new ImageCollection({ client });
  try {
    if (task.op === 'save') {
      const image = await images.get(task.image);
      const start = process.hrtime.bigint();
      // named: the archive names the tag, like every other contender (by id it would not).
      const archive = await image.save({ named: true });
      return await drainTimed(archive, start);
    }
    if (task.op === 'load') {
      const start = process.hrtime.bigint();
      const loaded = await images.load(task.file);
      return { opMs: since(start), images: loaded.length };
    }
    if (task.op === 'pull-stream') {
      const start = process.hrtime.bigint();
      await images.pull(task.image, { tag: 'latest' });
      return { opMs: since(start) };
    }
    if (task.op === 'build') {
      const start = process.hrtime.bigint();
      const { image } = await images.build({ path: task.context, tag: task.tag, noCache: true, networkMode: 'none' });
      return { opMs: since(start), imageId: image.id };
    }
    throw new Error(`berth-images: unknown op ${task.op}`);
  } finally {
    await client.close();
  }
}
