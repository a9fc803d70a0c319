// moby.buildkit.v1.Control messages (control.proto) that a client sends to the engine's BuildKit
// controller (`POST /grpc`): Solve and Status.
import { decodeText, readMapEntry, readProtobufFields } from '../protobuf/protobuf-reader.js';
import { ProtobufWriter } from '../protobuf/protobuf-writer.js';

/**
 * A cache import or export (`CacheOptionsEntry`): `registry` with `ref`, `inline`, `local`, ….
 *
 * @example
 * ```ts
 * const entry: CacheEntry = { type: 'registry', attributes: { ref: 'localhost:5000/app:cache', mode: 'max' } };
 * ```
 */
export interface CacheEntry {
  /** The cache backend: `registry`, `inline`, `local`, `gha`, …. */
  readonly type: string;
  /** The backend's options (`ref`, `mode`, `dest`, …). */
  readonly attributes?: Readonly<Record<string, string>>;
}

/**
 * What a `SolveRequest` carries for a frontend build (no LLB definition: the frontend makes it).
 *
 * @example
 * ```ts
 * const request: SolveRequestFields = {
 *   ref: 'build-1', session: session.id, frontend: 'dockerfile.v0',
 *   frontendAttributes: { filename: 'Dockerfile', platform: 'linux/amd64,linux/arm64' },
 *   exporter: { type: 'moby', attributes: { name: 'app:v1' } },
 * };
 * ```
 */
export interface SolveRequestFields {
  /** The build's id, which `Status` follows. */
  readonly ref: string;
  /** The build session's id. */
  readonly session: string;
  /** `dockerfile.v0` (or `gateway.v0`). */
  readonly frontend: string;
  /** The frontend's options (`filename`, `platform`, `build-arg:X`, `target`, …). */
  readonly frontendAttributes: Readonly<Record<string, string>>;
  /** Where the result goes: `moby` (an image in the engine), `local`, `tar`, …. */
  readonly exporter?: { readonly type: string; readonly attributes?: Readonly<Record<string, string>> };
  /** Caches to read from (`--cache-from`). */
  readonly cacheImports?: readonly CacheEntry[];
  /** Caches to write to (`--cache-to`). */
  readonly cacheExports?: readonly CacheEntry[];
  /** `network.host`, `security.insecure`. */
  readonly entitlements?: readonly string[];
}

function cacheEntry(entry: CacheEntry): Uint8Array {
  const writer = new ProtobufWriter().string(1, entry.type);
  for (const [key, value] of Object.entries(entry.attributes ?? {})) writer.mapEntry(2, key, value);
  return writer.finish();
}

/**
 * Encodes a `SolveRequest`. The exporter goes in the fields every BuildKit reads (the ones newer
 * versions call deprecated and still honour), so one request fits Engine 20.10 to 28.
 *
 * @example
 * ```ts
 * const bytes = encodeSolveRequest(request);
 * ```
 */
export function encodeSolveRequest(request: SolveRequestFields): Uint8Array {
  const writer = new ProtobufWriter(512).string(1, request.ref);
  if (request.exporter !== undefined) {
    writer.string(3, request.exporter.type);
    for (const [key, value] of Object.entries(request.exporter.attributes ?? {})) writer.mapEntry(4, key, value);
  }
  writer.string(5, request.session).string(6, request.frontend);
  for (const [key, value] of Object.entries(request.frontendAttributes)) writer.mapEntry(7, key, value);
  if ((request.cacheImports?.length ?? 0) > 0 || (request.cacheExports?.length ?? 0) > 0) {
    const cache = new ProtobufWriter();
    for (const entry of request.cacheExports ?? []) cache.message(4, cacheEntry(entry));
    for (const entry of request.cacheImports ?? []) cache.message(5, cacheEntry(entry));
    writer.message(8, cache.finish());
  }
  for (const entitlement of request.entitlements ?? []) writer.string(9, entitlement, true);
  return writer.finish();
}

/**
 * Decodes a `SolveResponse` into its exporter response (`containerimage.digest`, …).
 *
 * @example
 * ```ts
 * decodeSolveResponse(bytes)['containerimage.digest']; // 'sha256:…'
 * ```
 */
export function decodeSolveResponse(bytes: Uint8Array): Record<string, string> {
  const response: Record<string, string> = {};
  for (const field of readProtobufFields(bytes)) {
    if (field.number !== 1 || field.wireType !== 2) continue;
    const [key, value] = readMapEntry(field.value);
    response[decodeText(key)] = decodeText(value);
  }
  return response;
}

/**
 * Encodes a `StatusRequest` for the build `ref`.
 *
 * @example
 * ```ts
 * encodeStatusRequest('build-1');
 * ```
 */
export function encodeStatusRequest(ref: string): Uint8Array {
  return new ProtobufWriter().string(1, ref).finish();
}
