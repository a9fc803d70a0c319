// Test helper: an HTTP proxy on a Unix socket in front of the harness engine that keeps a copy
// of every `POST /build` body, so a test can see the exact bytes the docker CLI sent.
import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';

/** A build request the proxy saw. */
export interface CapturedBuild {
  readonly query: URLSearchParams;
  readonly body: Buffer;
}

/** A running proxy. */
export interface CaptureProxy {
  /** `unix:///…/proxy.sock`, for `docker -H`. */
  readonly dockerHost: string;
  /** The build request tagged `tag` (its `t` parameter), once its body has been received. */
  takeBuild(tag: string): CapturedBuild;
  close(): Promise<void>;
}

/** Starts the proxy in `directory`, forwarding to the engine socket. */
export async function startCaptureProxy(engineSocketPath: string, directory: string): Promise<CaptureProxy> {
  const builds = new Map<string, CapturedBuild>();
  const server: Server = createServer((incoming, outgoing) => {
    const url = new URL(incoming.url ?? '/', 'http://engine');
    const isBuild = incoming.method === 'POST' && /\/build$/u.test(url.pathname);
    const chunks: Buffer[] = [];
    const forwarded = request(
      { socketPath: engineSocketPath, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (reply) => {
        outgoing.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(outgoing);
      },
    );
    forwarded.on('error', (error) => outgoing.destroy(error));
    incoming.on('data', (chunk: Buffer) => {
      if (isBuild) chunks.push(chunk);
      forwarded.write(chunk);
    });
    incoming.on('end', () => {
      if (isBuild) {
        for (const tag of url.searchParams.getAll('t')) builds.set(tag, { query: url.searchParams, body: Buffer.concat(chunks) });
      }
      forwarded.end();
    });
  });
  const socketPath = join(directory, 'proxy.sock');
  server.listen(socketPath);
  await once(server, 'listening');
  return {
    dockerHost: `unix://${socketPath}`,
    takeBuild(tag) {
      const build = builds.get(tag);
      if (build === undefined) throw new Error(`The proxy saw no build tagged ${tag}.`);
      builds.delete(tag);
      return build;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
