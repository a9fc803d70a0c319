// berth-images in a real pseudo-terminal (tmux) against the harness engine and registry: what a
// user sees while a pull, push or build runs and after it ended, and what Ctrl-C leaves behind.
import { join } from 'node:path';
import { eventually, findTestEngine, startSlowProxy, uniqueName, type SlowProxy } from '@berth/test-engine';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { containersWithCommand, createCliFixture, processesRunning, writeContext, type CliFixture } from '../support/cli-fixture.js';
import { cliPath } from '../support/run-cli.js';
import { TmuxSession } from '../support/tmux-session.js';

const engine = findTestEngine();
const layerSize = 3_000_000;

describe.runIf(engine)('berth-images in a terminal', () => {
  const harness = engine!;
  let fixture: CliFixture;
  let proxy: SlowProxy;
  /** Repositories (without registry) of images only in the registry, each on top of the seed with a 3 MB layer of random bytes. */
  let repository: string;
  let cancelRepository: string;
  let session: TmuxSession | undefined;

  async function imageInRegistryOnly(prefix: string): Promise<string> {
    const name = uniqueName(prefix);
    const context = await writeContext(join(fixture.workspace, prefix), {
      Dockerfile: `FROM ${harness.seedImage}\nRUN head -c ${layerSize} /dev/urandom > /blob\n`,
    });
    const tag = `${harness.registry}/${name}:1`;
    await fixture.docker.images.build({ path: context, tag, networkMode: 'none', version: '1' });
    await fixture.docker.images.push(`${harness.registry}/${name}`, { tag: '1' });
    await fixture.docker.images.remove(tag);
    return name;
  }

  beforeAll(async () => {
    fixture = await createCliFixture(harness);
    repository = await imageInRegistryOnly('cli-pull');
    cancelRepository = await imageInRegistryOnly('cli-cancel-pull');
    // About two seconds for a 3 MB layer.
    proxy = await startSlowProxy(harness.registry, 1_500_000);
  }, 120_000);

  afterEach(() => {
    session?.close();
    session = undefined;
  });

  afterAll(async () => {
    await proxy?.close();
    await fixture?.close();
  });

  function run(args: readonly string[], environment: NodeJS.ProcessEnv = {}): TmuxSession {
    session = new TmuxSession([process.execPath, cliPath, ...args], { environment: { ...fixture.environment, ...environment }, cwd: fixture.workspace, columns: 110, rows: 40 });
    return session;
  }

  it('pull: per-layer bars while downloading, then each layer once in its final state', async () => {
    const reference = fixture.track(`${proxy.address}/${repository}:1`);
    const terminal = run(['pull', reference]);
    // A bar with byte counts, redrawn in place while the layer downloads.
    const during = await terminal.waitFor((screen) => screen.some((line) => /^[0-9a-f]{12}: Downloading \[=*>? *\] [\d.]+[kM]?B\/3\.001MB$/.test(line)), 30_000, 'a download bar');
    expect(during.filter((line) => line.includes(': Downloading'))).toHaveLength(1);

    expect(await terminal.waitForExit(60_000)).toBe(0);
    const screen = terminal.output();
    expect(screen[0]).toBe('1: Pulling from ' + repository);
    const layerLines = screen.filter((line) => /^[0-9a-f]{12}: /.test(line));
    expect(layerLines).toHaveLength(2);
    expect(layerLines[0]).toMatch(/: Already exists$/);
    expect(layerLines[1]).toMatch(/: Pull complete$/);
    expect(screen).toContainEqual(expect.stringMatching(/^Digest: sha256:[0-9a-f]{64}$/));
    expect(screen).toContain(`Status: Downloaded newer image for ${reference}`);
    expect(screen.at(-1)).toBe(reference);
    // No leftover of the redraws: no bar, no half-erased line, nothing twice.
    expect(screen.join('\n')).not.toMatch(/\[=|Downloading|Extracting|Waiting/);
    expect(new Set(screen).size).toBe(screen.length);
    expect((await fixture.docker.images.get(reference)).tags).toContain(reference);
  }, 90_000);

  it('push: each layer once, ending pushed or already there, and the digest', async () => {
    const target = fixture.track(`${harness.registry}/${uniqueName('cli-push')}:2`);
    await (await fixture.docker.images.get(`${proxy.address}/${repository}:1`)).tag(target.slice(0, target.lastIndexOf(':')), '2');
    const terminal = run(['push', target]);
    expect(await terminal.waitForExit(60_000)).toBe(0);
    const screen = terminal.output();
    expect(screen[0]).toMatch(/^The push refers to repository \[/);
    const layerLines = screen.filter((line) => /^[0-9a-f]{12}: /.test(line));
    expect(layerLines).toHaveLength(2);
    for (const line of layerLines) expect(line).toMatch(/: (Pushed|Layer already exists|Mounted from .+)$/);
    expect(screen.at(-1)).toMatch(/^2: digest: sha256:[0-9a-f]{64} size: \d+$/);
    expect(screen.join('\n')).not.toMatch(/\[=|Pushing|Preparing|Waiting/);
  }, 90_000);

  it('build with BuildKit: each step once with its time, the flags applied, and a FINISHED summary', async () => {
    const context = await writeContext(join(fixture.workspace, 'bk-context'), {
      'other.Dockerfile': [
        `FROM ${harness.seedImage} AS first`,
        'ARG GREETING=unset',
        'RUN echo "greeting: $GREETING" && echo "$GREETING" > /greeting',
        'FROM first AS second',
        'RUN echo "never built: target is first" && exit 9',
        '',
      ].join('\n'),
    });
    const tag = fixture.track(`${uniqueName('cli-bk')}:1`);
    const terminal = run(['build', '-t', tag, '-f', join(context, 'other.Dockerfile'), '--build-arg', 'GREETING=hello', '--target', 'first', '--platform', 'linux/amd64', '--no-cache', '--network', 'none', context]);
    expect(await terminal.waitForExit(60_000)).toBe(0);
    const screen = terminal.output();
    const steps = screen.filter((line) => /^=> (?!=>)/.test(line));
    expect(steps.filter((line) => line.includes('[first 2/2] RUN echo "greeting: hello"'))).toHaveLength(1);
    expect(steps.every((line) => !line.includes('never built'))).toBe(true);
    expect(steps.filter((line) => line.includes('exporting to image'))).toHaveLength(1);
    expect(new Set(steps).size).toBe(steps.length);
    expect(screen.at(-1)).toMatch(/^\[\+\] Building \d+\.\ds \(\d+\/\d+(, \d+ cached)?\) FINISHED$/);
    const image = await fixture.docker.images.get(tag);
    expect(image.attrs.Architecture).toBe('amd64');
  }, 90_000);

  it('build with the classic builder: the Step lines and output as docker prints them', async () => {
    const context = await writeContext(join(fixture.workspace, 'classic-context'), {
      Dockerfile: `FROM ${harness.seedImage}\nARG WHO=nobody\nRUN echo "built by $WHO"\n`,
    });
    const tag = fixture.track(`${uniqueName('cli-classic')}:1`);
    const terminal = run(['build', '--classic', '-t', tag, '--build-arg', 'WHO=berth', '--network', 'none', context]);
    expect(await terminal.waitForExit(60_000)).toBe(0);
    const screen = terminal.output();
    expect(screen).toContain(`Step 1/3 : FROM ${harness.seedImage}`);
    expect(screen).toContain('built by berth');
    expect(screen.at(-1)).toBe(`Successfully tagged ${tag}`);
  }, 90_000);

  it('login: Ctrl-D at the hidden password prompt ends the input instead of hanging', async () => {
    // review 1: raw mode hands Ctrl-D over as a character, which was taken as part of the password.
    const terminal = run(['login', '-u', 'me', harness.registry]);
    await terminal.waitFor((screen) => screen.some((line) => line.startsWith('Password:')), 10_000, 'the password prompt');
    terminal.sendKeys('C-d');
    expect(await terminal.waitForExit(10_000)).not.toBe(0);
    expect(terminal.output().join('\n')).toContain('Username and password are required');
  }, 30_000);

  it('Ctrl-C during a pull: exits 130 at once, the engine stops downloading, no image is left', async () => {
    const reference = `${proxy.address}/${cancelRepository}:1`;
    const terminal = run(['pull', reference]);
    await terminal.waitFor((screen) => screen.some((line) => line.includes(': Downloading')), 30_000, 'the download');
    terminal.sendKeys('C-c');
    expect(await terminal.waitForExit(10_000)).toBe(130);
    expect(terminal.output().at(-1)).toBe('canceled');
    // The CLI closed its connection, so the engine cancelled the pull and closed its own.
    await eventually(() => proxy.openConnections() === 0, 'the engine closed its side of the pull', 15_000);
    await expect(fixture.docker.images.get(reference)).rejects.toThrow(/No such image/);
  }, 90_000);

  for (const builder of ['buildkit', 'classic'] as const) {
    it(`Ctrl-C during a ${builder} build: exits 130, the RUN step's process ends, no container or image is left`, async () => {
      const seconds = builder === 'buildkit' ? '3217' : '3218';
      const context = await writeContext(join(fixture.workspace, `cancel-${builder}`), {
        Dockerfile: `FROM ${harness.seedImage}\nRUN echo started && sleep ${seconds}\n`,
      });
      const tag = fixture.track(`${uniqueName(`cli-cancel-${builder}`)}:1`);
      const terminal = run(['build', ...(builder === 'classic' ? ['--classic'] : []), '--no-cache', '--network', 'none', '-t', tag, context]);
      await eventually(() => processesRunning(['sleep', seconds]).length > 0, "the RUN step's sleep started", 30_000);
      expect(processesRunning(['sleep', seconds])).not.toEqual([]);
      terminal.sendKeys('C-c');
      expect(await terminal.waitForExit(10_000)).toBe(130);
      const screen = terminal.output();
      expect(screen.at(-1)).toBe('canceled');
      if (builder === 'buildkit') expect(screen).toContainEqual(expect.stringMatching(/CANCELED$/));
      await eventually(() => processesRunning(['sleep', seconds]).length === 0, "the RUN step's sleep ended", 20_000);
      await eventually(() => containersWithCommand(harness, `sleep ${seconds}`).length === 0, "the RUN step's container is gone", 20_000);
      await expect(fixture.docker.images.get(tag)).rejects.toThrow(/No such image/);
    }, 90_000);
  }
});
