// Kafka's LogValidator, shallow part only: everything that can be checked and done on a v2 batch
// without decoding its records (ARCHITECTURE §2, §8). A request's batches are all validated before
// anything is written, so a rejected request leaves the log untouched.
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
  readInt64,
  writeInt64,
} from '../protocol/records/batch-header';
import { crc32c } from '../protocol/records/crc32c';
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
}

function corrupt(message: string): KafkaError {
  return new KafkaError(ErrorCode.CORRUPT_MESSAGE, message);
}

/**
 * Validates every batch of a produce (fromClient) or replication (follower) append. Throws
 * KafkaError: MESSAGE_TOO_LARGE for a batch above max.message.bytes, RECORD_LIST_TOO_LARGE when the
 * whole set cannot fit in a segment, CORRUPT_MESSAGE for a bad CRC or any malformation (Kafka 2.4
 * reports InvalidRecordException as CORRUPT_MESSAGE; INVALID_RECORD only exists from 2.5).
 */
export function validateRecords(records: Buffer, maxMessageBytes: number, segmentBytes: number, fromClient: boolean): ValidatedRecords {
  if (records.length === 0 && fromClient) throw corrupt('Produce request with no record batch');
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
    if (magic !== 2) throw corrupt(`Unsupported magic ${magic}: the log stores message format v2 (legacy sets are converted before append)`);
    if (size < BATCH_HEADER_SIZE || pos + size > records.length) throw corrupt(`Record batch at byte ${pos} has invalid size ${size}`);
    if (fromClient && size > maxMessageBytes) {
      throw new KafkaError(ErrorCode.MESSAGE_TOO_LARGE, `The record batch size ${size} bytes exceeds max.message.bytes ${maxMessageBytes}`);
    }
    const stored = records.readUInt32BE(pos + CRC);
    if (stored !== crc32c(records, pos + ATTRIBUTES, pos + size)) throw corrupt(`Record batch at byte ${pos} is corrupt (CRC mismatch)`);
    const attributes = records.readInt16BE(pos + ATTRIBUTES);
    if ((attributes & COMPRESSION_CODEC_MASK) > 4) throw corrupt(`Unknown compression codec ${attributes & COMPRESSION_CODEC_MASK}`);
    const lastOffsetDelta = records.readInt32BE(pos + LAST_OFFSET_DELTA);
    const count = records.readInt32BE(pos + RECORD_COUNT);
    if (lastOffsetDelta < 0 || count < 0) throw corrupt('Negative lastOffsetDelta or record count');
    if (fromClient) {
      // Kafka's validateBatch for client batches: offsets and count must agree, no empty batch.
      if (count === 0 || lastOffsetDelta + 1 !== count) {
        throw corrupt(`Inconsistent batch offset range [0, ${lastOffsetDelta}] and count of records ${count}`);
      }
      if (attributes & CONTROL_FLAG_MASK) throw corrupt('Clients are not allowed to write control records');
      if (readInt64(records, pos + PRODUCER_ID) >= 0 && records.readInt32BE(pos + BASE_SEQUENCE) < 0) {
        throw corrupt('Invalid sequence number for a batch with a producer id');
      }
    } else {
      // Replicated batches keep their offsets, which must increase strictly within the set.
      const base = readInt64(records, pos + BASE_OFFSET);
      if (base <= prevLastOffset) throw corrupt(`Out of order offsets: batch at ${base} after ${prevLastOffset}`);
      prevLastOffset = base + lastOffsetDelta;
    }
    batchCount++;
    recordCount += count;
    pos += size;
  }
  return { batchCount, recordCount };
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
