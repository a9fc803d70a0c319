// Packing a build context to stdout: Berth's packDirectory, or tar-fs (what dockerode uses)
// over the same file list.
import { pipeline } from 'node:stream/promises';
import { readFileSync } from 'node:fs';
import { packDirectory } from '@berth/build-context';
import tarFs from 'tar-fs';
import { fail, readTask, reportResult, since } from './task.mjs';

const task = readTask();
try {
  const start = process.hrtime.bigint();
  if (task.op === 'berth') {
    const { stream } = await packDirectory(task.context);
    await pipeline(stream, process.stdout);
  } else if (task.op === 'tar-fs') {
    const entries = readFileSync(task.list, 'utf8').split('\n').filter((line) => line !== '');
    await pipeline(tarFs.pack(task.context, { entries }), process.stdout);
  } else {
    throw new Error(`pack: unknown op ${task.op}`);
  }
  reportResult(task, { opMs: since(start) });
} catch (error) {
  fail(error);
}
