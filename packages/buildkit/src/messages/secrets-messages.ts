// moby.buildkit.secrets.v1.Secrets messages (session/secrets/secrets.proto).
import { decodeText, readMapEntry, readProtobufFields } from '../protobuf/protobuf-reader.js';
import { ProtobufWriter } from '../protobuf/protobuf-writer.js';

/**
 * A decoded `GetSecretRequest`: the secret's id and the annotations the engine sent.
 *
 * @example
 * ```ts
 * const request: SecretRequest = { id: 'npmrc', annotations: new Map() };
 * ```
 */
export interface SecretRequest {
  readonly id: string;
  readonly annotations: ReadonlyMap<string, string>;
}

/**
 * Decodes a `GetSecretRequest`.
 *
 * @example
 * ```ts
 * decodeSecretRequest(message).id; // 'npmrc'
 * ```
 */
export function decodeSecretRequest(bytes: Uint8Array): SecretRequest {
  let id = '';
  const annotations = new Map<string, string>();
  for (const field of readProtobufFields(bytes)) {
    if (field.wireType !== 2) continue;
    if (field.number === 1) id = decodeText(field.value);
    else if (field.number === 2) {
      const [key, value] = readMapEntry(field.value);
      annotations.set(decodeText(key), decodeText(value));
    }
  }
  return { id, annotations };
}

/**
 * Encodes a `GetSecretRequest` (for tests and tools that play the engine's side).
 *
 * @example
 * ```ts
 * encodeSecretRequest('npmrc');
 * ```
 */
export function encodeSecretRequest(id: string): Uint8Array {
  return new ProtobufWriter().string(1, id).finish();
}

/**
 * Encodes a `GetSecretResponse`.
 *
 * @example
 * ```ts
 * encodeSecretResponse(Buffer.from(token));
 * ```
 */
export function encodeSecretResponse(data: Uint8Array): Uint8Array {
  return new ProtobufWriter(data.length + 6).bytes(1, data).finish();
}
