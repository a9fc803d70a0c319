// gRPC metadata from an HTTP/2 request's raw headers: every value of a repeated key kept apart
// (Node joins repeated unknown headers with ", ", which would merge include and exclude patterns),
// binary `-bin` values decoded, UTF-8 recovered from the Latin-1 that header bytes are read as.

/**
 * A call's metadata: lower-case keys, every value in order.
 *
 * @example
 * ```ts
 * const names: readonly string[] = metadata.get('exclude-patterns') ?? [];
 * ```
 */
export type GrpcMetadata = ReadonlyMap<string, readonly string[]>;

// Transport headers gRPC uses itself; never metadata.
const reservedHeaders = new Set(['content-type', 'te', 'user-agent', 'grpc-timeout', 'grpc-encoding', 'grpc-accept-encoding', 'grpc-message-type']);

/**
 * Reads the metadata of a call from the flat `[name, value, name, value, …]` raw header list of
 * Node's HTTP/2 `stream` event. Pseudo-headers and gRPC's own headers are left out.
 *
 * @example
 * ```ts
 * readGrpcMetadata(['dir-name', 'context', 'exclude-patterns', 'a', 'exclude-patterns', 'b']);
 * // Map { 'dir-name' => ['context'], 'exclude-patterns' => ['a', 'b'] }
 * ```
 */
export function readGrpcMetadata(rawHeaders: readonly string[]): GrpcMetadata {
  const metadata = new Map<string, string[]>();
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = String(rawHeaders[index]).toLowerCase();
    if (name.startsWith(':') || reservedHeaders.has(name)) continue;
    const raw = String(rawHeaders[index + 1]);
    const value = name.endsWith('-bin') ? Buffer.from(raw, 'base64').toString('latin1') : raw;
    // Header bytes arrive as Latin-1 characters; engines may send UTF-8 (older BuildKit did not
    // escape non-ASCII patterns).
    const text = /[\u0080-\u00ff]/.test(value) ? Buffer.from(value, 'latin1').toString('utf8') : value;
    const values = metadata.get(name);
    if (values) values.push(text);
    else metadata.set(name, [text]);
  }
  return metadata;
}
