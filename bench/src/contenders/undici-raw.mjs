// Raw undici on the engine socket: the floor for a Node client (no SDK at all).
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Agent } from 'undici';
import { drainTimed, inspectModes, nullSink } from './io.mjs';
import { runContender, since } from './task.mjs';

await runContender(run);

/** @param {Record<string, any>} task */
async function run(task) {
  const agent = new Agent({ connect: { socketPath: task.socketPath }, connections: 128 });
  const base = { origin: 'http://localhost' };
  const version = `/v${task.apiVersion ?? '1.41'}`;
  try {
    if (task.op === 'save') {
      const start = process.hrtime.bigint();
      const { statusCode, body } = await agent.request({ ...base, method: 'GET', path: `${version}/images/${encodeURIComponent(task.image)}/get` });
      if (statusCode !== 200) throw new Error(`save: HTTP ${statusCode}: ${await body.text()}`);
      const ttfbMs = since(start);
      // Every chunk written as it comes, without backpressure (/dev/null keeps up): the floor of
      // undici itself. A plain pipeline() here pauses and resumes undici once per chunk, and
      // undici copies the bytes waiting on its socket at every resume (see the README).
      const sink = nullSink();
      body.on('data', (chunk) => sink.write(chunk));
      await new Promise((resolve, reject) => {
        body.once('end', resolve);
        body.once('error', reject);
      });
      await new Promise((resolve) => sink.end(resolve));
      return { ttfbMs, opMs: since(start), bytes: sink.bytesWritten };
    }
    if (task.op === 'save-pipeline') {
      // The same with backpressure (pipeline into the file): what a client that never buffers
      // unboundedly pays, one write per chunk. Shows the cost of backpressure itself.
      const start = process.hrtime.bigint();
      const { statusCode, body } = await agent.request({ ...base, method: 'GET', path: `${version}/images/${encodeURIComponent(task.image)}/get` });
      if (statusCode !== 200) throw new Error(`save: HTTP ${statusCode}: ${await body.text()}`);
      return await drainTimed(body, start);
    }
    if (task.op === 'load') {
      const start = process.hrtime.bigint();
      const { statusCode, body } = await agent.request({
        ...base,
        method: 'POST',
        path: `${version}/images/load?quiet=1`,
        headers: { 'content-type': 'application/x-tar' },
        body: createReadStream(task.file),
      });
      const text = await body.text();
      if (statusCode !== 200 || text.includes('"error"')) throw new Error(`load: HTTP ${statusCode}: ${text}`);
      return { opMs: since(start) };
    }
    if (task.op === 'inspect') {
      const path = `${version}/images/${encodeURIComponent(task.image)}/json`;
      return await inspectModes(async () => {
        const { statusCode, body } = await agent.request({ ...base, method: 'GET', path });
        const value = await body.json();
        if (statusCode !== 200) throw new Error(`inspect: HTTP ${statusCode}`);
        return value;
      }, task);
    }
    throw new Error(`undici-raw: unknown op ${task.op}`);
  } finally {
    await agent.close();
  }
}
