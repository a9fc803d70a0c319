// Just enough of the protobuf wire format (proto3) to read the messages BuildKit sends: varints,
// 64- and 32-bit fixed fields, and length-delimited fields (strings, bytes, nested messages,
// packed repeated fields, map entries).

/**
 * One field of a protobuf message, as on the wire: `varint` values as unsigned 64-bit `bigint`
 * (reinterpret with `BigInt.asIntN(64, …)` for signed types), everything else as bytes.
 *
 * @example
 * ```ts
 * const field: ProtobufField = { number: 3, wireType: 0, value: 7n };
 * ```
 */
export type ProtobufField =
  | { readonly number: number; readonly wireType: 0; readonly value: bigint }
  | { readonly number: number; readonly wireType: 1 | 2 | 5; readonly value: Uint8Array };

const textDecoder = new TextDecoder('utf-8', { fatal: false });

/**
 * The fields of one message in wire order. Throws `RangeError` for malformed input: a truncated
 * field, a varint longer than 10 bytes, a field number 0, a group or an unknown wire type. Never
 * throws anything else, whatever the bytes.
 *
 * @example
 * ```ts
 * let host = '';
 * for (const field of readProtobufFields(bytes)) {
 *   if (field.number === 1 && field.wireType === 2) host = decodeText(field.value);
 * }
 * ```
 */
export function* readProtobufFields(bytes: Uint8Array): Generator<ProtobufField, void, undefined> {
  let offset = 0;
  const readVarint = (): bigint => {
    // Fast path: most varints (tags, lengths, small numbers) fit in 28 bits.
    let small = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (offset >= bytes.length) throw new RangeError('protobuf: truncated varint');
      const byte = bytes[offset++] as number;
      small |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt(small >>> 0);
    }
    let result = BigInt(small >>> 0);
    for (let shift = 28n; shift < 70n; shift += 7n) {
      if (offset >= bytes.length) throw new RangeError('protobuf: truncated varint');
      const byte = bytes[offset++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw new RangeError('protobuf: varint longer than 10 bytes');
  };
  const take = (length: bigint): Uint8Array => {
    if (length > BigInt(bytes.length - offset)) throw new RangeError('protobuf: truncated field');
    const end = offset + Number(length);
    const value = bytes.subarray(offset, end);
    offset = end;
    return value;
  };
  while (offset < bytes.length) {
    const key = readVarint();
    const number = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (number === 0 || number > 0x1fffffff) throw new RangeError(`protobuf: invalid field number ${number}`);
    switch (wireType) {
      case 0:
        yield { number, wireType, value: readVarint() };
        break;
      case 1:
        yield { number, wireType, value: take(8n) };
        break;
      case 2:
        yield { number, wireType, value: take(readVarint()) };
        break;
      case 5:
        yield { number, wireType, value: take(4n) };
        break;
      default:
        throw new RangeError(`protobuf: unsupported wire type ${wireType}`);
    }
  }
}

/**
 * A `string` field's value (UTF-8; invalid sequences become U+FFFD).
 *
 * @example
 * ```ts
 * decodeText(new Uint8Array([0x68, 0x69])); // 'hi'
 * ```
 */
export function decodeText(bytes: Uint8Array): string {
  return textDecoder.decode(bytes);
}

/**
 * A `uint32` field's value (the low 32 bits, as proto3 parsers read an oversized varint).
 *
 * @example
 * ```ts
 * toUint32(0x1_0000_0005n); // 5
 * ```
 */
export function toUint32(value: bigint): number {
  return Number(BigInt.asUintN(32, value));
}

/**
 * An `int64` field's value as a `bigint` (two's complement).
 *
 * @example
 * ```ts
 * toInt64(0xffff_ffff_ffff_ffffn); // -1n
 * ```
 */
export function toInt64(value: bigint): bigint {
  return BigInt.asIntN(64, value);
}

/**
 * The key and value of one `map<…>` entry (a nested message with the key as field 1 and the value
 * as field 2; both may be missing when empty).
 *
 * @example
 * ```ts
 * const [key, value] = readMapEntry(message); // a map entry's bytes → key and value, empty when absent
 * ```
 */
export function readMapEntry(bytes: Uint8Array): [Uint8Array, Uint8Array] {
  let key: Uint8Array = new Uint8Array(0);
  let value: Uint8Array = new Uint8Array(0);
  for (const field of readProtobufFields(bytes)) {
    if (field.wireType !== 2) continue;
    if (field.number === 1) key = field.value;
    else if (field.number === 2) value = field.value;
  }
  return [key, value];
}
