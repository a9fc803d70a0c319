import { readProtobufFields } from './protobuf-reader.js';

/**
 * A step of a BuildKit build (`Vertex`): `[2/3] RUN make`, `load build definition`, ….
 *
 * @example
 * ```ts
 * if (vertex.completed && !vertex.error) console.log('done:', vertex.name, vertex.cached ? '(cached)' : '');
 * ```
 */
export interface BuildkitVertex {
  /** The step's digest, which logs and statuses refer to. */
  readonly digest: string;
  /** Digests of the steps it depends on. */
  readonly inputs: readonly string[];
  /** What the step does, as BuildKit names it. */
  readonly name: string;
  /** Whether the result came from the cache. */
  readonly cached: boolean;
  /** When it started, once it has. */
  readonly started: Date | undefined;
  /** When it ended, once it has. */
  readonly completed: Date | undefined;
  /** Why it failed, if it did. */
  readonly error: string | undefined;
}

/**
 * Progress of one piece of work inside a step (`VertexStatus`): a layer being pulled or exported.
 *
 * @example
 * ```ts
 * for await (const event of building) {
 *   if (event.type === 'buildkit-status') for (const status of event.status.statuses) console.log(status.id, status.current, '/', status.total);
 * }
 * ```
 */
export interface BuildkitVertexStatus {
  /** What is being worked on (a layer digest, `exporting layers`, …). */
  readonly id: string;
  /** The step it belongs to. */
  readonly vertex: string;
  /** A display name, when set. */
  readonly name: string;
  /** Units done. */
  readonly current: number;
  /** Units in total (0 when unknown). */
  readonly total: number;
  /** When it started, once it has. */
  readonly started: Date | undefined;
  /** When it ended, once it has. */
  readonly completed: Date | undefined;
}

/**
 * Output of a step (`VertexLog`): what a `RUN` command printed.
 *
 * @example
 * ```ts
 * for await (const event of building) {
 *   if (event.type === 'buildkit-status') for (const log of event.status.logs) process.stdout.write(log.text);
 * }
 * ```
 */
export interface BuildkitVertexLog {
  /** The step that printed it. */
  readonly vertex: string;
  /** 1 for stdout, 2 for stderr. */
  readonly stream: number;
  /** The output, decoded as UTF-8. */
  readonly text: string;
}

/**
 * A warning about a step (`VertexWarning`), e.g. from Dockerfile checks.
 *
 * @example
 * ```ts
 * for await (const event of building) {
 *   if (event.type === 'buildkit-status') for (const warning of event.status.warnings) console.warn(warning.short);
 * }
 * ```
 */
export interface BuildkitVertexWarning {
  /** The step it is about. */
  readonly vertex: string;
  /** Severity. */
  readonly level: number;
  /** The warning. */
  readonly short: string;
  /** More lines, if any. */
  readonly detail: readonly string[];
  /** A link to documentation, if any. */
  readonly url: string;
}

/**
 * One decoded BuildKit `StatusResponse` (the `aux` of a `moby.buildkit.trace` message).
 *
 * @example
 * ```ts
 * // The `aux` of a `moby.buildkit.trace` message of the engine's build stream (base64 protobuf).
 * for await (const message of await buildImage(client, { body: bytes, version: '2' })) {
 *   if (message.id !== 'moby.buildkit.trace' || typeof message.aux !== 'string') continue;
 *   const status = decodeBuildkitStatus(message.aux);
 *   for (const log of status.logs) process.stdout.write(log.text);
 * }
 * ```
 */
export interface BuildkitStatus {
  /** Steps that started, ended or changed. */
  readonly vertexes: readonly BuildkitVertex[];
  /** Progress inside steps. */
  readonly statuses: readonly BuildkitVertexStatus[];
  /** Output of steps. */
  readonly logs: readonly BuildkitVertexLog[];
  /** Warnings. */
  readonly warnings: readonly BuildkitVertexWarning[];
}

const utf8 = new TextDecoder();

