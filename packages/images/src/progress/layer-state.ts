/**
 * Where one layer stands in a pull, push or load, from the engine's status words:
 *
 * | state | engine status |
 * | --- | --- |
 * | `waiting` | `Pulling fs layer`, `Waiting` |
 * | `downloading` | `Downloading` |
 * | `verifying` | `Verifying Checksum` |
 * | `download-complete` | `Download complete` |
 * | `extracting` | `Extracting` |
 * | `pull-complete` | `Pull complete` |
 * | `already-exists` | `Already exists` (pull) |
 * | `preparing` | `Preparing` (push) |
 * | `pushing` | `Pushing` |
 * | `pushed` | `Pushed` |
 * | `layer-already-exists` | `Layer already exists` (push) |
 * | `mounted` | `Mounted from <repository>` (push, cross-repository mount) |
 * | `retrying` | `Retrying in <n> seconds` |
 * | `loading` | `Loading layer` (load) |
 * | `unknown` | any other status that comes with a layer id and byte counts |
 *
 * @example
 * ```ts
 * const state: LayerState = 'downloading';
 * ```
 */
export type LayerState =
  | 'waiting'
  | 'downloading'
  | 'verifying'
  | 'download-complete'
  | 'extracting'
  | 'pull-complete'
  | 'already-exists'
  | 'preparing'
  | 'pushing'
  | 'pushed'
  | 'layer-already-exists'
  | 'mounted'
  | 'retrying'
  | 'loading'
  | 'unknown';

const exactStates: ReadonlyMap<string, LayerState> = new Map<string, LayerState>([
  ['pulling fs layer', 'waiting'],
  ['waiting', 'waiting'],
  ['downloading', 'downloading'],
  ['verifying checksum', 'verifying'],
  ['download complete', 'download-complete'],
  ['extracting', 'extracting'],
  ['pull complete', 'pull-complete'],
  ['already exists', 'already-exists'],
  ['preparing', 'preparing'],
  ['pushing', 'pushing'],
  ['pushed', 'pushed'],
  ['layer already exists', 'layer-already-exists'],
  ['loading layer', 'loading'],
]);

/** The same states under the engine's exact spelling (`Downloading`, `Pull complete`). */
const engineSpellings: ReadonlyMap<string, LayerState> = new Map<string, LayerState>(
  [...exactStates].map(([status, state]) => [status.charAt(0).toUpperCase() + status.slice(1), state]),
);

/**
 * The layer state a status word names, or `undefined` when it names none (`Pulling from x`,
 * `Digest: …`, …).
 *
 * @example
 * ```ts
 * layerStateOf('Verifying Checksum'); // 'verifying'
 * layerStateOf('Mounted from library/busybox'); // 'mounted'
 * layerStateOf('Pulling from library/busybox'); // undefined
 * ```
 */
export function layerStateOf(status: string): LayerState | undefined {
  // The engine's own spelling first: no trimming or lower-casing for the usual lines.
  const known = engineSpellings.get(status);
  if (known !== undefined) return known;
  const normalized = status.trim().toLowerCase();
  const exact = exactStates.get(normalized);
  if (exact !== undefined) return exact;
  if (normalized.startsWith('mounted from ')) return 'mounted';
  if (normalized.startsWith('retrying in ')) return 'retrying';
  return undefined;
}

const finishedStates: ReadonlySet<LayerState> = new Set<LayerState>([
  'pull-complete',
  'already-exists',
  'pushed',
  'layer-already-exists',
  'mounted',
]);

/**
 * Whether a layer in that state needs no more work.
 *
 * @example
 * ```ts
 * isFinishedLayerState('pull-complete'); // true
 * isFinishedLayerState('extracting'); // false
 * ```
 */
export function isFinishedLayerState(state: LayerState): boolean {
  return finishedStates.has(state);
}
