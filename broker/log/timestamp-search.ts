// ListOffsets by timestamp wants the first RECORD with timestamp >= target (KIP-79), so the one
// batch that holds it is opened here. Uncompressed v2 records are walked for their timestamp
// deltas (a few varints, no allocation); LogAppendTime batches give every record the batch's max
// timestamp. A compressed batch is answered shallowly with its first offset (see DIFFERENCES:
// never later than Kafka's answer, so a consumer seeking by time skips nothing).
import {
  ATTRIBUTES,
  BASE_OFFSET,
  BASE_TIMESTAMP,
  COMPRESSION_CODEC_MASK,
  MAX_TIMESTAMP,
  RECORDS,
  RECORD_COUNT,
  TIMESTAMP_TYPE_MASK,
} from '../protocol/records/batch-header';
import { readInt64 } from '../protocol/primitives';
import type { TimestampOffset } from './time-index';

/** Zig-zag varint/varlong at pos: [value, next position]. Values are JS numbers (exact to 2^52). */
function readVarlong(buf: Buffer, pos: number, end: number): [number, number] {
  let raw = 0;
  let scale = 1;
  for (;;) {
    if (pos >= end) throw new RangeError('varint past the end of the batch');
    const b = buf[pos++];
    raw += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) break;
    scale *= 128;
  }
  const value = raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  return [value, pos];
}

/**
 * The first record of the v2 batch buf[at, at + size) with timestamp >= target and offset >=
 * minOffset, or null. The caller has checked that the batch's maxTimestamp is >= target.
 */
export function searchBatchForTimestamp(buf: Buffer, at: number, size: number, target: number, minOffset: number): TimestampOffset | null {
  const baseOffset = readInt64(buf, at + BASE_OFFSET);
  const attributes = buf.readInt16BE(at + ATTRIBUTES);
  const maxTimestamp = readInt64(buf, at + MAX_TIMESTAMP);
  if (attributes & TIMESTAMP_TYPE_MASK || (attributes & COMPRESSION_CODEC_MASK) !== 0) {
    if (maxTimestamp < target) return null;
    return { timestamp: maxTimestamp, offset: Math.max(baseOffset, minOffset) };
  }
  const baseTimestamp = readInt64(buf, at + BASE_TIMESTAMP);
  const count = buf.readInt32BE(at + RECORD_COUNT);
  const end = at + size;
  let pos = at + RECORDS;
  try {
    for (let i = 0; i < count && pos < end; i++) {
      // Record: length varint | attributes int8 | timestampDelta varlong | offsetDelta varint | ...
      const [length, afterLength] = readVarlong(buf, pos, end);
      const [timestampDelta, afterTs] = readVarlong(buf, afterLength + 1, end);
      const [offsetDelta] = readVarlong(buf, afterTs, end);
      const timestamp = baseTimestamp + timestampDelta;
      const offset = baseOffset + offsetDelta;
      if (timestamp >= target && offset >= minOffset) return { timestamp, offset };
      pos = afterLength + length;
    }
    return null;
  } catch {
    // A malformed record body (recovery checked the CRC, so unlikely): answer shallowly.
    return { timestamp: maxTimestamp, offset: Math.max(baseOffset, minOffset) };
  }
}
