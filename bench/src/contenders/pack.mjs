// Packing a build context to stdout: Berth's packDirectory, or tar-fs (what dockerode uses)
// over the same file list.
import { pipeline } from 'node:stream/promises';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
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
    // The same entries as Berth (its .dockerignore result), as dockerode filters tar-fs: by an ignore callback.
    const packed = new Set(readFileSync(task.list, 'utf8').split('\n').filter((line) => line !== '').map((name) => name.replace(/\/$/, '')));
    const ignore = (/** @type {string} */ name) => !packed.has(relative(task.context, name));
    await pipeline(tarFs.pack(task.context, { ignore }), process.stdout);
  } else {
    throw new Error(`pack: unknown op ${task.op}`);
  }
  reportResult(task, { opMs: since(start) });
} catch (error) {
  fail(error);
}
