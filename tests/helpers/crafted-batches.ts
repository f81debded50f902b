// Hand-made v2 record batches for hostile-input tests: a valid header and CRC around whatever
// records section a test wants (garbage that no codec decodes, a truncated stream, records that
// disagree with the header), so that only the broker's record-level checks can catch them.
import * as H from '../../broker/protocol/records/batch-header';
import { CompressionType } from '../../broker/protocol/records/batch-header';
import { writeInt64 } from '../../broker/protocol/primitives';
import { compress } from '../../broker/protocol/records/compression';
import { crc32c } from '../../broker/protocol/records/crc32c';
import { encodeRecordBatch, RecordInput } from '../../broker/protocol/records/record-batch';

export const CODECS = [CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4, CompressionType.ZSTD] as const;

export const codecName = (codec: CompressionType) => CompressionType[codec].toLowerCase();

/** The uncompressed records section of a batch holding these records (what a codec would wrap). */
export function recordsSection(records: RecordInput[], timestamp = 1_700_000_000_000): Buffer {
  return encodeRecordBatch({ timestamp, records }).subarray(H.RECORDS);
}

export interface CraftOptions {
  codec: CompressionType;
  /** The bytes after the header, as sent (already compressed, or deliberately not). */
  payload: Buffer;
  recordCount: number;
  /** Defaults to recordCount - 1, as a producer writes it. */
  lastOffsetDelta?: number;
  baseOffset?: number;
  timestamp?: number;
}

/** A v2 batch with a correct CRC around an arbitrary payload. */
export function craftBatch(o: CraftOptions): Buffer {
  const batch = Buffer.alloc(H.RECORDS + o.payload.length);
  const timestamp = o.timestamp ?? 1_700_000_000_000;
  writeInt64(batch, o.baseOffset ?? 0, H.BASE_OFFSET);
  batch.writeInt32BE(batch.length - H.LOG_OVERHEAD, H.BATCH_LENGTH);
  batch.writeInt32BE(-1, H.PARTITION_LEADER_EPOCH);
  batch.writeInt8(2, H.MAGIC);
  batch.writeInt16BE(o.codec, H.ATTRIBUTES);
  batch.writeInt32BE(o.lastOffsetDelta ?? o.recordCount - 1, H.LAST_OFFSET_DELTA);
  writeInt64(batch, timestamp, H.BASE_TIMESTAMP);
  writeInt64(batch, timestamp, H.MAX_TIMESTAMP);
  writeInt64(batch, -1, H.PRODUCER_ID);
  batch.writeInt16BE(-1, H.PRODUCER_EPOCH);
  batch.writeInt32BE(-1, H.BASE_SEQUENCE);
  batch.writeInt32BE(o.recordCount, H.RECORD_COUNT);
  o.payload.copy(batch, H.RECORDS);
  batch.writeUInt32BE(crc32c(batch, H.ATTRIBUTES, batch.length), H.CRC);
  return batch;
}

/** A compressed batch whose records section is `section` run through the codec. */
export function compressedBatch(codec: CompressionType, section: Buffer, recordCount: number, lastOffsetDelta?: number): Buffer {
  return craftBatch({ codec, payload: compress(codec, section), recordCount, lastOffsetDelta });
}

/** Bytes that none of the four codecs can decode (no gzip, xerial, LZ4 or zstd magic; not raw snappy). */
export const GARBAGE = Buffer.from('\xff\xfe this is not compressed data at all \x00\x01\x02'.repeat(4), 'latin1');

export function compressedRecords(codec: CompressionType, values: string[]): Buffer {
  return compressedBatch(codec, recordsSection(values.map((value, i) => ({ key: `k${i}`, value }))), values.length);
}
