// moby.sshforward.v1.SSH messages (session/sshforward/ssh.proto); ForwardAgent streams
// BytesMessages (bytes-message.ts).
import { decodeText, readProtobufFields } from '../protobuf/protobuf-reader.js';
import { ProtobufWriter } from '../protobuf/protobuf-writer.js';

/**
 * Decodes a `CheckAgentRequest` into the agent id (`default` when empty, as BuildKit means it).
 *
 * @example
 * ```ts
 * decodeCheckAgentRequest(message); // 'default'
 * ```
 */
export function decodeCheckAgentRequest(bytes: Uint8Array): string {
  let id = '';
  for (const field of readProtobufFields(bytes)) {
    if (field.number === 1 && field.wireType === 2) id = decodeText(field.value);
  }
  return id;
}

/**
 * Encodes a `CheckAgentRequest` (for tests and tools that play the engine's side).
 *
 * @example
 * ```ts
 * encodeCheckAgentRequest('default');
 * ```
 */
export function encodeCheckAgentRequest(id: string): Uint8Array {
  return new ProtobufWriter().string(1, id).finish();
}
