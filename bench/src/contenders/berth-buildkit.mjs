// BuildKit builds through @berth/images with a build session: the context synced by the
// session (file sync), or uploaded as a tar; the classic builder for comparison. Reports the
// in-process build time and what the session sent.
import { createEngineClient } from '@berth/engine-protocol';
import { ImageCollection } from '@berth/images';
import { unixTransport } from '@berth/transport-unix';
import { runContender, since } from './task.mjs';

await runContender(run);

/** @param {Record<string, any>} task */
async function run(task) {
  const client = createEngineClient({ transport: unixTransport({ socketPath: task.socketPath }), apiVersion: task.apiVersion });
  // No config.json proxies or credentials of whoever runs the bench.
  const images = new ImageCollection({ client, environment: { DOCKER_CONFIG: task.emptyConfig } });
  try {
    const start = process.hrtime.bigint();
    const result = await images.build({
      path: task.context,
      dockerfile: task.dockerfile,
      tag: task.tag,
      networkMode: 'none',
      version: task.version,
      ...(task.version === '2' ? { syncContext: task.sync } : {}),
      ...(task.nonce === undefined ? {} : { buildArgs: { NONCE: task.nonce } }),
    });
    const context = result.session?.directories.context;
    return {
      opMs: since(start),
      imageId: result.image.id,
      filesSent: context?.filesSent ?? null,
      bytesSent: context?.bytesSent ?? null,
      entriesListed: context?.entriesListed ?? null,
    };
  } finally {
    await client.close();
  }
}
