import { isFinishedLayerState, type LayerState } from './layer-state.js';
import type { ProgressEvent } from './progress-event.js';

/**
 * What the aggregator knows about one layer.
 *
 * @example
 * ```ts
 * const layer = aggregator.layer('0270d50d2c90'); // { state: 'downloading', transferredBytes: 36412, size: 1500641, … }
 * ```
 */
export interface LayerProgress {
  /** The engine's short layer id. */
  readonly layerId: string;
  /** The latest state. */
  readonly state: LayerState;
  /** The latest status words. */
  readonly status: string;
  /** Counts of the current phase (download, extraction, push, load), when sent. */
  readonly current: number | undefined;
  /** Total of the current phase, when known. */
  readonly total: number | undefined;
  /** Bytes moved (downloaded, pushed, loaded) so far, never above `size` when it is known. */
  readonly transferredBytes: number;
  /** The layer's size in bytes as the engine counts it (compressed for pulls), when known. */
  readonly size: number | undefined;
  /** Whether the layer needs no more work. */
  readonly finished: boolean;
}

/**
 * Totals over every layer seen so far.
 *
 * @example
 * ```ts
 * const { finishedLayers, layerCount, fraction } = aggregator.totals();
 * ```
 */
export interface ProgressTotals {
  /** Layers seen. */
  readonly layerCount: number;
  /** Layers that need no more work. */
  readonly finishedLayers: number;
  /** Bytes moved over all layers. */
  readonly transferredBytes: number;
  /** Sum of the sizes known so far (grows as layers start). */
  readonly totalBytes: number;
  /** `transferredBytes / totalBytes` between 0 and 1, or `undefined` while no size is known. */
  readonly fraction: number | undefined;
}

/** States in which the transfer of a layer is over (its bytes all arrived or left). */
const transferDoneStates: ReadonlySet<LayerState> = new Set<LayerState>([
  'verifying',
  'download-complete',
  'extracting',
  'pull-complete',
  'pushed',
]);
/** States whose counts measure the transfer itself. */
const transferStates: ReadonlySet<LayerState> = new Set<LayerState>(['downloading', 'pushing', 'loading']);

type MutableLayer = { -readonly [Key in keyof LayerProgress]: LayerProgress[Key] };

/**
 * Folds layer events into per-layer and overall progress: bytes done and known size per layer
 * and in total, each layer's state. Pure (no I/O, no timers): feed it events from any
 * operation, read the numbers whenever a UI redraws.
 *
 * Counting rules: bytes of the transfer phase count (download for a pull, upload for a push,
 * `Loading layer` for a load); once a layer is past its transfer (`Verifying Checksum`,
 * `Download complete`, `Extracting`, `Pull complete`, `Pushed`) all its known bytes count as
 * done. Counts above the total (the engine sends those for pushes) are clamped. Layers that
 * already exist have no size and count as finished. The `complete` event that ends a successful
 * operation finishes every layer, whatever the engine's last status for it was (Podman's pulls
 * end layers at `Download complete`, and report the image config as one more layer).
 *
 * @example
 * ```ts
 * const aggregator = new LayerProgressAggregator();
 * const pulling = images.pull('localhost:5000/app', { tag: 'v1' });
 * for await (const event of pulling) {
 *   if (aggregator.update(event)) {
 *     const { finishedLayers, layerCount, fraction } = aggregator.totals();
 *     console.log(`${finishedLayers}/${layerCount} layers, ${Math.round((fraction ?? 0) * 100)}%`);
 *   }
 * }
 * ```
 */
export class LayerProgressAggregator {
  readonly #layers = new Map<string, MutableLayer>();

