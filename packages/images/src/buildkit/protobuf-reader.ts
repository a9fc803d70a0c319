/**
 * Internal: just enough of the protobuf wire format to read BuildKit's status messages.
 * Not exported from the package.
 *
 * @module
 */

/**
 * One field of a protobuf message, as on the wire.
 *
 * @example
 * ```ts
 * const field: ProtobufField = { number: 4, wireType: 0, value: 1n };
 * ```
 * @internal
 */
export type ProtobufField =
  | { readonly number: number; readonly wireType: 0; readonly value: bigint }
  | { readonly number: number; readonly wireType: 1; readonly value: Uint8Array }
  | { readonly number: number; readonly wireType: 2; readonly value: Uint8Array }
  | { readonly number: number; readonly wireType: 5; readonly value: Uint8Array };

/**
 * The fields of one protobuf message, in wire order. Throws `RangeError` on malformed input
 * (a truncated field, an unknown wire type, a varint longer than 10 bytes).
 * @internal
 */
export function* readProtobufFields(bytes: Uint8Array): Generator<ProtobufField, void, undefined> {
  let offset = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (offset >= bytes.length) throw new RangeError('protobuf: truncated varint');
      const byte = bytes[offset++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
    throw new RangeError('protobuf: varint too long');
  };
  const take = (length: number): Uint8Array => {
    if (length < 0 || offset + length > bytes.length) throw new RangeError('protobuf: truncated field');
    const value = bytes.subarray(offset, offset + length);
    offset += length;
    return value;
  };
  while (offset < bytes.length) {
    const key = readVarint();
    const number = Number(key >> 3n);
    const wireType = Number(key & 7n);
    switch (wireType) {
      case 0:
        yield { number, wireType, value: readVarint() };
        break;
      case 1:
        yield { number, wireType, value: take(8) };
        break;
      case 2:
        yield { number, wireType, value: take(Number(readVarint())) };
        break;
      case 5:
        yield { number, wireType, value: take(4) };
        break;
      default:
        throw new RangeError(`protobuf: unsupported wire type ${wireType}`);
    }
  }
}
