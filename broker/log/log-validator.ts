// Kafka's LogValidator for Zafka's log: everything checked on a batch before it is appended, and
// offset assignment. Uncompressed batches are checked without decoding their records (ARCHITECTURE
// §2, §8); a producer's compressed batch is decompressed to walk its records, as Kafka does, and
// stored as received. A request's batches are all validated before anything is written, so a
// rejected request leaves the log untouched.
//
// Offsets are assigned by patching baseOffset and partitionLeaderEpoch in place: the CRC (CRC32C
// over attributes..end) does not cover them. LogAppendTime also rewrites attributes and
// maxTimestamp, which the CRC does cover, so only then is the CRC recomputed.
import { crc32 } from '@node-rs/crc32';
import { ErrorCode } from '../protocol/errors';
import { KafkaError } from '../protocol/kafka-error';
import {
  ATTRIBUTES,
  BASE_OFFSET,
  BASE_SEQUENCE,
  BATCH_HEADER_SIZE,
  BATCH_LENGTH,
  COMPRESSION_CODEC_MASK,
  CompressionType,
  CONTROL_FLAG_MASK,
  CRC,
  LAST_OFFSET_DELTA,
  LOG_OVERHEAD,
  MAGIC,
  MAX_TIMESTAMP,
  PARTITION_LEADER_EPOCH,
  PRODUCER_ID,
  RECORD_COUNT,
  TIMESTAMP_TYPE_MASK,
} from '../protocol/records/batch-header';
import { readInt64, writeInt64 } from '../protocol/primitives';
import { validateCompressedBatchRecords } from '../protocol/records/batch-validation';
import { crc32c } from '../protocol/records/crc32c';
import { iterateEntries } from '../protocol/records/log-entries';
import { hasReadableHeader } from './file-records';

/**
 * Why the entry buf[at, at + size) is not intact, or null: the check recovery runs on every entry
 * after the recovery point (Kafka's ensureValid: size, magic, checksum).
 */
export function entryCorruption(buf: Buffer, at: number, size: number): string | null {
  if (!hasReadableHeader(buf, at, size)) return `invalid size ${size} or magic ${buf.readInt8(at + MAGIC)}`;
  const magic = buf.readInt8(at + MAGIC);
  if (magic === 2) {
    const stored = buf.readUInt32BE(at + CRC);
    const computed = crc32c(buf, at + ATTRIBUTES, at + size);
    if (stored !== computed) return `CRC mismatch (stored ${stored}, computed ${computed})`;
    if (buf.readInt32BE(at + LAST_OFFSET_DELTA) < 0) return 'negative lastOffsetDelta';
    return null;
  }
  // Legacy v0/v1 message (a log written by an older Kafka): CRC32 (IEEE) over magic..end at byte 12.
  const stored = buf.readUInt32BE(at + LOG_OVERHEAD);
  const computed = crc32(buf.subarray(at + MAGIC, at + size)) >>> 0;
  return stored === computed ? null : `CRC mismatch (stored ${stored}, computed ${computed})`;
}

export interface ValidatedRecords {
  batchCount: number;
  recordCount: number;
  /** Bytes of whole batches; a trailing partial batch from a client is dropped (Kafka's trimInvalidBytes). */
  validBytes: number;
}

function corrupt(message: string): KafkaError {
  return new KafkaError(ErrorCode.CORRUPT_MESSAGE, message);
}

function invalidRecord(message: string): KafkaError {
  return new KafkaError(ErrorCode.INVALID_RECORD, message);
}

/**
 * Validates the batches of a produce (fromClient) or replication (follower) append and throws
 * KafkaError with the code Kafka 2.4.0 answers (Log.analyzeAndValidateRecords, then
 * LogValidator): MESSAGE_TOO_LARGE above max.message.bytes, RECORD_LIST_TOO_LARGE when the set
 * cannot fit in a segment, CORRUPT_MESSAGE for a bad CRC, size or magic (CorruptRecordException),
 * INVALID_RECORD for what LogValidator refuses (InvalidRecordException: baseOffset not 0, more
 * than one batch, counts and offsets that disagree, control batches or sequence-less producer ids
 * from clients, malformed records), INVALID_TIMESTAMP for a producer's LogAppendTime batch, and
 * UNKNOWN_SERVER_ERROR for an unknown codec id or a payload the codec cannot decode (Kafka's
 * IllegalArgumentException / KafkaException).
 *
 * Client batches that are compressed are decompressed and their records walked (Kafka's
 * in-place path does the same); the stored bytes stay the producer's. Uncompressed client
 * batches are checked shallowly only (ARCHITECTURE §8: CRC and header). Follower batches are
 * trusted as Kafka trusts its leader: shallow checks, their own offsets.
 */
export function validateRecords(records: Buffer, maxMessageBytes: number, segmentBytes: number, fromClient: boolean, fromProducer = fromClient): ValidatedRecords {
  return fromClient ? validateClientRecords(records, maxMessageBytes, segmentBytes, fromProducer) : validateFollowerRecords(records, segmentBytes);
}

