// berth-images with pipes (no terminal) against the harness engine and registry: plain progress
// lines, every command, `--format json`, and errors that print one line and exit non-zero.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { findTestEngine, secretFormsOf, startAuthRegistry, uniqueName, type AuthRegistry } from '@berth/test-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliFixture, writeContext, type CliFixture } from '../support/cli-fixture.js';
import { runCli } from '../support/run-cli.js';

const engine = findTestEngine();
const escape = /\x1b/;

describe.runIf(engine)('berth-images without a terminal', () => {
  const harness = engine!;
  let fixture: CliFixture;
  let source: string;

  const cli = (args: readonly string[], options: { input?: string | Buffer; environment?: NodeJS.ProcessEnv } = {}) =>
    runCli(args, { environment: { ...fixture.environment, ...options.environment }, cwd: fixture.workspace, ...(options.input === undefined ? {} : { input: options.input }) });

  beforeAll(async () => {
    fixture = await createCliFixture(harness);
    // A small image of our own: the seed plus one layer.
    const context = await writeContext(join(fixture.workspace, 'source'), { Dockerfile: `FROM ${harness.seedImage}\nRUN head -c 200000 /dev/urandom > /blob\nLABEL org.berth.test=cli\n` });
    source = fixture.track(`${uniqueName('cli-source')}:1`);
    await fixture.docker.images.build({ path: context, tag: source, networkMode: 'none', version: '1' });
  }, 60_000);

  afterAll(async () => {
    await fixture?.close();
  });

  it('pull and push print one plain line per change of a layer, without bars, counts or escape codes', async () => {
    // An image of its own, so that its top layer is nowhere but in the registry after the push.
    const name = `${harness.registry}/${uniqueName('cli-plain')}`;
    const context = await writeContext(join(fixture.workspace, 'plain-pull'), { Dockerfile: `FROM ${harness.seedImage}\nRUN head -c 100000 /dev/urandom > /blob\n` });
    await fixture.docker.images.build({ path: context, tag: fixture.track(`${name}:1`), networkMode: 'none', version: '1' });
    const pushed = await cli(['push', `${name}:1`]);
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).not.toMatch(escape);
    expect(pushed.stdout.split('\n')).toEqual(expect.arrayContaining([expect.stringMatching(/^[0-9a-f]{12}: Pushed$/), expect.stringMatching(/^1: digest: sha256:/)]));
    expect(pushed.stdout).not.toMatch(/\d+(\.\d+)?[kM]?B\//);

    expect((await cli(['rm', `${name}:1`])).code).toBe(0);
    const pulled = await cli(['pull', `${name}:1`]);
    expect(pulled.code).toBe(0);
    const lines = pulled.stdout.trim().split('\n');
    expect(lines[0]).toBe(`1: Pulling from ${name.slice(harness.registry.length + 1)}`);
    const downloaded = lines.filter((line) => /^[0-9a-f]{12}: /.test(line));
    const layer = downloaded.find((line) => line.endsWith(': Pull complete'))?.slice(0, 12);
    expect(layer).toBeDefined();
    // Each state once, in order, and never a byte count.
    const states = downloaded.filter((line) => line.startsWith(`${layer}:`)).map((line) => line.slice(14));
    expect(states[0]).toBe('Pulling fs layer');
    expect(states.at(-1)).toBe('Pull complete');
    expect(new Set(states).size).toBe(states.length);
    expect(lines.at(-1)).toBe(`${name}:1`);
    expect(pulled.stdout).not.toMatch(escape);
  }, 60_000);

  it('build with BuildKit prints --progress=plain lines; -q prints only the image id', async () => {
    const context = await writeContext(join(fixture.workspace, 'plain-build'), { Dockerfile: `FROM ${harness.seedImage}\nRUN echo plain-output\n` });
    const tag = fixture.track(`${uniqueName('cli-plain-build')}:1`);
    const built = await cli(['build', '--no-cache', '--network', 'none', '-t', tag, context]);
    expect(built.code).toBe(0);
    expect(built.stderr).not.toMatch(escape);
    const lines = built.stderr.trim().split('\n');
    const run = lines.find((line) => /^#\d+ \[2\/2\] RUN echo plain-output$/.test(line))?.split(' ')[0];
    expect(run).toBeDefined();
    expect(lines).toContain(`${run} plain-output`);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${run} DONE \\d+\\.\\ds$`)));
    expect(lines.filter((line) => line === `${run} [2/2] RUN echo plain-output`)).toHaveLength(1);

    const quiet = await cli(['build', '-q', '--network', 'none', '-t', tag, context]);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout.trim()).toBe((await fixture.docker.images.get(tag)).id);
    expect(quiet.stderr).toBe('');
  }, 60_000);

  it('a failed build prints one ERROR line with the failing step, and exits 1', async () => {
    const context = await writeContext(join(fixture.workspace, 'failing-build'), { Dockerfile: `FROM ${harness.seedImage}\nRUN exit 7\n` });
    const failed = await cli(['build', '--network', 'none', '--progress', 'quiet', context]);
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ERROR: .*exit code: 7$/)]);
  }, 60_000);

  it('ls, inspect and history, as tables and as JSON', async () => {
    const listed = await cli(['ls', source.split(':')[0] as string, '--format', 'json']);
    expect(listed.code).toBe(0);
    const rows = listed.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    const image = await fixture.docker.images.get(source);
    expect(rows).toEqual([expect.objectContaining({ Repository: source.split(':')[0], Tag: '1', ID: image.id.slice(7, 19), CreatedSince: expect.stringMatching(/ago$/) })]);
    const table = await cli(['ls', source.split(':')[0] as string]);
    expect(table.stdout.split('\n')[0]).toMatch(/^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE$/);
    expect((await cli(['ls', '-q', source.split(':')[0] as string])).stdout).toBe(`${image.id.slice(7, 19)}\n`);

    const inspected = await cli(['inspect', source]);
    expect(inspected.code).toBe(0);
    expect((JSON.parse(inspected.stdout) as { Id: string; Config: { Labels: Record<string, string> } }[])[0]).toMatchObject({ Id: image.id, Config: { Labels: { 'org.berth.test': 'cli' } } });

    const history = await cli(['history', '--format', 'json', '--no-trunc', source]);
    const layers = history.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(layers[0]).toMatchObject({ ID: image.id, CreatedBy: expect.stringContaining('LABEL org.berth.test=cli') });
    expect(layers.some((layer) => layer['Size'] === '200kB')).toBe(true);
  });

  it('tag, rm and prune (with its confirmation)', async () => {
    const copy = `${uniqueName('cli-tag')}:copy`;
    expect((await cli(['tag', source, copy])).code).toBe(0);
    expect((await fixture.docker.images.get(copy)).id).toBe((await fixture.docker.images.get(source)).id);
    const removed = await cli(['rm', copy, 'berth-it/never-there:1']);
    expect(removed.code).toBe(1);
    expect(removed.stdout).toBe(`Untagged: ${copy}\n`);
    expect(removed.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Error response from daemon: No such image: berth-it\/never-there:1$/)]);

    // A dangling image: build a tag twice with different content.
    const context = await writeContext(join(fixture.workspace, 'dangling'), { Dockerfile: `FROM ${harness.seedImage}\nLABEL round=1\n` });
    const tag = fixture.track(`${uniqueName('cli-prune')}:1`);
    const first = await fixture.docker.images.build({ path: context, tag, version: '1' });
    await writeContext(context, { Dockerfile: `FROM ${harness.seedImage}\nLABEL round=2\n` });
    await fixture.docker.images.build({ path: context, tag, version: '1' });
    const dangling = first.image.id;

    const declined = await cli(['prune'], { input: 'n\n' });
    expect(declined.code).toBe(0);
    expect(declined.stderr).toContain('WARNING! This will remove all dangling images.');
    expect((await fixture.docker.images.get(dangling)).id).toBe(dangling);

    const pruned = await cli(['prune', '-f', '--filter', 'label=round=1']);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain(`deleted: ${dangling}`);
    expect(pruned.stdout).toMatch(/Total reclaimed space: /);
    await expect(fixture.docker.images.get(dangling)).rejects.toThrow(/No such image/);
  }, 60_000);

  it('save -o and load -i round trip; a failed save leaves no file behind', async () => {
    const archive = join(fixture.workspace, 'saved.tar');
    const saved = await cli(['save', '-o', archive, source]);
    expect(saved.code).toBe(0);
    expect(saved.stderr).toMatch(/^Saving berth-it\/cli-source-[a-z0-9]+:1: [\d.]+[kM]B in \d+\.\ds, done\n$/);
    const before = readdirSync(fixture.workspace);
    const id = (await fixture.docker.images.get(source)).id;
    await fixture.docker.images.remove(source);
    const loaded = await cli(['load', '-i', archive]);
    expect(loaded.code).toBe(0);
    expect(loaded.stdout).toContain(`Loaded image: ${source}`);
    expect((await fixture.docker.images.get(source)).id).toBe(id);

    const failed = await cli(['save', '-o', join(fixture.workspace, 'never.tar'), 'berth-it/never-there:1']);
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Error response from daemon: /)]);
    expect(existsSync(join(fixture.workspace, 'never.tar'))).toBe(false);
    expect(readdirSync(fixture.workspace)).toEqual(before);

    const toTerminal = await cli(['save', source], { environment: {} });
    expect(toTerminal.code).toBe(0); // stdout is a pipe here: the archive goes to it
    expect(toTerminal.stdout.length).toBeGreaterThan(100_000);
  }, 60_000);

  it('search asks the registry through the engine', async () => {
    const { server, port } = await searchServer();
    try {
      const found = await cli(['search', '--format', 'json', '--limit', '2', `127.0.0.1:${port}/team`]);
      expect(found.code).toBe(0);
      expect(found.stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([
        { Name: 'team/one', Description: 'the first', StarCount: '12', IsOfficial: '' },
        { Name: 'team/two', Description: 'the second', StarCount: '1', IsOfficial: '[OK]' },
      ]);
    } finally {
      server.close();
    }
  }, 60_000);

  describe('errors: one line on stderr and a non-zero exit', () => {
    it('no engine', async () => {
      const result = await cli(['ls'], { environment: { DOCKER_HOST: 'unix:///tmp/berth-no-engine-here.sock' } });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('Cannot connect to the Docker daemon at unix:///tmp/berth-no-engine-here.sock. Is the docker daemon running?\n');
    });

    it('unknown image', async () => {
      const inspected = await cli(['inspect', 'berth-it/no-such-image:1']);
      expect(inspected.code).toBe(1);
      expect(inspected.stderr).toBe('Error: No such image: berth-it/no-such-image:1\n');
      const pulled = await cli(['pull', `${harness.registry}/berth-it/no-such-image:1`]);
      expect(pulled.code).toBe(1);
      expect(pulled.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Error response from daemon: .*(not found|unknown)/)]);
    });

    it('bad flags and arguments, like docker (125 for flags)', async () => {
      const flag = await cli(['ls', '--no-such-flag']);
      expect(flag.code).toBe(125);
      expect(flag.stderr.split('\n')[0]).toMatch(/--no-such-flag/);
      expect((await cli(['tag', 'only-one'])).code).toBe(1);
      expect((await cli(['no-such-command'])).stderr.split('\n')[0]).toBe('unknown command: berth-images no-such-command');
    });

    describe('a registry that checks passwords', () => {
      let registry: AuthRegistry;
      beforeAll(async () => {
        registry = await startAuthRegistry();
      });
      afterAll(async () => {
        await registry?.close();
      });

      it('refuses a push without login and a login with a wrong password; accepts them after a good login', async () => {
        const name = fixture.track(`${registry.address}/${uniqueName('cli-auth')}:1`);
        await (await fixture.docker.images.get(source)).tag(name.slice(0, name.lastIndexOf(':')), '1');
        const refused = await cli(['push', '--progress', 'quiet', name]);
        expect(refused.code).toBe(1);
        expect(refused.stderr.trim().split('\n')).toEqual([expect.stringMatching(/no basic auth credentials|unauthorized|authentication required/)]);

        const wrong = await cli(['login', registry.address, '-u', registry.username, '--password-stdin'], { input: 'not-the-password\n' });
        expect(wrong.code).toBe(1);
        expect(wrong.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Error response from daemon: .*(401|unauthorized)/i)]);
        expect(existsSync(join(fixture.environment['DOCKER_CONFIG'] as string, 'config.json'))).toBe(false);

        const good = await cli(['login', registry.address, '-u', registry.username, '--password-stdin'], { input: `${registry.password}\n` });
        expect(good.code).toBe(0);
        expect(good.stdout).toBe('Login Succeeded\n');
        // Neither the right password nor the wrong one, in any form, is printed.
        for (const secret of [...secretFormsOf(registry.username, registry.password).slice(0, 2), ...secretFormsOf(registry.username, 'not-the-password').slice(0, 2)]) {
          expect(`${wrong.stdout}${wrong.stderr}${good.stdout}${good.stderr}`).not.toContain(secret);
        }
        const config = JSON.parse(readFileSync(join(fixture.environment['DOCKER_CONFIG'] as string, 'config.json'), 'utf8')) as { auths: Record<string, unknown> };
        expect(Object.keys(config.auths)).toEqual([registry.address]);

        const pushed = await cli(['push', name]);
        expect(pushed.code).toBe(0);
        expect(pushed.stdout).toMatch(/1: digest: sha256:/);
      }, 60_000);
    });
  });
});

/** A registry v1 search endpoint on 127.0.0.1 (the distribution registry has none). */
function searchServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    response.setHeader('Content-Type', 'application/json');
    if (url.pathname === '/v1/search') {
      const query = url.searchParams.get('q') ?? '';
      const results = [
        { name: `${query}/one`, description: 'the first', star_count: 12, is_official: false },
        { name: `${query}/two`, description: 'the second', star_count: 1, is_official: true },
        { name: `${query}/three`, description: 'the third', star_count: 0, is_official: false },
      ].slice(0, Number(url.searchParams.get('n') ?? 25));
      response.end(JSON.stringify({ num_results: results.length, query, results }));
      return;
    }
    response.end('{}');
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })));
}
