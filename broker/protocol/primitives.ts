// Kafka's wire primitives: fixed-width big-endian integers, zigzag varints (record fields),
// unsigned varints (KIP-482 compact lengths and tagged fields), strings, bytes and UUIDs.
//
// Writer produces a list of chunks rather than one buffer so that large payloads (record
// batches in Fetch responses) are appended by reference and reach the socket through
// writev/cork without a copy. Reader works on one Buffer in place; `bytes` returns subarrays.
//
// int64 values are JS numbers (exact to 2^53; see docs/CONVENTIONS.md), never BigInt.

// Offsets, timestamps and producer ids are JS numbers throughout Zafka: exact up to 2^53, far
// beyond any real log (see docs/DIFFERENCES.md). readInt64 avoids BigInt on the hot path. The one
// definition of both: record batches, indexes, snapshots and the wire codec import them from here.
export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * 4294967296 + buf.readUInt32BE(pos + 4);
}

export function writeInt64(buf: Buffer, value: number, pos: number): void {
  const hi = Math.floor(value / 4294967296);
  buf.writeInt32BE(hi, pos);
  buf.writeUInt32BE(value - hi * 4294967296, pos + 4);
}

/**
 * A frame that cannot be parsed: reading past its end, a negative length that is not -1, a
 * varint longer than its type allows. The network layer closes the connection on it.
 */
export class ProtocolDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolDecodeError';
  }
}

const TWO_32 = 4294967296;
/** Appended buffers at least this large are kept by reference instead of copied. */
const REF_THRESHOLD = 256;
const MIN_CHUNK = 256;

/** The 16 bytes of Kafka's Uuid, as Kafka prints it: url-safe base64 without padding. */
export const ZERO_UUID = 'AAAAAAAAAAAAAAAAAAAAAA';

export class Writer {
  private buf: Buffer;
  private start = 0;
  private pos = 0;
  private readonly chunks: Buffer[] = [];
  private flushedLength = 0;

  /** `initial` may be a pooled Buffer to write into, or the initial capacity. */
  constructor(initial: Buffer | number = MIN_CHUNK) {
    this.buf = typeof initial === 'number' ? Buffer.allocUnsafe(Math.max(initial, 16)) : initial;
  }

  /** Bytes written so far, including by-reference chunks. */
  get length(): number {
    return this.flushedLength + (this.pos - this.start);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flushSegment();
    const size = Math.max(n, this.buf.length * 2, MIN_CHUNK);
    this.buf = Buffer.allocUnsafe(size);
    this.start = 0;
    this.pos = 0;
  }

  private flushSegment(): void {
    if (this.pos > this.start) {
      this.chunks.push(this.buf.subarray(this.start, this.pos));
      this.flushedLength += this.pos - this.start;
    }
    this.start = this.pos;
  }

  int8(v: number): this {
    this.ensure(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
    return this;
  }

  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }

