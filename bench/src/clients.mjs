// The two contenders, configured alike: same socket, same API version (1.41, what Berth
// negotiates with Engine 20.10; dockerode is pinned to it so both send /v1.41/... paths).
import {
  createEngineClient,
  getImageHistory,
  inspectImage,
  listImages,
  ping,
  saveImages,
} from '@berth/engine-protocol';
import { unixTransport } from '@berth/transport-unix';
import Docker from 'dockerode';

/**
 * Creates a Berth client (default transport options) and a dockerode client (default options:
 * Node's global keep-alive agent) for the same socket.
 *
 * @example
 * ```js
 * const { berth, dockerode, close } = createClients('/var/run/docker.sock');
 * await berth.ping(berth.client);
 * await dockerode.docker.ping();
 * await close();
 * ```
 * @param {string} socketPath
 */
export function createClients(socketPath) {
  const client = createEngineClient({ transport: unixTransport({ socketPath }) });
  const docker = new Docker({ socketPath, version: 'v1.41' });
  return {
    berth: { client, ping, listImages, inspectImage, getImageHistory, saveImages },
    dockerode: { docker },
    close: () => client.close(),
  };
}
