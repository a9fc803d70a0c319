// A fake engine on a Unix socket for the memory scenario: a pull whose progress stream has
// `messages` messages (made on the fly, with backpressure), then an inspect reply.
//   node src/lib/fake-engine.mjs <socketPath> <messages>
import { createServer } from 'node:http';
import { rmSync } from 'node:fs';

const [socketPath, count = '1000000'] = process.argv.slice(2);
if (!socketPath) throw new Error('usage: fake-engine.mjs <socketPath> <messages>');
const messages = Number(count);
const id = 'sha256:' + 'ab'.repeat(32);

const server = createServer((request, response) => {
  const url = request.url ?? '/';
  if (url.startsWith('/_ping')) {
    response.writeHead(200, { 'Api-Version': '1.41', 'Content-Type': 'text/plain' });
    response.end(request.method === 'HEAD' ? undefined : 'OK');
    return;
  }
  if (request.method === 'POST' && url.includes('/images/create')) {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    let sent = 0;
    const layers = ['0a1b2c3d4e5f', '1b2c3d4e5f60', '2c3d4e5f6071', '3d4e5f607182'];
    const write = () => {
      while (sent < messages) {
        const layer = layers[sent % layers.length];
        const current = sent * 1024;
        const line = `{"status":"Downloading","progressDetail":{"current":${current},"total":${messages * 1024}},"progress":"[==>      ] ${current}","id":"${layer}"}\r\n`;
        sent++;
        if (!response.write(line)) return void response.once('drain', write);
      }
      response.end(`{"status":"Digest: sha256:${'cd'.repeat(32)}"}\r\n{"status":"Status: Downloaded newer image for bench/pull:latest"}\r\n`);
    };
    write();
    return;
  }
  if (request.method === 'GET' && /\/images\/.+\/json/.test(url)) {
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ Id: id, RepoTags: ['bench/pull:latest'], RepoDigests: [], Config: { Labels: null } }));
    return;
  }
  response.writeHead(404, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ message: `fake engine: no ${request.method} ${url}` }));
});
rmSync(socketPath, { force: true });
server.listen(socketPath, () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