function text(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

function timestamp(bytes: Uint8Array): Date {
  let seconds = 0n;
  let nanos = 0n;
  for (const field of readProtobufFields(bytes)) {
    if (field.wireType !== 0) continue;
    if (field.number === 1) seconds = BigInt.asIntN(64, field.value);
    else if (field.number === 2) nanos = BigInt.asIntN(32, field.value);
  }
  return new Date(Number(seconds) * 1000 + Math.floor(Number(nanos) / 1e6));
}

function decodeVertex(bytes: Uint8Array): BuildkitVertex {
  let digest = '';
  const inputs: string[] = [];
  let name = '';
  let cached = false;
  let started: Date | undefined;
  let completed: Date | undefined;
  let error: string | undefined;
  for (const field of readProtobufFields(bytes)) {
    if (field.wireType === 2) {
      if (field.number === 1) digest = text(field.value);
      else if (field.number === 2) inputs.push(text(field.value));
      else if (field.number === 3) name = text(field.value);
      else if (field.number === 5) started = timestamp(field.value);
      else if (field.number === 6) completed = timestamp(field.value);
      else if (field.number === 7) error = text(field.value) || undefined;
    } else if (field.wireType === 0 && field.number === 4) {
      cached = field.value !== 0n;
    }
  }
  return { digest, inputs, name, cached, started, completed, error };
}

function decodeVertexStatus(bytes: Uint8Array): BuildkitVertexStatus {
  let id = '';
  let vertex = '';
  let name = '';
  let current = 0;
  let total = 0;
  let started: Date | undefined;
  let completed: Date | undefined;
  for (const field of readProtobufFields(bytes)) {
    if (field.wireType === 2) {
      if (field.number === 1) id = text(field.value);
      else if (field.number === 2) vertex = text(field.value);
      else if (field.number === 3) name = text(field.value);
      else if (field.number === 7) started = timestamp(field.value);
      else if (field.number === 8) completed = timestamp(field.value);
    } else if (field.wireType === 0) {
      if (field.number === 4) current = Number(BigInt.asIntN(64, field.value));
      else if (field.number === 5) total = Number(BigInt.asIntN(64, field.value));
    }
  }
  return { id, vertex, name, current, total, started, completed };
}

function decodeVertexLog(bytes: Uint8Array): BuildkitVertexLog {
  let vertex = '';
  let stream = 0;
  let message = '';
  for (const field of readProtobufFields(bytes)) {
    if (field.wireType === 2 && field.number === 1) vertex = text(field.value);
    else if (field.wireType === 2 && field.number === 4) message = text(field.value);
    else if (field.wireType === 0 && field.number === 3) stream = Number(field.value);
  }
  return { vertex, stream, text: message };
}

function decodeVertexWarning(bytes: Uint8Array): BuildkitVertexWarning {
  let vertex = '';
  let level = 0;
  let short = '';
  const detail: string[] = [];
  let url = '';
  for (const field of readProtobufFields(bytes)) {
    if (field.wireType === 2) {
      if (field.number === 1) vertex = text(field.value);
      else if (field.number === 3) short = text(field.value);
      else if (field.number === 4) detail.push(text(field.value));
      else if (field.number === 5) url = text(field.value);
    } else if (field.wireType === 0 && field.number === 2) {
      level = Number(field.value);
    }
  }
  return { vertex, level, short, detail, url };
}

/**
 * Decodes the `aux` of a `moby.buildkit.trace` message: a base64 protobuf
 * `moby.buildkit.v1.StatusResponse` (steps, progress, output, warnings). Throws `RangeError` for
 * input that is not such a message.
 *
 * @example
 * ```ts
 * for await (const event of images.build({ path: '.', version: '2' })) {
 *   if (event.type === 'buildkit-status') for (const log of event.status.logs) process.stdout.write(log.text);
 * }
 * // or by hand:
 * const status = decodeBuildkitStatus('CncKR3NoYTI1Nj…');
 * ```
 */
export function decodeBuildkitStatus(encoded: string): BuildkitStatus {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) throw new RangeError('BuildKit status: not base64');
  const bytes = Buffer.from(encoded, 'base64');
  const vertexes: BuildkitVertex[] = [];
  const statuses: BuildkitVertexStatus[] = [];
  const logs: BuildkitVertexLog[] = [];
  const warnings: BuildkitVertexWarning[] = [];
  for (const field of readProtobufFields(bytes)) {
    if (field.wireType !== 2) continue;
    if (field.number === 1) vertexes.push(decodeVertex(field.value));
    else if (field.number === 2) statuses.push(decodeVertexStatus(field.value));
    else if (field.number === 3) logs.push(decodeVertexLog(field.value));
    else if (field.number === 4) warnings.push(decodeVertexWarning(field.value));
  }
  return { vertexes, statuses, logs, warnings };
}
