// Record batch, message format v2 (KIP-98): encode and decode whole batches including records.
// The broker's produce path never calls decodeRecordBatch (see batch-validation.ts); decoding is
// for conversion, the group coordinator's __consumer_offsets loading, tools and tests.
//
// Each record inside the (possibly compressed) records section:
//   length varint | attributes int8 (unused, 0) | timestampDelta varlong | offsetDelta varint |
//   keyLength varint | key | valueLength varint | value | headerCount varint |
//   ( headerKeyLength varint | headerKey utf8 | headerValueLength varint | headerValue )*
// Lengths of -1 mean null (header keys may not be null).
//
// Our decoded Record carries an ABSOLUTE timestamp and a RELATIVE offsetDelta: timestamps are
// what every user of a decoded record wants, while offsets are only known once the log assigns
// the batch's baseOffset (absolute offset = batch.baseOffset + record.offsetDelta).
import { ErrorCode } from '../errors';
import { KafkaError } from '../kafka-error';
import * as H from './batch-header';
import { CompressionType } from './batch-header';
import { readInt64, writeInt64 } from '../primitives';
import { compress, compressionTypeOf, decompress } from './compression';
import { crc32c } from './crc32c';
import { sizeOfVarint, sizeOfVarlong, VarReader, writeVarint, writeVarlong } from './varint';

export enum TimestampType {
  CREATE_TIME = 0,
  LOG_APPEND_TIME = 1,
}

export const NO_TIMESTAMP = -1;
export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_PARTITION_LEADER_EPOCH = -1;
export const RECORD_BATCH_MAGIC = 2;

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