  int16(v: number): this {
    this.ensure(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  uint16(v: number): this {
    this.ensure(2);
    this.buf.writeUInt16BE(v, this.pos);
    this.pos += 2;
    return this;
  }

  int32(v: number): this {
    this.ensure(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  uint32(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32BE(v, this.pos);
    this.pos += 4;
    return this;
  }

  int64(v: number): this {
    this.ensure(8);
    writeInt64(this.buf, v, this.pos);
    this.pos += 8;
    return this;
  }

  float64(v: number): this {
    this.ensure(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
    return this;
  }

  /** Unsigned LEB128, up to 2^53 (compact lengths, tags, zigzag results). */
  unsignedVarint(v: number): this {
    this.ensure(8);
    const b = this.buf;
    let p = this.pos;
    // Above 2^31 bitwise operators would truncate: peel 7-bit groups arithmetically first.
    while (v >= 0x80000000) {
      b[p++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    while (v >= 0x80) {
      b[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    b[p++] = v;
    this.pos = p;
    return this;
  }

  /** Zigzag varint of an int32 (record batch v2 fields). */
  varint(v: number): this {
    return this.unsignedVarint(((v << 1) ^ (v >> 31)) >>> 0);
  }

  /** Zigzag varlong; exact for |v| < 2^52 (numbers are doubles). */
  varlong(v: number): this {
    return this.unsignedVarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  /** Raw bytes, copied (small) or kept by reference (large). */
  raw(data: Buffer): this {
    if (data.length >= REF_THRESHOLD) return this.rawRef(data);
    this.ensure(data.length);
    data.copy(this.buf, this.pos);
    this.pos += data.length;
    return this;
  }

  /** Appends `data` by reference: it must not change until the chunks are written out. */
  rawRef(data: Buffer): this {
    if (data.length === 0) return this;
    this.flushSegment();
    this.chunks.push(data);
    this.flushedLength += data.length;
    return this;
  }

  private utf8(s: string, len: number): void {
    this.ensure(len);
    this.buf.write(s, this.pos, len, 'utf8');
    this.pos += len;
  }

  string(s: string): this {
    const len = Buffer.byteLength(s, 'utf8');
    if (len > 0x7fff) throw new RangeError(`string of ${len} bytes exceeds int16 length`);
    this.int16(len);
    this.utf8(s, len);
    return this;
  }

  nullableString(s: string | null): this {
    if (s === null) return this.int16(-1);
    return this.string(s);
  }

  compactString(s: string): this {
    const len = Buffer.byteLength(s, 'utf8');
    this.unsignedVarint(len + 1);
    this.utf8(s, len);
    return this;
  }

  compactNullableString(s: string | null): this {
    if (s === null) return this.unsignedVarint(0);
    return this.compactString(s);
  }

  bytes(b: Buffer): this {
    this.int32(b.length);
    return this.raw(b);
  }

  nullableBytes(b: Buffer | null): this {
    if (b === null) return this.int32(-1);
    return this.bytes(b);
  }

  compactBytes(b: Buffer): this {
    this.unsignedVarint(b.length + 1);
    return this.raw(b);
  }

  compactNullableBytes(b: Buffer | null): this {
    if (b === null) return this.unsignedVarint(0);
    return this.compactBytes(b);
  }

  /** Non-flexible array length (int32, -1 for null). */
  arrayLength(n: number | null): this {
    return this.int32(n === null ? -1 : n);
  }

  /** Flexible array length: unsigned varint n+1, 0 for null. */
  compactArrayLength(n: number | null): this {
    return this.unsignedVarint(n === null ? 0 : n + 1);
  }

  /** Kafka Uuid given as its base64url string (22 chars) or as 16 raw bytes. */
  uuid(id: string | Buffer): this {
    const b = typeof id === 'string' ? Buffer.from(id, 'base64url') : id;
    if (b.length !== 16) throw new RangeError('a Uuid is 16 bytes');
    this.ensure(16);
    b.copy(this.buf, this.pos);
    this.pos += 16;
    return this;
  }

  /**
   * A tagged-fields section (KIP-482): count, then per field tag, size, bytes, in ascending
   * tag order. With no argument, the empty section (one 0 byte).
   */
  taggedFields(fields?: ReadonlyArray<{ tag: number; data: Buffer }>): this {
    if (fields === undefined || fields.length === 0) return this.unsignedVarint(0);
    const sorted = [...fields].sort((a, b) => a.tag - b.tag);
    this.unsignedVarint(sorted.length);
    for (const f of sorted) {
      this.unsignedVarint(f.tag);
      this.unsignedVarint(f.data.length);
      this.raw(f.data);
    }
    return this;
  }

  /** Reserves n bytes to be filled later (a size prefix); returns where they are. */
  reserve(n: number): { buf: Buffer; offset: number } {
    this.ensure(n);
    const mark = { buf: this.buf, offset: this.pos };
    this.pos += n;
    return mark;
  }

  /** The encoded bytes as chunks (small writes are contiguous; large buffers are by reference). */
  toChunks(): Buffer[] {
    this.flushSegment();
    return this.chunks.slice();
  }

  toBuffer(): Buffer {
    const chunks = this.toChunks();
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, this.flushedLength);
  }
}

export class Reader {
  pos: number;
  readonly end: number;

  constructor(
    readonly buf: Buffer,
    offset = 0,
    end = buf.length,
  ) {
    this.pos = offset;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): number {
    const p = this.pos;
    if (p + n > this.end) {
      throw new ProtocolDecodeError(`need ${n} bytes at offset ${p}, frame ends at ${this.end}`);
    }
    this.pos = p + n;
    return p;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1));
  }

  bool(): boolean {
    return this.buf[this.need(1)] !== 0;
  }

  int16(): number {
    return this.buf.readInt16BE(this.need(2));
  }

  uint16(): number {
    return this.buf.readUInt16BE(this.need(2));
  }

  int32(): number {
    return this.buf.readInt32BE(this.need(4));
  }

  uint32(): number {
    return this.buf.readUInt32BE(this.need(4));
  }

  int64(): number {
    return readInt64(this.buf, this.need(8));
  }

  float64(): number {
    return this.buf.readDoubleBE(this.need(8));
  }

  /** Unsigned LEB128 of at most 8 bytes (56 bits; exact to 2^53). */
  unsignedVarint(): number {
    const b = this.buf;
    let p = this.pos;
    let result = 0;
    let shift = 0;
    // The first 4 groups (28 bits) fit bitwise operations; later ones use multiplication.
    for (let i = 0; i < 8; i++) {
      if (p >= this.end) throw new ProtocolDecodeError(`truncated varint at offset ${this.pos}`);
      const byte = b[p++];
      result += i < 4 ? (byte & 0x7f) << shift : (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        this.pos = p;
        return result;
      }
      shift += 7;
    }
    throw new ProtocolDecodeError(`varint too long at offset ${this.pos}`);
  }

  /** Unsigned varint limited to 32 bits (5 bytes), as Kafka's readUnsignedVarint. */
  unsignedVarint32(): number {
    const start = this.pos;
    const v = this.unsignedVarint();
    if (this.pos - start > 5 || v > 0xffffffff) {
      throw new ProtocolDecodeError(`varint exceeds 32 bits at offset ${start}`);
    }
    return v;
  }

  varint(): number {
    const v = this.unsignedVarint32();
    return (v >>> 1) ^ -(v & 1);
  }

  varlong(): number {
    const v = this.unsignedVarint();
    // Zigzag: even -> v/2, odd -> -(v+1)/2; arithmetic because v may exceed 32 bits.
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }

  /** n raw bytes as a zero-copy subarray. */
  raw(n: number): Buffer {
    const p = this.need(n);
    return this.buf.subarray(p, p + n);
  }

  private utf8(len: number): string {
    const p = this.need(len);
    return this.buf.toString('utf8', p, p + len);
  }

  string(): string {
    const s = this.nullableString();
    if (s === null) throw new ProtocolDecodeError('null in a non-nullable string');
    return s;
  }

  nullableString(): string | null {
    const len = this.int16();
    if (len === -1) return null;
    if (len < 0) throw new ProtocolDecodeError(`invalid string length ${len}`);
    return this.utf8(len);
  }

  compactString(): string {
    const s = this.compactNullableString();
    if (s === null) throw new ProtocolDecodeError('null in a non-nullable compact string');
    return s;
  }

  compactNullableString(): string | null {
    const n = this.unsignedVarint32();
    return n === 0 ? null : this.utf8(n - 1);
  }

  bytes(): Buffer {
    const b = this.nullableBytes();
    if (b === null) throw new ProtocolDecodeError('null in non-nullable bytes');
    return b;
  }

  nullableBytes(): Buffer | null {
    const len = this.int32();
    if (len === -1) return null;
    if (len < 0) throw new ProtocolDecodeError(`invalid bytes length ${len}`);
    return this.raw(len);
  }

  compactBytes(): Buffer {
    const b = this.compactNullableBytes();
    if (b === null) throw new ProtocolDecodeError('null in non-nullable compact bytes');
    return b;
  }

  compactNullableBytes(): Buffer | null {
    const n = this.unsignedVarint32();
    return n === 0 ? null : this.raw(n - 1);
  }

  /** Non-flexible array length; null for -1. Guards against absurd counts. */
  arrayLength(): number | null {
    const n = this.int32();
    if (n === -1) return null;
    if (n < 0 || n > this.remaining) throw new ProtocolDecodeError(`invalid array length ${n}`);
    return n;
  }

  compactArrayLength(): number | null {
    const n = this.unsignedVarint32();
    if (n === 0) return null;
    if (n - 1 > this.remaining) throw new ProtocolDecodeError(`invalid array length ${n - 1}`);
    return n - 1;
  }

  uuid(): string {
    return this.raw(16).toString('base64url');
  }

  /** Reads a tagged-fields section, returning the raw fields (for callers that know no tags). */
  taggedFields(): Array<{ tag: number; data: Buffer }> {
    const n = this.unsignedVarint32();
    const out: Array<{ tag: number; data: Buffer }> = [];
    for (let i = 0; i < n; i++) {
      const tag = this.unsignedVarint32();
      const size = this.unsignedVarint32();
      out.push({ tag, data: this.raw(size) });
    }
    return out;
  }

  /** Skips a tagged-fields section (request header v2 carries none that we use). */
  skipTaggedFields(): void {
    const n = this.unsignedVarint32();
    for (let i = 0; i < n; i++) {
      this.unsignedVarint32();
      this.need(this.unsignedVarint32());
    }
  }
}