/**
 * A leader append. fromProducer is Kafka's isFromClient: false for the broker's own appends
 * (transaction markers), which may be control batches and carry no sequence.
 */
function validateClientRecords(records: Buffer, maxMessageBytes: number, segmentBytes: number, fromProducer: boolean): ValidatedRecords {
  // Log.analyzeAndValidateRecords: per batch, in the order Kafka checks.
  let batchCount = 0;
  let validBytes = 0;
  for (const entry of iterateEntries(records)) {
    const { pos, size, magic } = entry;
    if (magic !== -1 && (magic < 0 || magic > 2)) throw corrupt(`Invalid magic found in record: ${magic}`);
    if (entry.partial) break; // Kafka's batch iterator stops at a partial batch; the bytes are trimmed.
    if (magic !== 2) throw corrupt(`Unsupported magic ${magic}: the log stores message format v2 (legacy sets are converted before append)`);
    if (readInt64(records, pos + BASE_OFFSET) !== 0) {
      throw invalidRecord(`The baseOffset of the record batch in the append should be 0, but it is ${readInt64(records, pos + BASE_OFFSET)}`);
    }
    if (size > maxMessageBytes) {
      throw new KafkaError(ErrorCode.MESSAGE_TOO_LARGE, `The record batch size in the append is ${size} bytes which exceeds the maximum configured value of ${maxMessageBytes}.`);
    }
    if (size < BATCH_HEADER_SIZE || records.readUInt32BE(pos + CRC) !== crc32c(records, pos + ATTRIBUTES, pos + size)) {
      throw corrupt(`Record is corrupt (stored crc = ${records.readUInt32BE(pos + CRC)})`);
    }
    const codec = records.readInt16BE(pos + ATTRIBUTES) & COMPRESSION_CODEC_MASK;
    if (codec > CompressionType.ZSTD) throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, `Unknown compression type id: ${codec}`);
    batchCount++;
    validBytes = pos + size;
  }
  if (batchCount === 0) throw invalidRecord('Record batch has no batches at all');
  if (validBytes > segmentBytes) {
    throw new KafkaError(ErrorCode.RECORD_LIST_TOO_LARGE, `Message batch size is ${validBytes} bytes which exceeds the maximum configured segment size of ${segmentBytes}`);
  }
  // LogValidator: a v2 append from a producer is exactly one batch.
  if (batchCount > 1) throw invalidRecord('Compressed outer record has more than one batch');
  return { batchCount, recordCount: validateClientBatch(records, validBytes, fromProducer), validBytes };
}

/** LogValidator.validateBatch (isFromClient) and the records of the one batch at 0; returns its count. */
function validateClientBatch(records: Buffer, size: number, fromProducer: boolean): number {
  const attributes = records.readInt16BE(ATTRIBUTES);
  const lastOffsetDelta = records.readInt32BE(LAST_OFFSET_DELTA);
  const count = records.readInt32BE(RECORD_COUNT);
  if (lastOffsetDelta + 1 <= 0) throw invalidRecord(`Batch has an invalid offset range: [0, ${lastOffsetDelta}]`);
  if (count <= 0) throw invalidRecord(`Invalid reported count for record batch: ${count}`);
  if (lastOffsetDelta + 1 !== count) throw invalidRecord(`Inconsistent batch offset range [0, ${lastOffsetDelta}] and count of records ${count}`);
  if (fromProducer && readInt64(records, PRODUCER_ID) >= 0 && records.readInt32BE(BASE_SEQUENCE) < 0) {
    throw invalidRecord(`Invalid sequence number ${records.readInt32BE(BASE_SEQUENCE)} in record batch with producerId ${readInt64(records, PRODUCER_ID)}`);
  }
  if (fromProducer && attributes & CONTROL_FLAG_MASK) throw invalidRecord('Clients are not allowed to write control records');
  if ((attributes & COMPRESSION_CODEC_MASK) !== CompressionType.NONE) validateCompressedBatchRecords(records, 0, size);
  // LogValidator.validateTimestamp, for every record: only the broker may set LogAppendTime.
  if (attributes & TIMESTAMP_TYPE_MASK) {
    throw new KafkaError(ErrorCode.INVALID_TIMESTAMP, 'Invalid timestamp type in message. Producer should not set timestamp type to LogAppendTime.');
  }
  return count;
}

