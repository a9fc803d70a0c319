// The dashboard: `node dist/server/main.js` (or `pnpm start`), then open the printed URL. The
// engine is found like the docker CLI finds it (DOCKER_HOST, contexts, the default socket).
// PORT picks the port (default 8080); it listens on 127.0.0.1 only.
import { createDocker } from '@berth/docker';
import { startDashboard } from './dashboard-server.js';

const docker = await createDocker();
const dashboard = await startDashboard({ docker, port: Number(process.env['PORT'] ?? 8080) });
const where = docker.endpoint.kind === 'custom' ? docker.endpoint.description : docker.endpoint.dockerHost;
console.log(`Berth dashboard on ${dashboard.url} (engine: ${where}); Ctrl-C stops it.`);

process.once('SIGINT', () => {
  void dashboard.close().then(() => docker.close());
});