/** A decoded v2 record. key/value/header values are views into the batch (or its decompressed copy). */
export interface KafkaRecord {
  offsetDelta: number;
  /** Absolute; for LOG_APPEND_TIME batches it is the batch's maxTimestamp, as Kafka reports it. */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** Kafka's name for it. Beware: importing it shadows TypeScript's Record<K, V> in that file. */
export type Record = KafkaRecord;

export interface RecordBatchHeader {
  baseOffset: number;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
  // Derived from attributes.
  compression: CompressionType;
  timestampType: TimestampType;
  isTransactional: boolean;
  isControl: boolean;
}

export interface RecordBatch extends RecordBatchHeader {
  records: KafkaRecord[];
}

export interface RecordInput {
  /** Defaults to the record's index in the batch. */
  offsetDelta?: number;
  /** Absolute; defaults to the batch options' timestamp. */
  timestamp?: number;
  key?: Buffer | string | null;
  value?: Buffer | string | null;
  headers?: { key: string; value: Buffer | string | null }[];
}

export interface EncodeRecordBatchOptions {
  baseOffset?: number;
  partitionLeaderEpoch?: number;
  compression?: CompressionType;
  timestampType?: TimestampType;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  isTransactional?: boolean;
  isControl?: boolean;
  /** Timestamp for records that have none (default Date.now(), read once). */
  timestamp?: number;
  /** Overrides max(record timestamps), e.g. the log-append time for LOG_APPEND_TIME batches. */
  maxTimestamp?: number;
  /** Overrides the last record's offsetDelta (compacted or empty batches keep their range). */
  lastOffsetDelta?: number;
  records: RecordInput[];
}

/** Reads the 61-byte header of the v2 batch at pos (no checks beyond the buffer's bounds). */
export function readBatchHeader(buf: Buffer, pos = 0): RecordBatchHeader {
  if (pos + H.BATCH_HEADER_SIZE > buf.length) throw corrupt('record batch header is truncated');
  const attributes = buf.readInt16BE(pos + H.ATTRIBUTES);
  return {
    baseOffset: readInt64(buf, pos + H.BASE_OFFSET),
    batchLength: buf.readInt32BE(pos + H.BATCH_LENGTH),
    partitionLeaderEpoch: buf.readInt32BE(pos + H.PARTITION_LEADER_EPOCH),
    magic: buf.readInt8(pos + H.MAGIC),
    crc: buf.readUInt32BE(pos + H.CRC),
    attributes,
    lastOffsetDelta: buf.readInt32BE(pos + H.LAST_OFFSET_DELTA),
    baseTimestamp: readInt64(buf, pos + H.BASE_TIMESTAMP),
    maxTimestamp: readInt64(buf, pos + H.MAX_TIMESTAMP),
    producerId: readInt64(buf, pos + H.PRODUCER_ID),
    producerEpoch: buf.readInt16BE(pos + H.PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(pos + H.BASE_SEQUENCE),
    recordCount: buf.readInt32BE(pos + H.RECORD_COUNT),
    compression: (attributes & H.COMPRESSION_CODEC_MASK) as CompressionType,
    timestampType: attributes & H.TIMESTAMP_TYPE_MASK ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
    isTransactional: (attributes & H.TRANSACTIONAL_FLAG_MASK) !== 0,
    isControl: (attributes & H.CONTROL_FLAG_MASK) !== 0,
  };
}

/**
 * Decodes the v2 batch at pos, decompressing its records. Throws KafkaError(CORRUPT_MESSAGE) on a
 * truncated batch, wrong magic, CRC mismatch (unless verifyCrc is false) or malformed records.
 */
export function decodeRecordBatch(buf: Buffer, pos = 0, options: { verifyCrc?: boolean } = {}): RecordBatch {
  const header = readBatchHeader(buf, pos);
  if (header.magic !== RECORD_BATCH_MAGIC) throw corrupt(`expected magic 2, found ${header.magic}`);
  const end = pos + H.LOG_OVERHEAD + header.batchLength;
  if (header.batchLength < H.BATCH_HEADER_SIZE - H.LOG_OVERHEAD || end > buf.length) {
    throw corrupt('record batch is truncated or has an invalid length');
  }
  if (options.verifyCrc !== false && crc32c(buf, pos + H.ATTRIBUTES, end) !== header.crc) {
    throw corrupt('record batch CRC32C mismatch');
  }
  if (header.recordCount < 0) throw corrupt(`invalid record count ${header.recordCount}`);
  let data = buf.subarray(pos + H.RECORDS, end);
  if (header.compression !== CompressionType.NONE) {
    data = decompress(compressionTypeOf(header.compression), data);
  }
  const logAppendTime = header.timestampType === TimestampType.LOG_APPEND_TIME ? header.maxTimestamp : null;
  const reader = new VarReader(data, 0, data.length);
  const records: KafkaRecord[] = new Array(header.recordCount);
  for (let i = 0; i < header.recordCount; i++) {
    records[i] = readRecord(reader, data.length, header.baseTimestamp, logAppendTime);
  }
  if (reader.pos !== data.length) throw corrupt('bytes remain after the last record of the batch');
  return { ...header, records };
}

function readRecord(r: VarReader, dataEnd: number, baseTimestamp: number, logAppendTime: number | null): KafkaRecord {
  r.end = dataEnd;
  const length = r.varint();
  const recordEnd = r.pos + length;
  if (length < 0 || recordEnd > dataEnd) throw corrupt('record length runs past the batch');
  r.end = recordEnd;
  r.int8(); // attributes: unused in v2
  const timestampDelta = r.varlong();
  const offsetDelta = r.varint();
  const key = r.bytes();
  const value = r.bytes();
  const headerCount = r.varint();
  if (headerCount < 0) throw corrupt(`invalid header count ${headerCount}`);
  const headers: RecordHeader[] = [];
  for (let h = 0; h < headerCount; h++) {
    const headerKey = r.bytes();
    if (headerKey === null) throw corrupt('null header key');
    headers.push({ key: headerKey.toString('utf8'), value: r.bytes() });
  }
  if (r.pos !== recordEnd) throw corrupt('record length does not match its fields');
  return { offsetDelta, timestamp: logAppendTime ?? baseTimestamp + timestampDelta, key, value, headers };
}

type Bytes = Buffer | string | null | undefined;

function byteLength(b: Bytes): number {
  if (b === null || b === undefined) return -1;
  return typeof b === 'string' ? Buffer.byteLength(b) : b.length;
}

function writeBytes(buf: Buffer, b: Bytes, len: number, pos: number): number {
  pos = writeVarint(buf, len, pos);
  if (len > 0) pos += typeof b === 'string' ? buf.write(b, pos) : (b as Buffer).copy(buf, pos);
  return pos;
}

/**
 * Encodes one v2 batch with a correct CRC32C. Records are sized in one pass and written in a
 * second, straight into a single buffer (into the final batch buffer when uncompressed).
 * baseTimestamp is the first record's timestamp, as Kafka's MemoryRecordsBuilder does.
 */
export function encodeRecordBatch(options: EncodeRecordBatchOptions): Buffer {
  const records = options.records;
  const n = records.length;
  const defaultTimestamp = options.timestamp ?? Date.now();
  const compression = compressionTypeOf(options.compression ?? CompressionType.NONE);
  const baseTimestamp = n > 0 ? (records[0].timestamp ?? defaultTimestamp) : NO_TIMESTAMP;

  // Pass 1: sizes. Lengths are kept so strings are measured once.
  const bodySizes = new Int32Array(n);
  const keyLens = new Int32Array(n);
  const valueLens = new Int32Array(n);
  let recordsSize = 0;
  let maxTimestamp = NO_TIMESTAMP;
  for (let i = 0; i < n; i++) {
    const rec = records[i];
    const timestamp = rec.timestamp ?? defaultTimestamp;
    if (timestamp > maxTimestamp) maxTimestamp = timestamp;
    const keyLen = byteLength(rec.key);
    const valueLen = byteLength(rec.value);
    keyLens[i] = keyLen;
    valueLens[i] = valueLen;
    let size =
      1 +
      sizeOfVarlong(timestamp - baseTimestamp) +
      sizeOfVarint(rec.offsetDelta ?? i) +
      sizeOfVarint(keyLen) +
      Math.max(keyLen, 0) +
      sizeOfVarint(valueLen) +
      Math.max(valueLen, 0);
    const headers = rec.headers ?? [];
    size += sizeOfVarint(headers.length);
    for (const h of headers) {
      const hk = Buffer.byteLength(h.key);
      const hv = byteLength(h.value);
      size += sizeOfVarint(hk) + hk + sizeOfVarint(hv) + Math.max(hv, 0);
    }
    bodySizes[i] = size;
    recordsSize += sizeOfVarint(size) + size;
  }

  // Pass 2: write records.
  const uncompressed = compression === CompressionType.NONE;
  const target = Buffer.allocUnsafe(uncompressed ? H.RECORDS + recordsSize : recordsSize);
  let pos = uncompressed ? H.RECORDS : 0;
  for (let i = 0; i < n; i++) {
    const rec = records[i];
    pos = writeVarint(target, bodySizes[i], pos);
    target[pos++] = 0;
    pos = writeVarlong(target, (rec.timestamp ?? defaultTimestamp) - baseTimestamp, pos);
    pos = writeVarint(target, rec.offsetDelta ?? i, pos);
    pos = writeBytes(target, rec.key, keyLens[i], pos);
    pos = writeBytes(target, rec.value, valueLens[i], pos);
    const headers = rec.headers ?? [];
    pos = writeVarint(target, headers.length, pos);
    for (const h of headers) {
      pos = writeBytes(target, h.key, Buffer.byteLength(h.key), pos);
      pos = writeBytes(target, h.value, byteLength(h.value), pos);
    }
  }

  let batch = target;
  if (!uncompressed) {
    const compressed = compress(compression, target);
    batch = Buffer.allocUnsafe(H.RECORDS + compressed.length);
    compressed.copy(batch, H.RECORDS);
  }

  let attributes = compression;
  if (options.timestampType === TimestampType.LOG_APPEND_TIME) attributes |= H.TIMESTAMP_TYPE_MASK;
  if (options.isTransactional) attributes |= H.TRANSACTIONAL_FLAG_MASK;
  if (options.isControl) attributes |= H.CONTROL_FLAG_MASK;
  const lastOffsetDelta = options.lastOffsetDelta ?? (n > 0 ? (records[n - 1].offsetDelta ?? n - 1) : 0);

  writeInt64(batch, options.baseOffset ?? 0, H.BASE_OFFSET);
  batch.writeInt32BE(batch.length - H.LOG_OVERHEAD, H.BATCH_LENGTH);
  batch.writeInt32BE(options.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH, H.PARTITION_LEADER_EPOCH);
  batch.writeInt8(RECORD_BATCH_MAGIC, H.MAGIC);
  batch.writeInt16BE(attributes, H.ATTRIBUTES);
  batch.writeInt32BE(lastOffsetDelta, H.LAST_OFFSET_DELTA);
  writeInt64(batch, baseTimestamp, H.BASE_TIMESTAMP);
  writeInt64(batch, options.maxTimestamp ?? maxTimestamp, H.MAX_TIMESTAMP);
  writeInt64(batch, options.producerId ?? NO_PRODUCER_ID, H.PRODUCER_ID);
  batch.writeInt16BE(options.producerEpoch ?? NO_PRODUCER_EPOCH, H.PRODUCER_EPOCH);
  batch.writeInt32BE(options.baseSequence ?? NO_SEQUENCE, H.BASE_SEQUENCE);
  batch.writeInt32BE(n, H.RECORD_COUNT);
  batch.writeUInt32BE(crc32c(batch, H.ATTRIBUTES, batch.length), H.CRC);
  return batch;
}

function corrupt(message: string): KafkaError {
  return new KafkaError(ErrorCode.CORRUPT_MESSAGE, message);
}
