// Classic build of the generated 22k-file context (COPY . /context/, no cache): the docker CLI
// (DOCKER_BUILDKIT=0, the floor), Berth images.build, dockerode buildImage (tar-fs).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureContext } from '../lib/fixtures.mjs';
import { measureProcess } from '../lib/measure-process.mjs';
import { runNodeContender } from '../lib/contender.mjs';
import { packedEntries } from './pack.mjs';

const TAG = 'berth-bench/context-22k:latest';

export default {
  id: 'build',
  order: 40,
  description: 'classic build of the 22k-file context (COPY . /context/, no cache): docker CLI, Berth images.build, dockerode',
  /** @param {import('../lib/context.mjs').BenchContext} ctx */
  async prepare(ctx) {
    const context = await ensureContext(ctx.workDir);
    const list = await packedEntries(context, ctx.workDir);
    // dockerode packs the files it is given (tar-fs `entries`); the list goes by file (22,000
    // names do not fit in a command line).
    const filesList = join(ctx.workDir, 'context-22k.files');
    await writeFile(filesList, `${list.names.filter((name) => !name.endsWith('/')).join('\n')}\n`);
    const before = async () => {
      await ctx.docker(['image', 'rm', '-f', TAG]).catch(() => '');
    };
    const task = { op: 'build', socketPath: ctx.engine.socketPath, context, tag: TAG, apiVersion: ctx.apiVersion };
    return [
      {
        id: 'build-22k',
        title: 'classic build of the 22k-file context (no cache)',
        floor: 'docker CLI',
        contenders: [
          {
            name: 'docker CLI',
            before,
            run: () =>
              measureProcess(ctx.dockerCli, ['-H', `unix://${ctx.engine.socketPath}`, 'build', '-q', '--no-cache', '--network', 'none', '-t', TAG, context], {
                env: { ...process.env, DOCKER_BUILDKIT: '0' },
              }),
          },
          { name: 'Berth images.build', before, run: () => runNodeContender('berth-images', task) },
          { name: 'dockerode (tar-fs)', before, run: () => runNodeContender('dockerode', { ...task, filesList }) },
        ],
      },
    ];
  },
  /** @param {import('../lib/context.mjs').BenchContext} ctx */
  async cleanup(ctx) {
    await ctx.docker(['image', 'rm', '-f', TAG]).catch(() => '');
  },
};
