import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Docker } from '@berth/docker';
import { getVersion, ping } from '@berth/engine-protocol';
import { errorReply, HttpError, readJson, requiredText, sendJson } from './http-helpers.js';
import { imageDetail, imageRow } from './image-views.js';
import { Job, JobRegistry } from './jobs.js';
import { sendFile } from './static-files.js';

/** Options of {@link startDashboard}. */
export interface DashboardOptions {
  /** The engine. The dashboard does not close it. */
  readonly docker: Docker;
  /** Port on 127.0.0.1; 0 picks a free one. Default: 8080. */
  readonly port?: number;
  /** Interface to listen on. Default: 127.0.0.1 (the dashboard has full control of the engine). */
  readonly host?: string;
}

/** A running dashboard. */
export interface Dashboard {
  readonly url: string;
  /** Cancels running pulls and builds, closes the server. */
  close(): Promise<void>;
}

const publicFolder = new URL('../../public/', import.meta.url);
const clientFolder = new URL('../client/', import.meta.url);
const actionHeader = 'x-berth-dashboard';

/**
 * Starts the dashboard's HTTP server (node:http): the page, its scripts, and a JSON API over the
 * engine, with pulls and builds streamed to the page as server-sent events.
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const { docker } = options;
  const jobs = new JobRegistry();
  const engineAddress = docker.endpoint.kind === 'custom' ? docker.endpoint.description : docker.endpoint.dockerHost;
  const describe = (error: unknown): string => errorReply(error, engineAddress).message;
  let allowedHosts: ReadonlySet<string> = new Set();

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const { status, message } = errorReply(error, engineAddress);
      if (response.headersSent) response.destroy();
      else sendJson(response, status, { error: message });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // The page and its API are for this machine: a page on another site (DNS rebinding) or a
    // cross-site form may not reach them.
    if (!allowedHosts.has(request.headers.host ?? '')) throw new HttpError(403, 'This host name is not allowed.');
    const url = new URL(request.url ?? '/', 'http://dashboard');
    const method = request.method ?? 'GET';
    const path = url.pathname;
    if (method !== 'GET' && request.headers[actionHeader] !== '1') throw new HttpError(403, `Actions need the ${actionHeader} header.`);

    if (method === 'GET' && path === '/') return sendFile(response, publicFolder, 'index.html');
    if (method === 'GET' && path === '/style.css') return sendFile(response, publicFolder, 'style.css');
    if (method === 'GET' && path.startsWith('/js/')) return sendFile(response, clientFolder, path.slice(4));

    if (method === 'GET' && path === '/api/info') {
      const [pong, version] = await Promise.all([ping(docker.client), getVersion(docker.client)]);
      return sendJson(response, 200, {
        endpoint: engineAddress,
        version: version.Version,
        apiVersion: await docker.client.apiVersion(),
        engineApiVersion: version.ApiVersion,
        os: version.Os,
        arch: version.Arch,
        builder: pong.builderVersion === '1' ? 'classic' : 'buildkit',
      });
    }
    if (method === 'GET' && path === '/api/images') {
      const images = await docker.images.list();
      return sendJson(response, 200, images.map(imageRow).sort((a, b) => b.created.localeCompare(a.created)));
    }
    if (method === 'POST' && path === '/api/prune') {
      const body = await readJson(request);
      const result = await docker.images.prune(body['all'] === true ? { filters: { dangling: false } } : {});
      return sendJson(response, 200, { deleted: result.ImagesDeleted ?? [], spaceReclaimed: result.SpaceReclaimed ?? 0 });
    }
    const image = /^\/api\/images\/([^/]+)(\/tag)?$/.exec(path);
    if (image !== null) {
      const name = decodeURIComponent(image[1] as string);
      if (method === 'GET' && image[2] === undefined) {
        const found = await docker.images.get(name);
        return sendJson(response, 200, imageDetail(found, await found.history()));
      }
      if (method === 'POST' && image[2] === '/tag') {
        const body = await readJson(request);
        const found = await docker.images.get(name);
        await found.tag(requiredText(body, 'repository'), typeof body['tag'] === 'string' && body['tag'] !== '' ? body['tag'] : 'latest');
        return sendJson(response, 200, imageRow(await found.reload()));
      }
      if (method === 'DELETE' && image[2] === undefined) {
        const removed = await docker.images.remove(name, { force: url.searchParams.get('force') === '1' });
        return sendJson(response, 200, { removed });
      }
    }
    if (method === 'POST' && path === '/api/pulls') {
      const reference = requiredText(await readJson(request), 'reference');
      const controller = new AbortController();
      const job = jobs.add(new Job('pull', `pull ${reference}`, controller, docker.images.pull(reference, { signal: controller.signal }), describe));
      return sendJson(response, 202, { job: job.id });
    }
    if (method === 'POST' && path === '/api/builds') return startBuild(request, response, url.searchParams);
    const job = /^\/api\/jobs\/([0-9a-f-]{36})(\/events)?$/.exec(path);
    if (job !== null) {
      const found = jobs.get(job[1] as string);
      if (found === undefined) throw new HttpError(404, 'No such job (finished jobs are kept ten minutes).');
      if (method === 'GET' && job[2] === '/events') return found.subscribe(response);
      if (method === 'GET') return sendJson(response, 200, found.snapshot());
      if (method === 'DELETE') {
        found.cancel();
        return sendJson(response, 202, { canceled: true });
      }
    }
    throw new HttpError(404, 'Not found.');
  }

  /** The body is the build context as a tar (plain or compressed), streamed to the engine as it arrives. */
  async function startBuild(request: IncomingMessage, response: ServerResponse, parameters: URLSearchParams): Promise<void> {
    const tag = parameters.get('tag') || undefined;
    const dockerfile = parameters.get('dockerfile') || undefined;
    const network = parameters.get('network') || undefined;
    const builder = parameters.get('builder') === 'classic' ? '1' : '2';
    const controller = new AbortController();
    request.on('close', () => {
      // An upload cut short must not leave a build waiting for the rest of its context.
      if (!request.complete) controller.abort();
    });
    const building = docker.images.build({
      file: request,
      customContext: true,
      version: builder,
      signal: controller.signal,
      forceRemoveIntermediateContainers: true,
      ...(tag === undefined ? {} : { tag }),
      ...(dockerfile === undefined ? {} : { dockerfile }),
      ...(network === undefined ? {} : { networkMode: network }),
      ...(parameters.get('noCache') === '1' ? { noCache: true } : {}),
    });
    const job = jobs.add(new Job('build', `build ${tag ?? '(untagged)'}`, controller, building, describe));
    // Answer once the context is uploaded (or the build ended first): the page then follows the job.
    await Promise.race([new Promise((resolve) => request.once('end', resolve)), job.finished]);
    sendJson(response, 202, { job: job.id });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  allowedHosts = new Set([`127.0.0.1:${address.port}`, `localhost:${address.port}`, `[::1]:${address.port}`, `${options.host ?? '127.0.0.1'}:${address.port}`]);
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: async () => {
      await jobs.cancelAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
