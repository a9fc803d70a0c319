import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTestEngine } from '@berth/test-engine';
import { packDirectory } from '../../src/index.js';
import { patternTable } from '../support/pattern-table.js';
import { startCaptureProxy, type CaptureProxy } from '../support/capture-proxy.js';
import { cliBuild, findDockerCli } from '../support/docker-cli.js';
import { listTar } from '../support/tar-listing.js';

const engine = findTestEngine();
describe.runIf(engine)('dev: table vs cli', () => {
  let base: string; let proxy: CaptureProxy; const cli = process.env['CLI'] ?? findDockerCli();
  const results = new Map<number, { cli: string[]; ours: string[] }>();
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'bctable-'));
    proxy = await startCaptureProxy(engine!.socketPath, base);
    const rows = patternTable.map((row, index) => ({ row, index }));
    const queue = [...rows];
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        const { row: [patterns, path], index } = item;
        const dir = join(base, `c${index}`);
        await mkdir(dirname(join(dir, path)), { recursive: true });
        await writeFile(join(dir, path), 'x');
        await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
        await writeFile(join(dir, '.dockerignore'), patterns.join('\n') + '\n');
        const tag = `berth-dev/t${index}`;
        try { await cliBuild(cli, { dockerHost: proxy.dockerHost, context: dir, tag, cwd: base }); } catch (e) { results.set(index, { cli: ['ERROR ' + String((e as Error).message).slice(0, 200)], ours: [] }); continue; }
        const cliEntries = (await listTar(proxy.takeBuild(tag).body)).map((e) => e.name);
        let ours: string[];
        try { ours = (await listTar((await packDirectory(dir)).stream)).map((e) => e.name); } catch (e) { ours = ['ERROR ' + (e as Error).message]; }
        results.set(index, { cli: cliEntries, ours });
      }
    }));
  }, 120_000);
  afterAll(async () => { await proxy?.close(); await rm(base, { recursive: true, force: true }); });
  it('all rows', () => {
    const mismatches: unknown[] = [];
    patternTable.forEach((row, index) => { const r = results.get(index)!; if (JSON.stringify(r.cli) !== JSON.stringify(r.ours)) mismatches.push({ row, ...r }); });
    console.log(JSON.stringify(mismatches, null, 1));
    expect(mismatches).toEqual([]);
  });
});
