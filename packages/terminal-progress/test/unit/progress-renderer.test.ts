import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError } from '@berth/engine-protocol';
import type { ProgressEvent } from '@berth/images';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { countBytes, createProgressRenderer, renderProgress, type ProgressRendererOptions } from '../../src/index.js';
import { fixtureEvents } from '../support/fixtures.js';
import { VirtualTerminal } from '../support/virtual-terminal.js';

const escape = /\x1b/;

/** A clock that advances 10 ms per reading, for stable durations. */
function clock(): () => number {
  let now = 1_700_000_000_000;
  return () => (now += 10);
}

function renderTo(terminal: VirtualTerminal | PassThrough, events: readonly ProgressEvent[], options: Omit<ProgressRendererOptions, 'output'>): void {
  const renderer = createProgressRenderer({ redrawIntervalMs: 0, environment: {}, now: clock(), ...options, output: terminal as never });
  for (const event of events) renderer.update(event);
  renderer.finish(events.some((event) => event.type === 'error') ? 'failure' : 'success');
}

/** What a non-terminal output received, as lines. */
function plainLines(events: readonly ProgressEvent[], options: Omit<ProgressRendererOptions, 'output'>): string[] {
  const chunks: string[] = [];
  const output = { write: (text: string) => chunks.push(text) };
  const renderer = createProgressRenderer({ environment: {}, now: clock(), ...options, output });
  for (const event of events) renderer.update(event);
  renderer.finish(events.some((event) => event.type === 'error') ? 'failure' : 'success');
  return chunks.join('').split('\n').slice(0, -1);
}

afterEach(() => {
  vi.useRealTimers();
});

