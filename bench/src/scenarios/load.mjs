// Load a saved archive: POST /images/load, at each size asked for. The image is removed before
// every run (untimed), so each load really imports the layer.
import { formatSize } from '../lib/context.mjs';
import { ensureSavedArchive } from '../lib/fixtures.mjs';
import { measureProcess } from '../lib/measure-process.mjs';
import { runNodeContender } from '../lib/contender.mjs';

export default {
  id: 'load',
  order: 20,
  description: 'load a saved archive (100 MiB, 1 GiB, 4 GiB): curl, docker CLI, Berth raw and images.load, dockerode, @docker/node-sdk, raw undici',
  /** @param {import('../lib/context.mjs').BenchContext} ctx */
  async prepare(ctx) {
    const cases = [];
    for (const size of ctx.sizes) {
      const { name, file } = await ensureSavedArchive(ctx, size);
      const task = { op: 'load', socketPath: ctx.engine.socketPath, file, apiVersion: ctx.apiVersion };
      const before = async () => {
        await ctx.docker(['image', 'rm', '-f', name]).catch(() => '');
      };
      const node = (/** @type {string} */ script, /** @type {string} */ label) => ({ name: label, before, run: () => runNodeContender(script, task) });
      cases.push({
        id: `load-${formatSize(size).replace(/ /g, '')}`,
        title: `load ${formatSize(size)} archive`,
        floor: 'curl',
        contenders: [
          {
            name: 'curl',
            before,
            run: () =>
              measureProcess('curl', [
                '-sS', '--fail', '--unix-socket', ctx.engine.socketPath, '-X', 'POST', '-H', 'Content-Type: application/x-tar',
                '-T', file, '-o', '/dev/null', `http://localhost/v${ctx.apiVersion}/images/load?quiet=1`,
              ]),
          },
          { name: 'docker CLI', before, run: () => measureProcess(ctx.dockerCli, ['-H', `unix://${ctx.engine.socketPath}`, 'load', '-q', '-i', file]) },
          node('berth-raw', 'Berth raw (loadImages)'),
          node('berth-images', 'Berth images.load'),
          node('dockerode', 'dockerode'),
          node('docker-sdk', '@docker/node-sdk'),
          node('undici-raw', 'raw undici'),
        ],
        async check() {
          // The image is back after every load.
          await ctx.docker(['image', 'inspect', name]);
        },
      });
    }
    return cases;
  },
};
