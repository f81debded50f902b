// The fixed layout of a v2 record batch header (KIP-98). Shared by the produce path, the log
// and the fetch path: everything here works on raw bytes, in place, without decoding records.
//
//   baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 | crc uint32 |
//   attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 | maxTimestamp int64 |
//   producerId int64 | producerEpoch int16 | baseSequence int32 | recordCount int32 | records...
//
// batchLength counts the bytes after the batchLength field. The CRC is CRC32C over attributes..end,
// so baseOffset and partitionLeaderEpoch can be patched without recomputing it.
// Legacy messages (magic 0/1) share the first 17 bytes' shape: offset int64 | size int32 |
// crc uint32 | magic int8, so magic is always at byte 16 and size at byte 8.

import { readInt64 } from '../primitives';

export const BASE_OFFSET = 0;
export const BATCH_LENGTH = 8;
export const PARTITION_LEADER_EPOCH = 12;
export const MAGIC = 16;
export const CRC = 17;
export const ATTRIBUTES = 21;
export const LAST_OFFSET_DELTA = 23;
export const BASE_TIMESTAMP = 27;
export const MAX_TIMESTAMP = 35;
export const PRODUCER_ID = 43;
export const PRODUCER_EPOCH = 51;
export const BASE_SEQUENCE = 53;
export const RECORD_COUNT = 57;
export const RECORDS = 61;

/** Size of the v2 batch header (also the smallest legal v2 batch). */
export const BATCH_HEADER_SIZE = 61;
/** offset + length: what precedes batchLength's counted bytes, for any magic. */
export const LOG_OVERHEAD = 12;
/** Bytes needed to read magic at any message/batch start. */
export const MAGIC_PROBE_SIZE = 17;

export const COMPRESSION_CODEC_MASK = 0x07;
export const TIMESTAMP_TYPE_MASK = 0x08;
export const TRANSACTIONAL_FLAG_MASK = 0x10;
export const CONTROL_FLAG_MASK = 0x20;

export enum CompressionType {
  NONE = 0,
  GZIP = 1,
  SNAPPY = 2,
  LZ4 = 3,
  ZSTD = 4,
}

/** Total bytes of the batch (or legacy message) starting at pos: 12 + length field. */
export function entrySize(buf: Buffer, pos: number): number {
  return LOG_OVERHEAD + buf.readInt32BE(pos + BATCH_LENGTH);
}

export function baseOffsetOf(buf: Buffer, pos: number): number {
  return readInt64(buf, pos + BASE_OFFSET);
}

/** Last offset in a v2 batch (baseOffset + lastOffsetDelta). */
export function lastOffsetOf(buf: Buffer, pos: number): number {
  return readInt64(buf, pos + BASE_OFFSET) + buf.readInt32BE(pos + LAST_OFFSET_DELTA);
}
