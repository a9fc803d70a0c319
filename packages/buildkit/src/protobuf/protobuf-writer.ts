// Writes proto3 messages: fields in ascending number order, default values (0, '', empty bytes)
// left out as proto3 encoders do, nested messages length-prefixed.

const textEncoder = new TextEncoder();

/**
 * Builds one protobuf message in a growing buffer. Each method writes one field and returns the
 * writer; zero values are skipped (proto3 semantics) unless `always` is asked for.
 *
 * @example
 * ```ts
 * const encoded = new ProtobufWriter().string(1, 'registry.example.com').bytes(2, new Uint8Array([1, 2, 3])).finish();
 * ```
 */
export class ProtobufWriter {
  #buffer: Uint8Array;
  #length = 0;

  constructor(initialCapacity = 64) {
    this.#buffer = new Uint8Array(initialCapacity);
  }

  #reserve(extra: number): void {
    const needed = this.#length + extra;
    if (needed <= this.#buffer.length) return;
    let capacity = this.#buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = next;
  }

  #varint(value: number): void {
    // Non-negative safe integers only (tags, lengths, uint32, small int64).
    this.#reserve(10);
    let rest = value;
    while (rest >= 0x80) {
      this.#buffer[this.#length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.#buffer[this.#length++] = rest;
  }

  #bigVarint(value: bigint): void {
    // Two 32-bit halves as numbers: a few bigint operations instead of one per 7 bits.
    const unsigned = BigInt.asUintN(64, value);
    let low = Number(unsigned & 0xffffffffn);
    let high = Number(unsigned >> 32n);
    this.#reserve(10);
    const buffer = this.#buffer;
    while (high > 0 || low >= 0x80) {
      buffer[this.#length++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | ((high & 0x7f) << 25)) >>> 0;
      high >>>= 7;
    }
    buffer[this.#length++] = low;
  }

  #tag(number: number, wireType: number): void {
    this.#varint(number * 8 + wireType);
  }

  /**
   * A `uint32` (or enum) field.
   *
   * @example
   * ```ts
   * new ProtobufWriter().uint32(3, 42);
   * ```
   */
  uint32(number: number, value: number, always = false): this {
    if (value === 0 && !always) return this;
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`protobuf: ${value} is not a uint32`);
    this.#tag(number, 0);
    this.#varint(value);
    return this;
  }

  /**
   * An `int64` field (negative values take ten bytes, as on the wire).
   *
   * @example
   * ```ts
   * new ProtobufWriter().int64(6, 1_700_000_000_000_000_000n);
   * ```
   */
  int64(number: number, value: bigint | number, always = false): this {
    if ((value === 0 || value === 0n) && !always) return this;
    this.#tag(number, 0);
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) this.#varint(value);
    else this.#bigVarint(BigInt(value));
    return this;
  }

  /**
   * A `bool` field.
   *
   * @example
   * ```ts
   * new ProtobufWriter().bool(14, true);
   * ```
   */
  bool(number: number, value: boolean): this {
    if (!value) return this;
    this.#tag(number, 0);
    this.#varint(1);
    return this;
  }

  /**
   * A `bytes` field.
   *
   * @example
   * ```ts
   * new ProtobufWriter().bytes(4, chunk);
   * ```
   */
  bytes(number: number, value: Uint8Array, always = false): this {
    if (value.length === 0 && !always) return this;
    this.#tag(number, 2);
    this.#varint(value.length);
    this.#reserve(value.length);
    this.#buffer.set(value, this.#length);
    this.#length += value.length;
    return this;
  }

  /**
   * A `string` field, UTF-8.
   *
   * @example
   * ```ts
   * new ProtobufWriter().string(1, 'context');
   * ```
   */
  string(number: number, value: string, always = false): this {
    if (value.length === 0 && !always) return this;
    // At most 3 bytes of UTF-8 per UTF-16 unit; encode straight into the buffer.
    const maximum = value.length * 3;
    this.#tag(number, 2);
    if (maximum < 0x80) {
      // The length fits one byte whatever the encoding: no copy needed.
      this.#reserve(1 + maximum);
      const lengthAt = this.#length++;
      const { written } = textEncoder.encodeInto(value, this.#buffer.subarray(this.#length));
      this.#buffer[lengthAt] = written;
      this.#length += written;
      return this;
    }
    const encoded = textEncoder.encode(value);
    this.#varint(encoded.length);
    this.#reserve(encoded.length);
    this.#buffer.set(encoded, this.#length);
    this.#length += encoded.length;
    return this;
  }

  /**
   * A nested message field, written even when empty (presence matters for messages).
   *
   * @example
   * ```ts
   * new ProtobufWriter().message(2, new ProtobufWriter().string(1, 'a.txt').finish());
   * ```
   */
  message(number: number, encoded: Uint8Array): this {
    return this.bytes(number, encoded, true);
  }

  /**
   * One entry of a `map<string, string>` or `map<string, bytes>` field.
   *
   * @example
   * ```ts
   * for (const [key, value] of Object.entries({ filename: 'Dockerfile' })) writer.mapEntry(7, key, value);
   * ```
   */
  mapEntry(number: number, key: string, value: string | Uint8Array): this {
    const entry = new ProtobufWriter(key.length + (typeof value === 'string' ? value.length : value.length) + 8).string(1, key);
    if (typeof value === 'string') entry.string(2, value);
    else entry.bytes(2, value);
    return this.message(number, entry.finish());
  }

  /**
   * Empties the writer to encode another message in the same buffer (a view `finish` returned
   * before is overwritten).
   *
   * @example
   * ```ts
   * writer.reset().string(1, path).finish();
   * ```
   */
  reset(): this {
    this.#length = 0;
    return this;
  }

  /**
   * The encoded message (a view of the writer's buffer; do not write afterwards).
   *
   * @example
   * ```ts
   * const encoded = writer.finish();
   * ```
   */
  finish(): Uint8Array {
    return this.#buffer.subarray(0, this.#length);
  }
}
