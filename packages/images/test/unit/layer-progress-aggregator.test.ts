import { describe, expect, it } from 'vitest';
import { LayerProgressAggregator, parseProgressEvent, type ProgressEvent } from '../../src/index.js';
import { fixtureMessages } from './support/fixtures.js';

async function eventsOf(name: string): Promise<ProgressEvent[]> {
  return (await fixtureMessages(name)).map(parseProgressEvent);
}

describe('LayerProgressAggregator', () => {
  it('follows a recorded pull from start to end', async () => {
    const events = await eventsOf('pull.jsonl');
    const aggregator = new LayerProgressAggregator();
    const snapshots = events.map((event) => ({ changed: aggregator.update(event), totals: aggregator.totals() }));

    // Non-layer events change nothing.
    expect(snapshots[0]?.changed).toBeUndefined();
    expect(snapshots[10]?.changed).toBeUndefined();

    // After the first Downloading message: 36412 of 1500641 bytes, one layer (already there) finished.
    expect(snapshots[3]?.totals).toEqual({
      layerCount: 2,
      finishedLayers: 1,
      transferredBytes: 36412,
      totalBytes: 1500641,
      fraction: 36412 / 1500641,
    });
    expect(snapshots[3]?.changed).toMatchObject({ layerId: '0270d50d2c90', state: 'downloading', finished: false });

    // Verifying Checksum: the download is over.
    expect(snapshots[4]?.totals.transferredBytes).toBe(1500641);

    // Extracting counts its own phase but does not move the transfer total.
    expect(snapshots[6]?.changed).toMatchObject({ state: 'extracting', current: 32768, total: 1500641, transferredBytes: 1500641 });

    expect(aggregator.totals()).toEqual({
      layerCount: 2,
      finishedLayers: 2,
      transferredBytes: 1500641,
      totalBytes: 1500641,
      fraction: 1,
    });
    expect(aggregator.layers().map((layer) => [layer.layerId, layer.state, layer.finished])).toEqual([
      ['f4ae215e5f43', 'already-exists', true],
      ['0270d50d2c90', 'pull-complete', true],
    ]);
    expect(aggregator.layer('f4ae215e5f43')?.size).toBeUndefined();
  });

  it('clamps push counts above the total', async () => {
    const events = await eventsOf('push-layered.jsonl');
    const aggregator = new LayerProgressAggregator();
    const afterOvershoot = events.slice(0, 6).map((event) => aggregator.update(event)).at(-1);
    // The engine reported 1501696 of 1500000 bytes.
    expect(afterOvershoot).toMatchObject({ state: 'pushing', current: 1501696, total: 1500000, transferredBytes: 1500000 });
    for (const event of events.slice(6)) aggregator.update(event);
    expect(aggregator.totals()).toEqual({
      layerCount: 2,
      finishedLayers: 2,
      transferredBytes: 1500000,
      totalBytes: 1500000,
      fraction: 1,
    });
    expect(aggregator.layer('5a8e0f222178')?.state).toBe('mounted');
  });

  it('finishes a loaded layer once all its bytes arrived', async () => {
    const aggregator = new LayerProgressAggregator();
    const changes = (await eventsOf('load-progress.jsonl')).map((event) => aggregator.update(event)).filter(Boolean);
    expect(changes.map((layer) => layer?.finished)).toEqual([false, true, true]);
    expect(aggregator.totals()).toMatchObject({ layerCount: 1, finishedLayers: 1, transferredBytes: 1501696, fraction: 1 });
  });

  it('leaves counts in other units out of the byte totals', () => {
    const aggregator = new LayerProgressAggregator();
    aggregator.update(parseProgressEvent({ status: 'Downloading', id: 'x', progressDetail: { current: 3, total: 10, units: 'items' } }));
    expect(aggregator.layer('x')).toMatchObject({ current: 3, total: 10, transferredBytes: 0, size: undefined });
    expect(aggregator.totals().fraction).toBeUndefined();
  });

  it('never moves transferred bytes backwards, and resets', () => {
    const aggregator = new LayerProgressAggregator();
    aggregator.update(parseProgressEvent({ status: 'Downloading', id: 'x', progressDetail: { current: 50, total: 100 } }));
    aggregator.update(parseProgressEvent({ status: 'Downloading', id: 'x', progressDetail: { current: 20, total: 100 } }));
    expect(aggregator.layer('x')?.transferredBytes).toBe(50);
    aggregator.reset();
    expect(aggregator.layers()).toEqual([]);
    expect(aggregator.totals()).toEqual({ layerCount: 0, finishedLayers: 0, transferredBytes: 0, totalBytes: 0, fraction: undefined });
  });

  it('returns copies that later updates do not change', () => {
    const aggregator = new LayerProgressAggregator();
    const first = aggregator.update(parseProgressEvent({ status: 'Downloading', id: 'x', progressDetail: { current: 1, total: 10 } }));
    aggregator.update(parseProgressEvent({ status: 'Download complete', id: 'x' }));
    expect(first?.state).toBe('downloading');
    expect(aggregator.layer('x')?.state).toBe('download-complete');
  });
});
