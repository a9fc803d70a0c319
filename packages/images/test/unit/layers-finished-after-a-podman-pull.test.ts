// Regression (issue 9, bug 4): after a successful pull on Podman the aggregator reported 0 of 2
// layers finished: Podman ends layers at `Download complete` (no `Pull complete`) and reports
// the image config blob as one more layer. The `complete` event that ends every successful
// operation now finishes every layer, whatever the engine's vocabulary.
import { describe, expect, it } from 'vitest';
import { LayerProgressAggregator, parseProgressEvent, ProgressOperation, type ProgressEvent } from '../../src/index.js';
import { fixtureMessages } from './support/fixtures.js';

/** An operation replaying recorded messages (returned in a box: an async function would await the thenable). */
async function operationOf(name: string, outcome: 'succeed' | 'fail'): Promise<{ operation: ProgressOperation<void> }> {
  const messages = await fixtureMessages(name);
  return { operation: new ProgressOperation<void>(async (emit) => {
    for (const message of messages) emit(parseProgressEvent(message));
    if (outcome === 'fail') throw new Error('the engine went away');
  }) };
}

describe('layers of a successful operation are finished', () => {
  it("on Podman's recorded pull", async () => {
    const { operation: pulling } = await operationOf('pull-podman.jsonl', 'succeed');
    const aggregator = new LayerProgressAggregator();
    const seen: ProgressEvent[] = [];
    for await (const event of pulling) {
      seen.push(event);
      aggregator.update(event);
    }
    expect(seen.at(-1)?.type).toBe('complete');
    expect(aggregator.totals()).toMatchObject({ layerCount: 3, finishedLayers: 3 });
    expect(aggregator.layers().every((layer) => layer.finished)).toBe(true);
  });

  it('but not before the end, nor when the operation fails', async () => {
    const aggregator = new LayerProgressAggregator();
    for (const message of await fixtureMessages('pull-podman.jsonl')) aggregator.update(parseProgressEvent(message));
    // `Already exists` is finished on its own; the two downloaded blobs are not yet.
    expect(aggregator.totals()).toMatchObject({ layerCount: 3, finishedLayers: 1 });

    const { operation: failing } = await operationOf('pull-podman.jsonl', 'fail');
    const afterFailure = new LayerProgressAggregator();
    await expect(
      (async () => {
        for await (const event of failing) afterFailure.update(event);
      })(),
    ).rejects.toThrow('the engine went away');
    expect(afterFailure.totals()).toMatchObject({ layerCount: 3, finishedLayers: 1 });
  });

  it('keeps the byte totals of a Docker pull and completes them', async () => {
    const aggregator = new LayerProgressAggregator();
    for (const message of await fixtureMessages('pull.jsonl')) aggregator.update(parseProgressEvent(message));
    const before = aggregator.totals();
    aggregator.update({ type: 'complete', raw: {} });
    expect(aggregator.totals()).toEqual({ ...before, finishedLayers: before.layerCount, transferredBytes: before.totalBytes, fraction: 1 });
  });
});
