// Pack the generated 22k-file context (with its .dockerignore) to a pipe: GNU tar over the same
// file list (the floor), Berth's packDirectory, tar-fs (what dockerode packs with) filtered to
// the same entries. The archive bytes are read and counted by the runner.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureContext } from '../lib/fixtures.mjs';
import { measureProcess } from '../lib/measure-process.mjs';
import { runNodeContender } from '../lib/contender.mjs';

const run = promisify(execFile);

export default {
  id: 'pack',
  order: 30,
  description: 'pack a 22k-file, 124 MB build context with a .dockerignore to a pipe: GNU tar (same list), Berth packDirectory, tar-fs',
  /** @param {import('../lib/context.mjs').BenchContext} ctx */
  async prepare(ctx) {
    const context = await ensureContext(ctx.workDir);
    const list = await packedEntries(context, ctx.workDir);
    return [
      {
        id: 'pack-22k',
        title: `pack the 22k-file context (${list.count.toLocaleString('en-US')} entries after .dockerignore) → pipe`,
        floor: 'GNU tar',
        contenders: [
          {
            name: 'GNU tar',
            run: () => measureProcess('tar', ['-cf', '-', '--no-recursion', '--numeric-owner', '-C', context, '-T', list.file], { stdout: 'count' }).then(withBytes),
          },
          { name: 'Berth packDirectory', run: () => runNodeContender('pack', { op: 'berth', context }, { stdout: 'count' }).then(withBytes) },
          { name: 'tar-fs', run: () => runNodeContender('pack', { op: 'tar-fs', context, list: list.file }, { stdout: 'count' }).then(withBytes) },
        ],
        notes: (/** @type {any[]} */ runs) => `${((runs[0]?.stdoutBytes ?? 0) / 2 ** 20).toFixed(1)} MiB archive`,
      },
    ];
  },
};

/** @param {any} run */
function withBytes(run) {
  return { ...run, reported: { ...run.reported, bytes: run.stdoutBytes } };
}

/**
 * The entries Berth packs (its own archive, listed by GNU tar), written one a line for GNU tar
 * and tar-fs, so that every contender archives the same files.
 *
 * @param {string} context
 * @param {string} workDir
 */
async function packedEntries(context, workDir) {
  const script = `import { packDirectory } from '@berth/build-context'; const { stream } = await packDirectory(${JSON.stringify(context)}); stream.pipe(process.stdout);`;
  const archive = join(workDir, 'context-22k.berth.tar');
  await run('sh', ['-c', `${JSON.stringify(process.execPath)} --input-type=module -e "$0" > ${JSON.stringify(archive)}`, script], { cwd: new URL('../..', import.meta.url).pathname });
  const { stdout } = await run('tar', ['-tf', archive], { maxBuffer: 64 * 1024 * 1024 });
  const names = stdout.split('\n').filter((line) => line !== '');
  const file = join(workDir, 'context-22k.list');
  await writeFile(file, `${names.join('\n')}\n`);
  return { file, count: names.length, names };
}

export { packedEntries };