function validateFollowerRecords(records: Buffer, segmentBytes: number): ValidatedRecords {
  if (records.length > segmentBytes) {
    throw new KafkaError(ErrorCode.RECORD_LIST_TOO_LARGE, `Message batch size is ${records.length} bytes which exceeds the maximum configured segment size of ${segmentBytes}`);
  }
  let batchCount = 0;
  let recordCount = 0;
  let prevLastOffset = -1;
  let pos = 0;
  while (pos < records.length) {
    if (records.length - pos < BATCH_HEADER_SIZE) throw corrupt(`Truncated record batch at byte ${pos}`);
    const size = LOG_OVERHEAD + records.readInt32BE(pos + BATCH_LENGTH);
    const magic = records.readInt8(pos + MAGIC);
    if (magic !== 2) throw corrupt(`Unsupported magic ${magic}: the log stores message format v2`);
    if (size < BATCH_HEADER_SIZE || pos + size > records.length) throw corrupt(`Record batch at byte ${pos} has invalid size ${size}`);
    const stored = records.readUInt32BE(pos + CRC);
    if (stored !== crc32c(records, pos + ATTRIBUTES, pos + size)) throw corrupt(`Record batch at byte ${pos} is corrupt (CRC mismatch)`);
    const attributes = records.readInt16BE(pos + ATTRIBUTES);
    if ((attributes & COMPRESSION_CODEC_MASK) > CompressionType.ZSTD) throw corrupt(`Unknown compression codec ${attributes & COMPRESSION_CODEC_MASK}`);
    const lastOffsetDelta = records.readInt32BE(pos + LAST_OFFSET_DELTA);
    const count = records.readInt32BE(pos + RECORD_COUNT);
    if (lastOffsetDelta < 0 || count < 0) throw corrupt('Negative lastOffsetDelta or record count');
    // Replicated batches keep their offsets, which must increase strictly within the set.
    const base = readInt64(records, pos + BASE_OFFSET);
    if (base <= prevLastOffset) throw corrupt(`Out of order offsets: batch at ${base} after ${prevLastOffset}`);
    prevLastOffset = base + lastOffsetDelta;
    batchCount++;
    recordCount += count;
    pos += size;
  }
  return { batchCount, recordCount, validBytes: records.length };
}

export interface AssignedOffsets {
  lastOffset: number;
  maxTimestamp: number;
  offsetOfMaxTimestamp: number;
}

/**
 * Stamps baseOffset (from firstOffset on) and partitionLeaderEpoch into validated batches, in
 * place. With logAppendTime >= 0 (message.timestamp.type=LogAppendTime) also sets the timestamp
 * type bit and maxTimestamp and recomputes the CRC. The offset of the max timestamp is the last
 * offset of the batch carrying it (Kafka's shallow answer; records are not decoded).
 */
export function assignOffsetsInPlace(records: Buffer, firstOffset: number, leaderEpoch: number, logAppendTime: number): AssignedOffsets {
  let offset = firstOffset;
  let maxTimestamp = -1;
  let offsetOfMaxTimestamp = -1;
  let pos = 0;
  while (pos < records.length) {
    const size = LOG_OVERHEAD + records.readInt32BE(pos + BATCH_LENGTH);
    const lastOffsetDelta = records.readInt32BE(pos + LAST_OFFSET_DELTA);
    writeInt64(records, offset, pos + BASE_OFFSET);
    records.writeInt32BE(leaderEpoch, pos + PARTITION_LEADER_EPOCH);
    const lastOffset = offset + lastOffsetDelta;
    if (logAppendTime >= 0) {
      records.writeInt16BE(records.readInt16BE(pos + ATTRIBUTES) | TIMESTAMP_TYPE_MASK, pos + ATTRIBUTES);
      writeInt64(records, logAppendTime, pos + MAX_TIMESTAMP);
      records.writeUInt32BE(crc32c(records, pos + ATTRIBUTES, pos + size), pos + CRC);
    }
    const ts = readInt64(records, pos + MAX_TIMESTAMP);
    if (ts > maxTimestamp) {
      maxTimestamp = ts;
      offsetOfMaxTimestamp = lastOffset;
    }
    offset = lastOffset + 1;
    pos += size;
  }
  // Kafka reports LogAppendTime batches' max timestamp at the last offset of the set.
  if (logAppendTime >= 0) offsetOfMaxTimestamp = offset - 1;
  return { lastOffset: offset - 1, maxTimestamp, offsetOfMaxTimestamp };
}

/** Offsets and max timestamp of batches that keep their own offsets (follower appends). */
export function describeRecords(records: Buffer): { firstOffset: number } & AssignedOffsets {
  let firstOffset = -1;
  let lastOffset = -1;
  let maxTimestamp = -1;
  let offsetOfMaxTimestamp = -1;
  let pos = 0;
  while (pos < records.length) {
    const size = LOG_OVERHEAD + records.readInt32BE(pos + BATCH_LENGTH);
    const base = readInt64(records, pos + BASE_OFFSET);
    if (firstOffset < 0) firstOffset = base;
    lastOffset = base + records.readInt32BE(pos + LAST_OFFSET_DELTA);
    const ts = readInt64(records, pos + MAX_TIMESTAMP);
    if (ts > maxTimestamp) {
      maxTimestamp = ts;
      offsetOfMaxTimestamp = lastOffset;
    }
    pos += size;
  }
  return { firstOffset, lastOffset, maxTimestamp, offsetOfMaxTimestamp };
}
