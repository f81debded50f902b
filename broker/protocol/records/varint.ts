// Zig-zag varints as used inside v2 records (KIP-98): the same encoding as protobuf's sint32 /
// sint64. Kept local to records/ because record encoding and decoding are hot paths: these
// functions work on a Buffer and a position, allocate nothing and never touch BigInt.
//
// varlong values (timestamp deltas) are JS numbers: zig-zag doubles the magnitude, so values are
// exact up to 2^52, which covers any timestamp delta (about 140,000 years in ms).
import { ErrorCode } from '../errors';
import { KafkaError } from '../kafka-error';

const TWO_POW_31 = 2147483648;

/** Bytes needed for the zig-zag varint/varlong encoding of value. */
export function sizeOfVarlong(value: number): number {
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  let size = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    size++;
  }
  return size;
}

/** Same as sizeOfVarlong, with a fast path for the common small int32 case. */
export function sizeOfVarint(value: number): number {
  if (value >= -64 && value < 64) return 1;
  if (value >= -8192 && value < 8192) return 2;
  return sizeOfVarlong(value);
}

/** Writes value zig-zag encoded at pos; returns the position after it. */
export function writeVarlong(buf: Buffer, value: number, pos: number): number {
  if (value >= -TWO_POW_31 && value < TWO_POW_31) {
    // Fits in 32 bits: zig-zag with integer ops, then emit 7 bits at a time as unsigned.
    let v = ((value << 1) ^ (value >> 31)) >>> 0;
    while (v >= 128) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos++] = v;
    return pos;
  }
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  while (v >= 128) {
    buf[pos++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[pos++] = v;
  return pos;
}

export const writeVarint = writeVarlong;

/** A decoded varint and the position after it (one reused object per reader, see VarReader). */
export class VarReader {
  pos = 0;

  constructor(
    readonly buf: Buffer,
    pos: number,
    /** Reads must not go past end (the record or batch boundary); callers may move it. */
    public end: number,
  ) {
    this.pos = pos;
  }

  /** A zig-zag varint limited to 5 bytes (int32), as Kafka's ByteUtils.readVarint. */
  varint(): number {
    const buf = this.buf;
    let raw = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw corrupt('varint runs past the end of the record data');
      const b = buf[this.pos++];
      raw |= (b & 0x7f) << shift;
      if (b < 128) break;
      shift += 7;
      if (shift > 28) throw corrupt('varint is longer than 5 bytes');
    }
    return (raw >>> 1) ^ -(raw & 1);
  }

  /** A zig-zag varlong limited to 10 bytes (int64), returned as a JS number. */
  varlong(): number {
    const buf = this.buf;
    let raw = 0;
    let mul = 1;
    for (let i = 0; ; i++) {
      if (this.pos >= this.end) throw corrupt('varlong runs past the end of the record data');
      if (i >= 10) throw corrupt('varlong is longer than 10 bytes');
      const b = buf[this.pos++];
      raw += (b & 0x7f) * mul;
      if (b < 128) break;
      mul *= 128;
    }
    // raw is exact up to 2^53; zig-zag decode without 32-bit operators.
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }

  /** varint-length-prefixed bytes; -1 is null. Returns a view, not a copy. */
  bytes(): Buffer | null {
    const len = this.varint();
    if (len < 0) {
      if (len === -1) return null;
      throw corrupt(`invalid negative length ${len}`);
    }
    const start = this.pos;
    const stop = start + len;
    if (stop > this.end) throw corrupt('field runs past the end of the record');
    this.pos = stop;
    return this.buf.subarray(start, stop);
  }

  int8(): number {
    if (this.pos >= this.end) throw corrupt('record data ends early');
    return this.buf.readInt8(this.pos++);
  }
}

function corrupt(message: string): KafkaError {
  return new KafkaError(ErrorCode.CORRUPT_MESSAGE, message);
}
