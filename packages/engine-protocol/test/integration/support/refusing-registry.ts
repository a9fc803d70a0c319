import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A registry on 127.0.0.1 that serves a manifest and its config but refuses the layer blob,
 * so the engine accepts the pull (200) and then fails INSIDE the progress stream.
 */
export async function startRefusingRegistry(): Promise<{ address: string; close(): Promise<void> }> {
  const digest = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [`sha256:${'0'.repeat(64)}`] }, config: {} }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: digest(config) },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 1000, digest: `sha256:${'1'.repeat(64)}` }],
    }),
  );
  const server: Server = createServer((request, response) => {
    const url = request.url ?? '';
    if (url === '/v2/') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    } else if (url.includes('/manifests/')) {
      response.writeHead(200, {
        'content-type': 'application/vnd.docker.distribution.manifest.v2+json',
        'docker-content-digest': digest(manifest),
        'content-length': manifest.length,
      });
      response.end(request.method === 'HEAD' ? undefined : manifest);
    } else if (url.endsWith(digest(config))) {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': config.length }).end(config);
    } else {
      response.writeHead(403, { 'content-type': 'application/json' }).end('{"errors":[{"code":"DENIED","message":"blob access refused"}]}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