describe('pull, push and load on a terminal', () => {
  it('draws per-layer bars in place and ends with each layer once, in its final state', async () => {
    const terminal = new VirtualTerminal(100, 30);
    renderTo(terminal, await fixtureEvents('pull.jsonl'), { kind: 'pull' });
    expect(terminal.screen()).toEqual([
      '1: Pulling from fixture/layered',
      'f4ae215e5f43: Already exists',
      '0270d50d2c90: Pull complete',
      'Digest: sha256:641ef1af2c67fee18d6fa716feda5e8d1f73f5be958b0c516c32c017245e4a49',
      'Status: Downloaded newer image for 127.0.0.1:34027/fixture/layered:1',
    ]);
    // Bars were drawn while the layer moved, and redrawn in place (cursor up) rather than appended.
    expect(terminal.raw()).toContain('0270d50d2c90: Downloading [>   ');
    expect(terminal.raw()).toMatch(/36\.41kB\/1\.501MB/);
    expect(terminal.raw()).toMatch(/\x1b\[\d+A/);
    expect(terminal.overlongLines).toEqual([]);
    expect(terminal.cursorVisible).toBe(true);
  });

  it('keeps every drawn line inside a narrow terminal, dropping the bar before the numbers', async () => {
    const terminal = new VirtualTerminal(44, 10);
    const events = await fixtureEvents('pull.jsonl');
    renderTo(terminal, events.slice(0, 4), { kind: 'pull' });
    expect(terminal.overlongLines).toEqual([]);
    expect(terminal.raw()).toContain('0270d50d2c90: Downloading 36.41kB/1.501MB');
  });

  it('shows push counts above the total as the total, and mounted layers as done', async () => {
    const terminal = new VirtualTerminal(100, 30);
    renderTo(terminal, await fixtureEvents('push-layered.jsonl'), { kind: 'push' });
    expect(terminal.screen()).toEqual([
      'The push refers to repository [127.0.0.1:34027/fixture/layered]',
      'a9961aabddd4: Pushed',
      '5a8e0f222178: Mounted from fixture/busybox',
      '1: digest: sha256:641ef1af2c67fee18d6fa716feda5e8d1f73f5be958b0c516c32c017245e4a49 size: 739',
    ]);
    expect(terminal.raw()).toContain('1.5MB/1.5MB');
  });

  it('shows load bars and the loaded images', async () => {
    const terminal = new VirtualTerminal(100, 30);
    renderTo(terminal, await fixtureEvents('load-progress.jsonl'), { kind: 'load' });
    expect(terminal.screen()).toEqual([
      'Loaded image: 127.0.0.1:34027/fixture/busybox:1',
      'a9961aabddd4: Loading layer',
      'Loaded image: 127.0.0.1:34027/fixture/layered:1',
    ]);
  });

  it('colours only when NO_COLOR is unset', async () => {
    const events = await fixtureEvents('pull.jsonl');
    const colored = new VirtualTerminal();
    renderTo(colored, events, { kind: 'pull', environment: {} });
    expect(colored.raw()).toMatch(/\x1b\[32m/);
    const plain = new VirtualTerminal();
    renderTo(plain, events, { kind: 'pull', environment: { NO_COLOR: '1' } });
    expect(plain.raw()).not.toMatch(/\x1b\[\d+m/);
    expect(plain.screen()).toEqual(colored.screen());
  });

  it('redraws at most once per interval however fast events come', async () => {
    vi.useFakeTimers();
    const terminal = new VirtualTerminal();
    const renderer = createProgressRenderer({ kind: 'pull', output: terminal, environment: {}, redrawIntervalMs: 100, now: () => Date.now() });
    const downloading = (current: number): ProgressEvent => ({
      type: 'layer',
      layerId: 'aaaaaaaaaaaa',
      state: 'downloading',
      status: 'Downloading',
      current,
      total: 1000,
      raw: { status: 'Downloading', id: 'aaaaaaaaaaaa', progressDetail: { current, total: 1000 } },
    });
    for (let current = 1; current <= 500; current++) renderer.update(downloading(current));
    expect(terminal.writes).toHaveLength(1); // the first event draws at once
    vi.advanceTimersByTime(100);
    expect(terminal.writes).toHaveLength(2); // then one frame with the latest numbers
    expect(terminal.screen()).toEqual(['aaaaaaaaaaaa: Downloading [' + '='.repeat(24) + '>' + ' '.repeat(25) + '] 500B/1kB']);
    renderer.finish();
    expect(terminal.cursorVisible).toBe(true);
  });
});

describe('pull, push and load in plain mode', () => {
  it('prints one line per change of state, without byte counts or escape codes', async () => {
    const lines = plainLines(await fixtureEvents('pull.jsonl'), { kind: 'pull', mode: 'plain' });
    expect(lines).toEqual([
      '1: Pulling from fixture/layered',
      'f4ae215e5f43: Already exists',
      '0270d50d2c90: Pulling fs layer',
      '0270d50d2c90: Downloading',
      '0270d50d2c90: Verifying Checksum',
      '0270d50d2c90: Download complete',
      '0270d50d2c90: Extracting',
      '0270d50d2c90: Pull complete',
      'Digest: sha256:641ef1af2c67fee18d6fa716feda5e8d1f73f5be958b0c516c32c017245e4a49',
      'Status: Downloaded newer image for 127.0.0.1:34027/fixture/layered:1',
    ]);
  });

  it('is what auto picks on an output that is not a terminal', async () => {
    const lines = plainLines(await fixtureEvents('push-layered.jsonl'), { kind: 'push' });
    expect(lines.join('\n')).not.toMatch(escape);
    expect(lines).toContain('a9961aabddd4: Pushed');
  });
});

describe('builds', () => {
  it('BuildKit, plain: each step once, its output, its end, like --progress=plain', async () => {
    const lines = plainLines(await fixtureEvents('build-buildkit-multistage-e26.jsonl'), { kind: 'build', mode: 'plain' });
    expect(lines).toEqual([
      '#1 [internal] load remote build context',
      '#1 DONE 0.0s',
      '#2 copy /context /',
      '#2 DONE 0.0s',
      '#3 [internal] load metadata for docker.io/berth-test/busybox:latest',
      '#3 DONE 0.0s',
      '#4 [base 1/2] FROM docker.io/berth-test/busybox:latest',
      '#4 DONE 0.0s',
      '#5 [base 2/2] RUN echo "line one" && echo "line two" >&2 &&     echo three',
      '#5 line two',
      '#5 line one',
      '#5 three',
      '#5 DONE 0.1s',
      '#6 [final 1/2] COPY hello.txt /hello.txt',
      '#6 DONE 0.0s',
      '#7 [final 2/2] RUN for i in 1 2 3 4 5; do echo "count $i"; done',
      '#7 count 1',
      '#7 count 2',
      '#7 count 3',
      '#7 count 4',
      '#7 count 5',
      '#7 DONE 0.1s',
      '#8 exporting to image',
      '#8 exporting layers done',
      '#8 writing image sha256:59d94f944c5974a33e2cdbe2e771f8345977754c4d4f9d01289a26219d69c93a done',
      '#8 naming to docker.io/library/rec-bk:1 done',
      '#8 DONE 0.0s',
    ]);
  });

  it('BuildKit, terminal: each step once with its time, and a final summary', async () => {
    const terminal = new VirtualTerminal(120, 40);
    renderTo(terminal, await fixtureEvents('build-buildkit-multistage-e26.jsonl'), { kind: 'build' });
    const screen = terminal.screen();
    const stepLines = screen.filter((line) => /^=> (?!=>)/.test(line));
    expect(stepLines.map((line) => line.replace(/\s+\d+\.\ds$/, ''))).toEqual([
      '=> [internal] load remote build context',
      '=> copy /context /',
      '=> [internal] load metadata for docker.io/berth-test/busybox:latest',
      '=> [base 1/2] FROM docker.io/berth-test/busybox:latest',
      '=> [base 2/2] RUN echo "line one" && echo "line two" >&2 &&     echo three',
      '=> [final 1/2] COPY hello.txt /hello.txt',
      '=> [final 2/2] RUN for i in 1 2 3 4 5; do echo "count $i"; done',
      '=> exporting to image',
    ]);
    expect(screen.at(-1)).toMatch(/^\[\+\] Building \d+\.\ds \(8\/8\) FINISHED$/);
    // While a RUN step ran, its output showed under it.
    expect(terminal.raw()).toContain('=> => # count 3');
    expect(terminal.overlongLines).toEqual([]);
  });

  it('BuildKit, terminal: a failed step shows its output and error; the summary says FAILED', async () => {
    const terminal = new VirtualTerminal(120, 40);
    renderTo(terminal, await fixtureEvents('build-buildkit-failing-output-e26.jsonl'), { kind: 'build', logLinesPerStep: 3 });
    const screen = terminal.screen();
    const failed = screen.findIndex((line) => line.startsWith('=> ERROR [3/3] RUN echo before && exit 3'));
    expect(failed).toBeGreaterThan(0);
    expect(screen.slice(failed + 1, failed + 3)).toEqual([
      '=> => # before',
      '=> ERROR: process "/bin/sh -c echo before && exit 3" did not complete successfully: exit code: 3',
    ]);
    expect(screen.at(-1)).toMatch(/FAILED$/);
    expect(screen.filter((line) => line.includes('[2/3] RUN'))).toHaveLength(1);
  });

  it('BuildKit, terminal: steps still running when the build is cancelled end as CANCELED', () => {
    const terminal = new VirtualTerminal();
    const renderer = createProgressRenderer({ kind: 'build', output: terminal, environment: { NO_COLOR: '1' }, redrawIntervalMs: 0 });
    renderer.update({
      type: 'buildkit-status',
      status: {
        vertexes: [{ digest: 'sha256:a', inputs: [], name: '[2/2] RUN sleep 60', cached: false, started: new Date(), completed: undefined, error: undefined }],
        statuses: [],
        logs: [],
        warnings: [],
      },
      raw: {},
    });
    renderer.finish('canceled');
    expect(terminal.screen()[0]).toMatch(/^=> CANCELED \[2\/2\] RUN sleep 60/);
    expect(terminal.screen().at(-1)).toMatch(/\(0\/1\) CANCELED$/);
  });

  it('BuildKit: logLinesPerStep 0 shows no output lines, running or failed (slice(-0) showed them all)', async () => {
    for (const fixture of ['build-buildkit-multistage-e26.jsonl', 'build-buildkit-failing-output-e26.jsonl']) {
      const terminal = new VirtualTerminal(120, 40);
      renderTo(terminal, await fixtureEvents(fixture), { kind: 'build', logLinesPerStep: 0 });
      expect(terminal.raw()).not.toContain('=> => #');
      expect(terminal.screen().at(-1)).toMatch(/^\[\+\] Building /);
    }
  });

  it('BuildKit: the step view takes over at the first trace, even when a warning or output came first', async () => {
    const before: ProgressEvent[] = [
      { type: 'warning', text: '[Warning] an early engine warning', raw: {} },
      { type: 'output', text: 'an early line\n', raw: {} },
    ];
    const events = [...before, ...(await fixtureEvents('build-buildkit-multistage-e26.jsonl'))];
    const terminal = new VirtualTerminal(120, 40);
    renderTo(terminal, events, { kind: 'build', environment: { NO_COLOR: '1' } });
    const screen = terminal.screen();
    expect(screen.slice(0, 2)).toEqual(['[Warning] an early engine warning', 'an early line']);
    expect(screen.filter((line) => /^=> (?!=>)/.test(line))).toHaveLength(8);
    expect(screen.at(-1)).toMatch(/^\[\+\] Building \d+\.\ds \(8\/8\) FINISHED$/);
    const plain = plainLines(events, { kind: 'build', mode: 'plain' });
    expect(plain.slice(0, 2)).toEqual(['[Warning] an early engine warning', 'an early line']);
    expect(plain.some((line) => line.includes('[base 2/2] RUN echo'))).toBe(true);
  });

  it('classic builder: the output as docker prints it, step lines and all', async () => {
    const events = await fixtureEvents('build-classic.jsonl');
    const lines = plainLines(events, { kind: 'build', mode: 'plain' });
    expect(lines.slice(0, 4)).toEqual(['Step 1/4 : FROM berth-test/busybox:latest', ' ---> c241586fd328', 'Step 2/4 : ARG SIZE=1', ' ---> Running in 6c106e019383']);
    expect(lines.slice(-3)).toEqual(['[Warning] One or more build-args [UNUSED] were not consumed', 'Successfully built b9a7eb81c31e', 'Successfully tagged 127.0.0.1:34027/fixture/layered:1']);
    const terminal = new VirtualTerminal();
    renderTo(terminal, events, { kind: 'build', environment: { NO_COLOR: '1' } });
    expect(terminal.screen()).toEqual(lines);
  });

  it('never lets engine text move the cursor or restyle the terminal', () => {
    const terminal = new VirtualTerminal();
    const renderer = createProgressRenderer({ kind: 'build', output: terminal, environment: { NO_COLOR: '1' }, redrawIntervalMs: 0 });
    renderer.update({ type: 'output', text: 'Step 1/1 : RUN x\n\x1b[2J\x1b[31mred\x1b[0m\x1b]0;title\x07 and\ttab\x08\n', raw: {} });
    renderer.finish();
    expect(terminal.screen()).toEqual(['Step 1/1 : RUN x', 'red and tab']);
  });
});

describe('options', () => {
  it('refuses options that are not what they say with InvalidArgumentError naming the option, before drawing anything', () => {
    const output = { write: () => true };
    const cases: [Record<string, unknown>, string][] = [
      [{ kind: 'pul' }, 'kind'],
      [{ kind: undefined }, 'kind'],
      [{ kind: 'pull', mode: 'fancy' }, 'mode'],
      [{ kind: 'pull', color: 'yes' }, 'color'],
      [{ kind: 'pull', redrawIntervalMs: -1 }, 'redrawIntervalMs'],
      [{ kind: 'pull', redrawIntervalMs: Number.NaN }, 'redrawIntervalMs'],
      [{ kind: 'build', logLinesPerStep: -1 }, 'logLinesPerStep'],
      [{ kind: 'build', logLinesPerStep: 2.5 }, 'logLinesPerStep'],
      [{ kind: 'save', transferLabel: 5 }, 'transferLabel'],
      [{ kind: 'pull', now: 5 }, 'now'],
      [{ kind: 'pull', output: {} }, 'output'],
    ];
    for (const [options, argument] of cases) {
      let error: unknown;
      try {
        createProgressRenderer({ output, ...options } as unknown as ProgressRendererOptions);
      } catch (caught) {
        error = caught;
      }
      expect(error, argument).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe(argument);
    }
    expect(() => createProgressRenderer(undefined as unknown as ProgressRendererOptions)).toThrow(InvalidArgumentError);
    // The limits themselves are fine.
    expect(createProgressRenderer({ kind: 'build', output, mode: 'plain', redrawIntervalMs: 0, logLinesPerStep: 0 }).mode).toBe('plain');
  });
});

describe('byte progress and the operation helper', () => {
  it('counts the bytes of a saved stream and ends with the total', async () => {
    const terminal = new VirtualTerminal();
    const renderer = createProgressRenderer({ kind: 'save', transferLabel: 'Saving app:v1', output: terminal, environment: {}, redrawIntervalMs: 0 });
    const sink = new PassThrough();
    sink.resume();
    await pipeline(Readable.from([Buffer.alloc(700_000), Buffer.alloc(800_000)]), countBytes((bytes) => renderer.transfer(bytes)), sink);
    expect(terminal.raw()).toContain('Saving app:v1: 700kB');
    renderer.finish();
    expect(terminal.screen()).toEqual([expect.stringMatching(/^Saving app:v1: 1\.5MB in \d+\.\ds, done$/)]);
  });

  it('renderProgress resolves to the result, or rethrows after the display ended', async () => {
    const events = await fixtureEvents('pull.jsonl');
    const operation = <Result>(result: Promise<Result>) =>
      Object.assign(result, {
        async *[Symbol.asyncIterator]() {
          yield* events;
        },
      });
    const chunks: string[] = [];
    const output = { write: (text: string) => chunks.push(text) };
    await expect(renderProgress(operation(Promise.resolve('image')), { kind: 'pull', output })).resolves.toBe('image');
    expect(chunks.join('')).toContain('0270d50d2c90: Pull complete');

    const failure = Object.assign(new Error('cancelled'), { name: 'AbortedError' });
    const terminal = new VirtualTerminal();
    const failing = operation(Promise.reject(failure));
    failing.catch(() => undefined);
    await expect(renderProgress(failing, { kind: 'pull', output: terminal, environment: {} })).rejects.toBe(failure);
    expect(terminal.cursorVisible).toBe(true);
  });

  it('prints nothing in quiet mode', async () => {
    const chunks: string[] = [];
    renderTo({ write: (text: string) => chunks.push(text) } as never, await fixtureEvents('pull.jsonl'), { kind: 'pull', mode: 'quiet' });
    expect(chunks).toEqual([]);
  });
});
