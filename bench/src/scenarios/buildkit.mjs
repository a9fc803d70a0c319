// BuildKit with a build session on the generated 22k-file, 124 MB context (22,000 files after
// its .dockerignore):
// - `buildkit-rebuild`: rebuild after one file changed, the step mounting the whole context
//   (no layer written) and reading the changed file: the context uploaded as a tar (the floor,
//   what a client without a session does; the engine receives and unpacks all of it) against the
//   session's file sync (the engine is sent the listing of every entry and the changed file
//   only). The step itself is kept small so that the numbers are the context's. The change is
//   made before each run, untimed.
// - `buildkit-first`: a first build with `COPY . /context/` on an empty build cache: the classic
//   builder (the floor) against BuildKit with the tar upload and with file sync.
// Every contender is Berth's images.build in its own process (see contenders/berth-buildkit.mjs).
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ensureContext } from '../lib/fixtures.mjs';
import { runNodeContender } from '../lib/contender.mjs';

const TAG = 'berth-bench/buildkit-22k:latest';

export default {
  id: 'buildkit',
  order: 45,
  description: 'BuildKit sessions on the 22k-file context: rebuild after a one-file change (file sync vs tar upload), first build vs the classic builder',
  /** @param {import('../lib/context.mjs').BenchContext} ctx */
  async prepare(ctx) {
    const context = await ensureContext(ctx.workDir);
    const directory = join(ctx.workDir, 'buildkit');
    await mkdir(directory, { recursive: true });
    const emptyConfig = await mkdtemp(join(directory, 'docker-config-'));
    // Dockerfiles outside the context, so that changing them never changes the context.
    const mountDockerfile = join(directory, 'Dockerfile.mount');
    await writeFile(
      mountDockerfile,
      `FROM ${ctx.engine.seedImage}\nARG NONCE\nRUN --mount=type=bind,target=/context cat /context/changed-by-the-buildkit-scenario.js\n`,
    );
    const copyDockerfile = join(directory, 'Dockerfile.copy');
    await writeFile(copyDockerfile, 'FROM scratch\nCOPY . /context/\n');
    const changed = join(context, 'changed-by-the-buildkit-scenario.js');
    const base = { socketPath: ctx.engine.socketPath, context, tag: TAG, apiVersion: ctx.apiVersion, emptyConfig };

    const touchOneFile = async () => {
      await writeFile(changed, `// ${randomBytes(16).toString('hex')}\n`);
    };
    const emptyBuildCache = async () => {
      await ctx.docker(['image', 'rm', '-f', TAG]).catch(() => '');
      await ctx.docker(['builder', 'prune', '--all', '--force']).catch(() => '');
    };
    // Each contender's rebuild starts from its own previous build of the same context.
    const rebuild = (sync) => async () => runNodeContender('berth-buildkit', { ...base, dockerfile: mountDockerfile, version: '2', sync, nonce: randomBytes(8).toString('hex') });
    /** @param {{ reported?: Record<string, any> }[]} measurements */
    const notes = (measurements) => {
      const sent = measurements.map((measurement) => measurement.reported).filter((reported) => typeof reported?.filesSent === 'number');
      if (sent.length === 0) return '';
      const last = sent[sent.length - 1];
      return `the session sent ${last.filesSent} files, ${(last.bytesSent / 1e6).toFixed(2)} MB (last run)`;
    };

    await touchOneFile();
    // Warm both paths once, so that every timed rebuild has a previous build to start from.
    await rebuild(false)();
    await rebuild(true)();
    return [
      {
        id: 'buildkit-rebuild',
        title: 'BuildKit rebuild after a one-file change (22k files, 124 MB context)',
        floor: 'BuildKit, tar upload',
        notes,
        contenders: [
          { name: 'BuildKit, tar upload', before: touchOneFile, run: rebuild(false) },
          { name: 'BuildKit, session file sync', before: touchOneFile, run: rebuild(true) },
        ],
      },
      {
        id: 'buildkit-first',
        title: 'first build, COPY . /context/, empty build cache (22k files, 124 MB context)',
        floor: 'classic builder',
        notes,
        contenders: [
          { name: 'classic builder', before: emptyBuildCache, run: () => runNodeContender('berth-buildkit', { ...base, dockerfile: copyDockerfile, version: '1' }) },
          { name: 'BuildKit, tar upload', before: emptyBuildCache, run: () => runNodeContender('berth-buildkit', { ...base, dockerfile: copyDockerfile, version: '2', sync: false }) },
          { name: 'BuildKit, session file sync', before: emptyBuildCache, run: () => runNodeContender('berth-buildkit', { ...base, dockerfile: copyDockerfile, version: '2', sync: true }) },
        ],
      },
    ];
  },
  /** @param {import('../lib/context.mjs').BenchContext} ctx */
  async cleanup(ctx) {
    await ctx.docker(['image', 'rm', '-f', TAG]).catch(() => '');
    // The shared context goes back to what the other scenarios expect.
    await rm(join(await ensureContext(ctx.workDir), 'changed-by-the-buildkit-scenario.js'), { force: true });
  },
};