  /**
   * Takes one event into account. Returns the layer it changed, or `undefined` for events that
   * are not about a layer.
   *
   * @example
   * ```ts
   * const raw = { id: 'a1', status: 'Downloading', progressDetail: { current: 10, total: 100 } };
   * aggregator.update({ type: 'layer', layerId: 'a1', state: 'downloading', status: 'Downloading', current: 10, total: 100, raw });
   * ```
   */
  update(event: ProgressEvent): LayerProgress | undefined {
    if (event.type === 'complete') {
      this.complete();
      return undefined;
    }
    if (event.type !== 'layer') return undefined;
    let layer = this.#layers.get(event.layerId);
    if (layer === undefined) {
      layer = {
        layerId: event.layerId,
        state: event.state,
        status: event.status,
        current: undefined,
        total: undefined,
        transferredBytes: 0,
        size: undefined,
        finished: false,
      };
      this.#layers.set(event.layerId, layer);
    }
    layer.state = event.state;
    layer.status = event.status;
    layer.current = event.current;
    layer.total = event.total;
    const countsBytes = event.raw.progressDetail?.units === undefined;
    if (countsBytes && event.total !== undefined && (transferStates.has(event.state) || event.state === 'extracting')) {
      layer.size = Math.max(layer.size ?? 0, event.total);
    }
    if (countsBytes && transferStates.has(event.state) && event.current !== undefined) {
      const clamped = layer.size === undefined ? event.current : Math.min(event.current, layer.size);
      layer.transferredBytes = Math.max(layer.transferredBytes, clamped);
    }
    if (transferDoneStates.has(event.state) && layer.size !== undefined) layer.transferredBytes = layer.size;
    // A load has no completion status: a layer whose bytes all arrived is done.
    const loaded = event.state === 'loading' && layer.size !== undefined && layer.transferredBytes >= layer.size;
    layer.finished = isFinishedLayerState(event.state) || loaded;
    return { ...layer };
  }

  /**
   * One layer's progress, or `undefined` if no event named it.
   *
   * @example
   * ```ts
   * aggregator.layer('0270d50d2c90')?.state; // 'extracting'
   * ```
   */
  layer(layerId: string): LayerProgress | undefined {
    const layer = this.#layers.get(layerId);
    return layer === undefined ? undefined : { ...layer };
  }

  /**
   * Every layer seen, in order of first appearance.
   *
   * @example
   * ```ts
   * for (const layer of aggregator.layers()) console.log(layer.layerId, layer.state, layer.transferredBytes, layer.size);
   * ```
   */
  layers(): LayerProgress[] {
    return [...this.#layers.values()].map((layer) => ({ ...layer }));
  }

  /**
   * Totals over every layer seen so far.
   *
   * @example
   * ```ts
   * const { transferredBytes, totalBytes, fraction } = aggregator.totals();
   * ```
   */
  totals(): ProgressTotals {
    let finishedLayers = 0;
    let transferredBytes = 0;
    let totalBytes = 0;
    for (const layer of this.#layers.values()) {
      if (layer.finished) finishedLayers += 1;
      transferredBytes += layer.transferredBytes;
      totalBytes += layer.size ?? 0;
    }
    return {
      layerCount: this.#layers.size,
      finishedLayers,
      transferredBytes,
      totalBytes,
      fraction: totalBytes === 0 ? undefined : Math.min(1, transferredBytes / totalBytes),
    };
  }

  /**
   * Marks every layer finished with all its known bytes moved: the operation succeeded, whatever
   * status the engine last sent for each layer. {@link LayerProgressAggregator.update} does this
   * on the `complete` event that ends every successful operation.
   *
   * @example
   * ```ts
   * await pulling;
   * aggregator.complete();
   * aggregator.totals().finishedLayers === aggregator.totals().layerCount; // true
   * ```
   */
  complete(): void {
    for (const layer of this.#layers.values()) {
      layer.finished = true;
      if (layer.size !== undefined) layer.transferredBytes = layer.size;
    }
  }

  /**
   * Forgets every layer.
   *
   * @example
   * ```ts
   * aggregator.reset();
   * ```
   */
  reset(): void {
    this.#layers.clear();
  }
}
