// One batch of a segment as DumpLogSegments sees it: a v2 record batch, or a legacy (v0/v1)
// message, whose "batch" is the message itself (a compressed one is a wrapper of inner
// messages). Fields and their printed forms follow Kafka 2.4's RecordBatch implementations:
// lastSequence/record sequences wrap at Int.MaxValue, v0 has NoTimestampType and timestamp -1,
// CRC validity is checked (CRC32C over attributes..end for v2, CRC32 over magic..end for v0/v1).
import { crc32 } from '@node-rs/crc32';
import { ATTRIBUTES, BATCH_HEADER_SIZE, COMPRESSION_CODEC_MASK, CompressionType, TIMESTAMP_TYPE_MASK } from '../../broker/protocol/records/batch-header';
import { readInt64 } from '../../broker/protocol/primitives';
import { crc32c } from '../../broker/protocol/records/crc32c';
import { decodeLegacyEntry } from '../../broker/protocol/records/legacy-message-set';
import { decodeRecordBatch, readBatchHeader, type RecordBatchHeader, type RecordHeader, TimestampType } from '../../broker/protocol/records/record-batch';
import type { RawBatch } from './segment-reader';

/** CompressionType as Java's enum prints it. */
const CODEC_NAMES = ['NONE', 'GZIP', 'SNAPPY', 'LZ4', 'ZSTD'];

export function codecName(id: number): string {
  return CODEC_NAMES[id] ?? `UNKNOWN(${id})`;
}

/** One record in deep iteration (v2 record or legacy message). */
export interface DumpRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  /** v2 only. */
  sequence: number;
  headers: RecordHeader[];
  /** v0/v1 only. */
  crc: number;
  isValid: boolean;
}

export interface DumpBatch {
  position: number;
  magic: number;
  size: number;
  lastOffset: number;
  timestampType: 'CreateTime' | 'LogAppendTime' | 'NoTimestampType';
  maxTimestamp: number;
  compression: string;
  crc: number;
  isValid: boolean;
  /** v2 only (Kafka prints these for magic >= 2). */
  v2: (RecordBatchHeader & { lastSequence: number }) | null;
  /** Decodes the records; throws on data that does not decode. */
  records(): DumpRecord[];
}

/** DefaultRecordBatch.incrementSequence: sequences wrap to 0 after Int.MaxValue. */
function incrementSequence(sequence: number, increment: number): number {
  return sequence > 0x7fffffff - increment ? increment - (0x7fffffff - sequence) - 1 : sequence + increment;
}

export function toDumpBatch(raw: RawBatch): DumpBatch {
  return raw.magic >= 2 ? v2Batch(raw) : legacyBatch(raw);
}

function v2Batch(raw: RawBatch): DumpBatch {
  const h = readBatchHeader(raw.bytes, 0);
  const isValid = raw.bytes.length >= BATCH_HEADER_SIZE && crc32c(raw.bytes, ATTRIBUTES, raw.bytes.length) === h.crc;
  const lastSequence = h.baseSequence < 0 ? -1 : incrementSequence(h.baseSequence, h.lastOffsetDelta);
  return {
    position: raw.position,
    magic: h.magic,
    size: raw.bytes.length,
    lastOffset: h.baseOffset + h.lastOffsetDelta,
    timestampType: h.timestampType === TimestampType.LOG_APPEND_TIME ? 'LogAppendTime' : 'CreateTime',
    maxTimestamp: h.maxTimestamp,
    compression: codecName(h.compression),
    crc: h.crc,
    isValid,
    v2: { ...h, lastSequence },
    records: () =>
      decodeRecordBatch(raw.bytes, 0, { verifyCrc: false }).records.map((r) => ({
        offset: h.baseOffset + r.offsetDelta,
        timestamp: r.timestamp,
        key: r.key,
        value: r.value,
        sequence: h.baseSequence < 0 ? -1 : incrementSequence(h.baseSequence, r.offsetDelta),
        headers: r.headers,
        crc: 0,
        isValid: true,
      })),
  };
}

function legacyBatch(raw: RawBatch): DumpBatch {
  const b = raw.bytes;
  const magic = raw.magic;
  const attributes = b.readInt8(17);
  const crc = b.readUInt32BE(12);
  const isValid = (crc32(b.subarray(16)) >>> 0) === crc;
  const timestampType = magic === 0 ? 'NoTimestampType' : attributes & TIMESTAMP_TYPE_MASK ? 'LogAppendTime' : 'CreateTime';
  return {
    position: raw.position,
    magic,
    size: b.length,
    lastOffset: readInt64(b, 0),
    timestampType,
    maxTimestamp: magic === 0 ? -1 : readInt64(b, 18),
    compression: codecName(attributes & COMPRESSION_CODEC_MASK),
    crc,
    isValid,
    v2: null,
    records: () => {
      // Inner CRCs are checked when the outer one holds; a wrapper that fails it marks its records invalid.
      let innerValid = isValid;
      let messages;
      try {
        messages = decodeLegacyEntry(b, 0, b.length, isValid);
      } catch {
        innerValid = false;
        messages = decodeLegacyEntry(b, 0, b.length, false);
      }
      return messages.map((m) => ({
        offset: m.offset,
        timestamp: m.timestamp,
        key: m.key,
        value: m.value,
        sequence: -1,
        headers: [],
        crc: m.crc,
        isValid: innerValid && (m.compression !== CompressionType.NONE || m.crc === crc),
      }));
    },
  };
}
