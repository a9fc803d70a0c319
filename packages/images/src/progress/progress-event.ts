import type { JsonMessage } from '@berth/engine-protocol';
import type { BuildkitStatus } from '../buildkit/buildkit-status.js';
import type { LayerState } from './layer-state.js';

/**
 * What every progress event carries: the engine's message it was parsed from.
 *
 * @example
 * ```ts
 * console.log(JSON.stringify(event.raw));
 * ```
 */
export interface ProgressEventBase {
  /** The engine's message, unchanged. */
  readonly raw: JsonMessage;
}

/**
 * A layer changed state or moved bytes (pull, push, load).
 *
 * @example
 * ```ts
 * if (event.type === 'layer' && event.total) console.log(event.layerId, event.current, '/', event.total);
 * ```
 */
export interface LayerProgressEvent extends ProgressEventBase {
  /** Discriminant: always `layer`. */
  readonly type: 'layer';
  /** The engine's short layer id. */
  readonly layerId: string;
  /** The layer's state. */
  readonly state: LayerState;
  /** The engine's status words (`Downloading`, `Mounted from library/busybox`, …). */
  readonly status: string;
  /** Bytes (or `units`) done in this phase, when the engine sent counts. */
  readonly current?: number;
  /** Bytes (or `units`) of this phase in total, when known. */
  readonly total?: number;
}

/**
 * A status line that is not about one layer: `Pulling from x`, `Status: Downloaded newer image
 * for x`, `The push refers to repository [x]`, an import's new image id.
 *
 * @example
 * ```ts
 * if (event.type === 'status') console.log(event.id ? `${event.id}: ${event.status}` : event.status);
 * ```
 */
export interface StatusEvent extends ProgressEventBase {
  /** Discriminant: always `status`. */
  readonly type: 'status';
  /** The status text. */
  readonly status: string;
  /** What it is about, when the engine says (a tag for `Pulling from x`). */
  readonly id?: string;
}

/**
 * Text output: a classic build's step lines and `RUN` output, `Loaded image: x` of a load.
 *
 * @example
 * ```ts
 * if (event.type === 'output') process.stdout.write(event.text);
 * ```
 */
export interface OutputEvent extends ProgressEventBase {
  /** Discriminant: always `output`. */
  readonly type: 'output';
  /** The text, line ends included as the engine sent them. */
  readonly text: string;
}

/**
 * The id of the image a build produced (classic builder `aux: {ID}`, BuildKit `moby.image.id`).
 *
 * @example
 * ```ts
 * if (event.type === 'image-id') console.log('built', event.imageId);
 * ```
 */
export interface ImageIdEvent extends ProgressEventBase {
  /** Discriminant: always `image-id`. */
  readonly type: 'image-id';
  /** The full image id, `sha256:…`. */
  readonly imageId: string;
}

/**
 * A manifest digest: of a pushed tag (`aux: {Tag, Digest, Size}` or the status line
 * `<tag>: digest: <digest> size: <n>`), or of a pulled image (`Digest: sha256:…`).
 *
 * @example
 * ```ts
 * if (event.type === 'digest') console.log(event.tag ?? '', event.digest);
 * ```
 */
export interface DigestEvent extends ProgressEventBase {
  /** Discriminant: always `digest`. */
  readonly type: 'digest';
  /** `sha256:…` */
  readonly digest: string;
  /** The pushed tag, when the engine names it. */
  readonly tag?: string;
  /** Manifest size in bytes, when the engine sends it. */
  readonly size?: number;
}

/**
 * Auxiliary data the other events do not cover, raw (a BuildKit trace that does not decode
 * stays here too).
 *
 * @example
 * ```ts
 * if (event.type === 'auxiliary') console.log(event.id, event.data);
 * ```
 */
export interface AuxiliaryEvent extends ProgressEventBase {
  /** Discriminant: always `auxiliary`. */
  readonly type: 'auxiliary';
  /** The message's `id`, when it has one. */
  readonly id?: string;
  /** The `aux` payload, as sent. */
  readonly data: unknown;
}

/**
 * A decoded BuildKit progress report (`moby.buildkit.trace`): steps, their output, progress and
 * warnings. Only builds with `version: '2'` send these.
 *
 * @example
 * ```ts
 * if (event.type === 'buildkit-status') {
 *   for (const vertex of event.status.vertexes) if (vertex.started && !vertex.completed) console.log(vertex.name);
 *   for (const log of event.status.logs) process.stdout.write(log.text);
 * }
 * ```
 */
export interface BuildkitStatusEvent extends ProgressEventBase {
  /** Discriminant: always `buildkit-status`. */
  readonly type: 'buildkit-status';
  /** The decoded `StatusResponse`. */
  readonly status: BuildkitStatus;
}

/**
 * A warning from the engine: `[Warning] …` lines of a classic build, `[DEPRECATION NOTICE] …`
 * status lines of a pull.
 *
 * @example
 * ```ts
 * if (event.type === 'warning') console.warn(event.text.trim());
 * ```
 */
export interface WarningEvent extends ProgressEventBase {
  /** Discriminant: always `warning`. */
  readonly type: 'warning';
  /** The warning text as sent. */
  readonly text: string;
}

/**
 * The engine reported a failure in the stream. It is the last event: the operation then rejects
 * with a `StreamMessageError` (a `BuildError` for builds).
 *
 * @example
 * ```ts
 * if (event.type === 'error') console.error(event.text);
 * ```
 */
export interface ErrorEvent extends ProgressEventBase {
  /** Discriminant: always `error`. */
  readonly type: 'error';
  /** The engine's error message. */
  readonly text: string;
  /** The engine's error code (a failed `RUN` step's exit code), when sent. */
  readonly code?: number;
}

/**
 * The operation succeeded: the last event of every successful pull, push, build and load, sent
 * by Berth (not the engine) once the result is ready. Engines end their streams differently
 * (Podman's pulls stop at `Download complete`, with no `Pull complete` or final status), so this
 * is the one reliable end mark: a {@link LayerProgressAggregator} counts every layer finished
 * when it sees it. A failed operation ends with an `error` event instead, or none.
 *
 * @example
 * ```ts
 * for await (const event of pulling) if (event.type === 'complete') console.log('pulled');
 * ```
 */
export interface CompleteEvent extends ProgressEventBase {
  /** Discriminant: always `complete`. */
  readonly type: 'complete';
}

/**
 * One typed progress event of a pull, push, build or load, parsed from the engine's JSON message
 * (see {@link parseProgressEvent}). Switch on `type`.
 *
 * @example
 * ```ts
 * for await (const event of images.pull('localhost:5000/app')) {
 *   switch (event.type) {
 *     case 'layer': console.log(event.layerId, event.state); break;
 *     case 'status': console.log(event.status); break;
 *     case 'digest': console.log('digest', event.digest); break;
 *   }
 * }
 * ```
 */
export type ProgressEvent =
  | LayerProgressEvent
  | StatusEvent
  | OutputEvent
  | ImageIdEvent
  | DigestEvent
  | AuxiliaryEvent
  | BuildkitStatusEvent
  | WarningEvent
  | ErrorEvent
  | CompleteEvent;
