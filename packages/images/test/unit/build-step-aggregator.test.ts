import { InvalidArgumentError } from '@berth/engine-protocol';
import { describe, expect, it } from 'vitest';
import {
  BuildStepAggregator,
  type BuildStepAggregatorOptions,
  buildStepElapsedMs,
  parseProgressEvent,
  type BuildStepChange,
  type ProgressEvent,
} from '../../src/index.js';
import { fixtureMessages } from './support/fixtures.js';

async function eventsOf(name: string): Promise<ProgressEvent[]> {
  return (await fixtureMessages(name)).map(parseProgressEvent);
}

/** Feeds every event (and the final flush); returns the aggregator and all changes in order. */
function aggregate(events: readonly ProgressEvent[], aggregator = new BuildStepAggregator()): { aggregator: BuildStepAggregator; changes: BuildStepChange[] } {
  const changes = events.flatMap((event) => aggregator.update(event));
  changes.push(...aggregator.flush());
  return { aggregator, changes };
}

/** A clock that moves 10 ms per reading, for classic steps. */
function steppingClock(): () => Date {
  let now = Date.UTC(2024, 0, 1);
  return () => new Date((now += 10));
}

describe('BuildStepAggregator on BuildKit traces', () => {
  it('reports each step once, in start order, with its state, duration and output (Engine 26.1, two stages)', async () => {
    const { aggregator, changes } = aggregate(await eventsOf('build-buildkit-multistage-e26.jsonl'));
    expect(aggregator.builder).toBe('buildkit');
    const steps = aggregator.steps();
    expect(steps.map((step) => [step.number, step.name, step.state])).toEqual([
      [1, '[internal] load remote build context', 'done'],
      [2, 'copy /context /', 'done'],
      [3, '[internal] load metadata for docker.io/berth-test/busybox:latest', 'done'],
      [4, '[base 1/2] FROM docker.io/berth-test/busybox:latest', 'done'],
      [5, '[base 2/2] RUN echo "line one" && echo "line two" >&2 &&     echo three', 'done'],
      [6, '[final 1/2] COPY hello.txt /hello.txt', 'done'],
      [7, '[final 2/2] RUN for i in 1 2 3 4 5; do echo "count $i"; done', 'done'],
      [8, 'exporting to image', 'done'],
    ]);
    // The trace repeats vertexes dozens of times; every step starts once.
    const started = changes.filter((change) => change.kind === 'started').map((change) => change.step.number);
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // moby runs FROM twice (resolve, then load): reported as a restart and a second completion.
    const from = steps[3]!;
    const fromChanges = changes.filter((change) => change.step?.id === from.id).map((change) => change.kind);
    expect(fromChanges).toEqual(['started', 'completed', 'restarted', 'completed']);
    expect(from.durationMs).toBe(1 + 16); // .853→.854 and .856→.872
    // Other steps complete exactly once.
    const completions = changes.filter((change) => change.kind === 'completed').map((change) => change.step.number);
    expect(completions.filter((number) => number !== 4)).toEqual([1, 2, 3, 5, 6, 7, 8]);

    const run = steps[4]!;
    expect(run.logs).toEqual([
      { text: 'line two', stream: 'stderr' },
      { text: 'line one', stream: 'stdout' },
      { text: 'three', stream: 'stdout' },
    ]);
    expect(run.durationMs).toBe(172);
    expect(steps[6]!.logs.map((line) => line.text)).toEqual(['count 1', 'count 2', 'count 3', 'count 4', 'count 5']);
    expect(steps[7]!.progress.map((item) => [item.name, item.completed])).toEqual([
      ['exporting layers', true],
      ['writing image sha256:59d94f944c5974a33e2cdbe2e771f8345977754c4d4f9d01289a26219d69c93a', true],
      ['naming to docker.io/library/rec-bk:1', true],
    ]);
    expect(aggregator.imageId).toBe('sha256:59d94f944c5974a33e2cdbe2e771f8345977754c4d4f9d01289a26219d69c93a');
    expect(aggregator.error).toBeUndefined();
    expect(aggregator.failedStep()).toBeUndefined();
  });

  it('marks cached steps, also when BuildKit says so after the step ended', async () => {
    const { aggregator, changes } = aggregate(await eventsOf('build-buildkit-cached-e26.jsonl'));
    const states = Object.fromEntries(aggregator.steps().map((step) => [step.name, step.state]));
    expect(states).toEqual({
      '[internal] load remote build context': 'cached',
      'copy /context /': 'cached',
      '[internal] load metadata for docker.io/berth-test/busybox:latest': 'done',
      '[base 1/2] FROM docker.io/berth-test/busybox:latest': 'done',
      '[base 2/2] RUN echo "line one" && echo "line two" >&2 &&     echo three': 'cached',
      '[final 1/2] COPY hello.txt /hello.txt': 'cached',
      '[final 2/2] RUN for i in 1 2 3 4 5; do echo "count $i"; done': 'cached',
      'exporting to image': 'done',
    });
    expect(changes.filter((change) => change.kind === 'started')).toHaveLength(8);
    expect(changes.filter((change) => change.kind === 'completed')).toHaveLength(8);
  });

  it('joins output split across messages, cuts nothing but the bound, and names the failed step', async () => {
    const { aggregator, changes } = aggregate(await eventsOf('build-buildkit-failing-output-e26.jsonl'), new BuildStepAggregator({ maxLogLines: 10 }));
    const [, , , , printing, failing] = aggregator.steps();
    expect(printing?.name).toBe("[2/3] RUN printf 'partial ' && sleep 0.3 && printf 'line\\n' && seq 1 250 && echo bye");
    // 'partial ' and 'line\n' came in two messages: one line. 252 lines in all, the last 10 kept.
    const printed = changes.flatMap((change) => (change.kind === 'log' && change.step.id === printing?.id ? change.lines.map((line) => line.text) : []));
    expect(printed).toHaveLength(252);
    expect(printed[0]).toBe('partial line');
    expect(printing?.logs.map((line) => line.text)).toEqual(['242', '243', '244', '245', '246', '247', '248', '249', '250', 'bye']);
    expect(printing?.droppedLogLines).toBe(242);

    expect(failing?.state).toBe('error');
    expect(failing?.logs.map((line) => line.text)).toEqual(['before']);
    const failed = aggregator.failedStep();
    expect(failed?.name).toBe('[3/3] RUN echo before && exit 3');
    expect(failed?.error).toBe('process "/bin/sh -c echo before && exit 3" did not complete successfully: exit code: 3');
    expect(aggregator.error).toBe(failed?.error);
  });

  it('reads the Engine 20.10 trace the same way', async () => {
    const { aggregator } = aggregate(await eventsOf('build-buildkit-failing.jsonl'));
    expect(aggregator.failedStep()?.name).toBe('[2/2] RUN echo before && exit 3');
    expect(aggregator.steps().every((step) => step.state !== 'running')).toBe(true);
  });

  it('prefers the failing step over steps BuildKit cancelled beside it, and keeps warnings once', () => {
    const aggregator = new BuildStepAggregator();
    const at = (ms: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, 0, ms));
    const vertex = (digest: string, name: string, started?: Date, completed?: Date, error?: string) => ({
      digest,
      inputs: [],
      name,
      cached: false,
      started,
      completed,
      error,
    });
    const status = (vertexes: ReturnType<typeof vertex>[], warnings: { vertex: string; short: string }[] = []): ProgressEvent => ({
      type: 'buildkit-status',
      status: {
        vertexes,
        statuses: [],
        logs: [],
        warnings: warnings.map((warning) => ({ ...warning, level: 1, detail: ['more'], url: 'https://docs.example/w' })),
      },
      raw: {},
    });
    aggregator.update(status([vertex('sha256:a', 'A', at(0)), vertex('sha256:b', 'B', at(1))]));
    aggregator.update(status([vertex('sha256:a', 'A', at(0), at(50), 'context canceled')]));
    aggregator.update(status([vertex('sha256:b', 'B', at(1), at(40), 'exit code: 2')], [{ vertex: 'sha256:b', short: 'Deprecated' }]));
    const again = aggregator.update(status([], [{ vertex: 'sha256:b', short: 'Deprecated' }]));
    expect(aggregator.failedStep()?.name).toBe('B');
    expect(again).toEqual([]);
    expect(aggregator.warnings()).toEqual([{ text: 'Deprecated', stepId: 'sha256:b', detail: ['more'], url: 'https://docs.example/w' }]);
    expect(aggregator.step('sha256:b')?.warnings).toHaveLength(1);
  });

  it('cuts over-long lines and keeps what a carriage return leaves visible', () => {
    const aggregator = new BuildStepAggregator({ maxLineLength: 4 });
    const log = (text: string): ProgressEvent => ({
      type: 'buildkit-status',
      status: { vertexes: [], statuses: [], logs: [{ vertex: 'sha256:x', stream: 1, text }], warnings: [] },
      raw: {},
    });
    aggregator.update(log('10%\r50%\r100%\nabcdefghij'));
    aggregator.flush();
    expect(aggregator.step('sha256:x')?.logs.map((line) => line.text)).toEqual(['100%', 'abcd', 'efgh', 'ij']);
  });

  it('refuses bounds that are not positive integers with InvalidArgumentError naming the option', () => {
    // review 1: these were RangeErrors, outside Berth's typed errors.
    const cases: [BuildStepAggregatorOptions, string][] = [
      [{ maxLogLines: 0 }, 'maxLogLines'],
      [{ maxLineLength: 1.5 }, 'maxLineLength'],
      [{ maxLogLines: '5' as unknown as number }, 'maxLogLines'],
    ];
    for (const [options, argument] of cases) {
      const error = (() => {
        try {
          new BuildStepAggregator(options);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe(argument);
    }
  });
});

describe('BuildStepAggregator on classic builder output', () => {
  it('turns Step lines into steps with their RUN output and warnings (Engine 20.10)', async () => {
    const { aggregator, changes } = aggregate(await eventsOf('build-classic.jsonl'), new BuildStepAggregator({ now: steppingClock() }));
    expect(aggregator.builder).toBe('classic');
    expect(aggregator.steps().map((step) => [step.id, step.name, step.state, step.logs.map((line) => line.text)])).toEqual([
      ['classic-1', '[1/4] FROM berth-test/busybox:latest', 'done', []],
      ['classic-2', '[2/4] ARG SIZE=1', 'done', []],
      ['classic-3', '[3/4] RUN head -c 1500000 /dev/urandom > /blob && echo "size $SIZE"', 'done', ['size 2']],
      ['classic-4', '[4/4] LABEL fixture=pull', 'done', []],
    ]);
    expect(aggregator.steps().every((step) => step.durationMs === 10)).toBe(true);
    expect(aggregator.warnings()).toEqual([
      { text: '[Warning] One or more build-args [UNUSED] were not consumed', stepId: undefined, detail: [], url: undefined },
    ]);
    expect(changes.filter((change) => change.kind === 'completed')).toHaveLength(4);
    expect(aggregator.imageId).toBe('sha256:b9a7eb81c31e1f8ad96039dd49d92bc60207be1a49cd511655fc73e3dca40aa5');
  });

  it('keeps output without a line end apart from the builder chatter that follows (Engine 26.1)', async () => {
    const { aggregator } = aggregate(await eventsOf('build-classic-partial-line-e26.jsonl'));
    const run = aggregator.steps()[2];
    expect(run?.name).toBe('[3/4] RUN echo "x is $X" && printf "no newline"');
    expect(run?.logs.map((line) => line.text)).toEqual(['x is 2', 'no newline']);
  });

  it('marks steps served from the cache', async () => {
    const { aggregator } = aggregate(await eventsOf('build-classic-cached-e26.jsonl'));
    expect(aggregator.steps().map((step) => step.state)).toEqual(['done', 'cached', 'cached', 'cached']);
  });

  it('shows the pull of a base image inside the FROM step', async () => {
    const { aggregator } = aggregate(await eventsOf('build-classic-pull-e26.jsonl'));
    const from = aggregator.steps()[0];
    expect(from?.name).toBe('[1/2] FROM 127.0.0.1:43369/rec/base:1');
    expect(from?.logs.map((line) => line.text)).toEqual(['Pulling from rec/base', 'Status: Downloaded newer image for 127.0.0.1:43369/rec/base:1']);
  });

  it('fails the running step with the engine error, keeping its output', async () => {
    const { aggregator } = aggregate(await eventsOf('build-failing.jsonl'), new BuildStepAggregator({ now: steppingClock() }));
    const failed = aggregator.failedStep();
    expect(failed).toMatchObject({ name: '[2/2] RUN echo before && exit 3', state: 'error', durationMs: 10 });
    expect(failed?.logs).toEqual([{ text: 'before', stream: 'stdout' }]);
    expect(failed?.error).toBe("The command '/bin/sh -c echo before && exit 3' returned a non-zero code: 3");
  });

  it('gives the elapsed time of a running step from its start', () => {
    let now = Date.UTC(2024, 0, 1);
    const aggregator = new BuildStepAggregator({ now: () => new Date(now) });
    aggregator.update({ type: 'output', text: 'Step 1/1 : RUN sleep 5\n', raw: {} });
    const [step] = aggregator.steps();
    now += 2_500;
    expect(buildStepElapsedMs(step!, new Date(now))).toBe(2_500);
    expect(buildStepElapsedMs(step!, new Date(now - 10_000))).toBe(0);
  });
});
