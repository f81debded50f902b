// What Kafka's broker checks on a v2 batch before appending it, without decoding records
// (DefaultRecordBatch.ensureValid + LogValidator.validateBatch): sizes, magic, CRC32C, counts.
// Record-level checks would mean decompressing; the produce path must not (ARCHITECTURE §8).
//
// Kafka 2.x reports every failure here as CorruptRecordException / InvalidRecordException, both
// CORRUPT_MESSAGE on the wire (INVALID_RECORD only arrived in 2.5 with KIP-467). An unknown
// codec id is UNSUPPORTED_COMPRESSION_TYPE, consistent with compression.ts.
import { ErrorCode } from '../errors';
import * as H from './batch-header';
import { crc32c } from './crc32c';
import { RECORD_BATCH_MAGIC } from './record-batch';

/** The smallest v2 record: length, attributes, timestampDelta, offsetDelta, key, value, headers. */
const MIN_RECORD_SIZE = 7;

export interface ValidateBatchOptions {
  /**
   * True (default) for batches from producers: recordCount must be > 0 and equal
   * lastOffsetDelta + 1, and control batches are refused. False for batches already in a log
   * (replication, recovery): compaction leaves gaps and empty batches there.
   */
  fromClient?: boolean;
}

/** Checks the v2 batch occupying buf[pos, pos + size); returns ErrorCode.NONE when it is sound. */
export function validateBatch(buf: Buffer, pos: number, size: number, options: ValidateBatchOptions = {}): ErrorCode {
  if (size < H.MAGIC_PROBE_SIZE || pos < 0 || pos + size > buf.length) return ErrorCode.CORRUPT_MESSAGE;
  if (buf.readInt8(pos + H.MAGIC) !== RECORD_BATCH_MAGIC) return ErrorCode.CORRUPT_MESSAGE;
  if (size < H.BATCH_HEADER_SIZE) return ErrorCode.CORRUPT_MESSAGE;
  if (H.entrySize(buf, pos) !== size) return ErrorCode.CORRUPT_MESSAGE;
  if (crc32c(buf, pos + H.ATTRIBUTES, pos + size) !== buf.readUInt32BE(pos + H.CRC)) return ErrorCode.CORRUPT_MESSAGE;

  const attributes = buf.readInt16BE(pos + H.ATTRIBUTES);
  const codec = attributes & H.COMPRESSION_CODEC_MASK;
  if (codec > H.CompressionType.ZSTD) return ErrorCode.UNSUPPORTED_COMPRESSION_TYPE;

  const recordCount = buf.readInt32BE(pos + H.RECORD_COUNT);
  const lastOffsetDelta = buf.readInt32BE(pos + H.LAST_OFFSET_DELTA);
  if (recordCount < 0 || lastOffsetDelta < 0) return ErrorCode.CORRUPT_MESSAGE;
  // Offset deltas strictly increase, so a batch can never hold more records than its range.
  if (recordCount > lastOffsetDelta + 1) return ErrorCode.CORRUPT_MESSAGE;
  if (codec === H.CompressionType.NONE && recordCount * MIN_RECORD_SIZE > size - H.BATCH_HEADER_SIZE) {
    return ErrorCode.CORRUPT_MESSAGE;
  }
  if (options.fromClient !== false) {
    if (recordCount === 0 || recordCount !== lastOffsetDelta + 1) return ErrorCode.CORRUPT_MESSAGE;
    if (attributes & H.CONTROL_FLAG_MASK) return ErrorCode.CORRUPT_MESSAGE;
  }
  return ErrorCode.NONE;
}
