// Save an image to /dev/null: GET /images/{name}/get, at each size asked for.
import { formatSize } from '../lib/context.mjs';
import { ensureRandomImage } from '../lib/fixtures.mjs';
import { measureProcess } from '../lib/measure-process.mjs';
import { runNodeContender } from '../lib/contender.mjs';

export default {
  id: 'save',
  order: 10,
  description: 'save a random-layer image (100 MiB, 1 GiB, 4 GiB) to /dev/null: curl, docker CLI, Berth raw and Image.save, dockerode, @docker/node-sdk, raw undici',
  /** @param {import('../lib/context.mjs').BenchContext} ctx */
  async prepare(ctx) {
    const cases = [];
    for (const size of ctx.sizes) {
      const image = await ensureRandomImage(ctx, size);
      const task = { op: 'save', socketPath: ctx.engine.socketPath, image, apiVersion: ctx.apiVersion };
      const url = `http://localhost/v${ctx.apiVersion}/images/${encodeURIComponent(image)}/get`;
      const node = (/** @type {string} */ script) => ({ name: script, run: () => runNodeContender(script, task) });
      cases.push({
        id: `save-${formatSize(size).replace(/ /g, '')}`,
        title: `save ${formatSize(size)} image → /dev/null`,
        floor: 'curl',
        contenders: [
          {
            name: 'curl',
            async run() {
              const measured = await measureProcess('curl', ['-sS', '--fail', '--unix-socket', ctx.engine.socketPath, '-o', '/dev/null', '-w', '%{time_starttransfer} %{time_total} %{size_download}', url], { stdout: 'capture' });
              const [ttfb = '0', total = '0', bytes = '0'] = measured.stdout.trim().split(' ');
              return { ...measured, reported: { ttfbMs: Number(ttfb) * 1000, opMs: Number(total) * 1000, bytes: Number(bytes) } };
            },
          },
          {
            name: 'docker CLI',
            async run() {
              const measured = await measureProcess(ctx.dockerCli, ['-H', `unix://${ctx.engine.socketPath}`, 'save', image], { stdout: 'count' });
              return { ...measured, reported: { bytes: measured.stdoutBytes } };
            },
          },
          { ...node('berth-raw'), name: 'Berth raw (saveImages)' },
          { ...node('berth-images'), name: 'Berth Image.save' },
          node('dockerode'),
          { ...node('docker-sdk'), name: '@docker/node-sdk' },
          { ...node('undici-raw'), name: 'raw undici' },
        ],
        notes: streamingNotes,
        check: sameBytes,
      });
    }
    return cases;
  },
};

/**
 * Time to first byte (the engine preparing the export) and the streaming part after it, both
 * measured by the contender itself (so without process start-up).
 * @param {any[]} runs
 */
export function streamingNotes(runs) {
  const ttfb = runs.map((run) => run.reported?.ttfbMs).filter((value) => typeof value === 'number').sort((a, b) => a - b);
  if (ttfb.length === 0) return '';
  const streaming = runs
    .filter((run) => typeof run.reported?.ttfbMs === 'number' && typeof run.reported?.opMs === 'number')
    .map((run) => run.reported.opMs - run.reported.ttfbMs)
    .sort((a, b) => a - b);
  const median = (/** @type {number[]} */ values) => values[Math.floor(values.length / 2)] ?? NaN;
  return `first byte ${Math.round(median(ttfb))} ms, streaming ${Math.round(median(streaming))} ms`;
}

/** Every contender received the same number of bytes. @param {Record<string, any>} last */
function sameBytes(last) {
  const counts = Object.entries(last)
    .filter(([, run]) => run?.reported?.bytes !== undefined)
    .map(([name, run]) => [name, run.reported.bytes]);
  const first = counts[0]?.[1];
  for (const [name, bytes] of counts) if (bytes !== first) throw new Error(`save: ${name} received ${bytes} bytes, ${counts[0]?.[0]} ${first}`);
}
