// BytesMessage { bytes data = 1; }: the message of SSH.ForwardAgent, FileSend.DiffCopy for `tar`
// outputs, and Control.Session.
import { readProtobufFields } from '../protobuf/protobuf-reader.js';
import { ProtobufWriter } from '../protobuf/protobuf-writer.js';

/**
 * Encodes a `BytesMessage`.
 *
 * @example
 * ```ts
 * await call.send(encodeBytesMessage(chunk));
 * ```
 */
export function encodeBytesMessage(data: Uint8Array): Uint8Array {
  return new ProtobufWriter(data.length + 6).bytes(1, data).finish();
}

/**
 * Decodes a `BytesMessage` (empty when the field is absent). Throws `RangeError` for malformed
 * bytes.
 *
 * @example
 * ```ts
 * socket.write(decodeBytesMessage(message));
 * ```
 */
export function decodeBytesMessage(bytes: Uint8Array): Uint8Array {
  let data: Uint8Array = new Uint8Array(0);
  for (const field of readProtobufFields(bytes)) {
    if (field.number === 1 && field.wireType === 2) data = field.value;
  }
  return data;
}
