// Legacy message sets, message format v0 (Kafka 0.8) and v1 (0.10, KIP-32 timestamps):
//
//   offset int64 | messageSize int32 | crc uint32 | magic int8 | attributes int8 |
//   [timestamp int64, v1 only] | key int32-length bytes | value int32-length bytes
//
// crc is CRC32 (IEEE) over magic..end. attributes bits 0-2 are the codec, bit 3 (v1) the
// timestamp type. A compressed message is a "wrapper" whose value is a compressed message set of
// uncompressed "inner" messages with the wrapper's magic:
// - v0: inner offsets are absolute (the broker rewrites them on append).
// - v1 (KIP-31): inner offsets are relative, 0..n-1; the wrapper carries the absolute offset of
//   the LAST inner message, so absolute = wrapperOffset - lastInner.offset + inner.offset. The
//   wrapper's timestamp is the max inner timestamp (CreateTime) or the log-append time, which
//   then replaces every inner timestamp (KIP-32).
import { crc32 } from '@node-rs/crc32';
import { ErrorCode } from '../errors';
import { KafkaError } from '../kafka-error';
import { COMPRESSION_CODEC_MASK, CompressionType, TIMESTAMP_TYPE_MASK } from './batch-header';
import { readInt64, writeInt64 } from '../primitives';
import { compress, compressionTypeOf, decompress } from './compression';
import { iterateEntries } from './log-entries';
import { NO_TIMESTAMP, TimestampType } from './record-batch';

export type LegacyMagic = 0 | 1;

export interface LegacyMessage {
  /** Absolute offset (inner messages of a wrapper are resolved to absolute offsets). */
  offset: number;
  magic: LegacyMagic;
  /** The codec of the wrapper this message came out of; NONE for a top-level message. */
  compression: CompressionType;
  /** -1 (NO_TIMESTAMP) for v0. */
  timestamp: number;
  timestampType: TimestampType;
  key: Buffer | null;
  value: Buffer | null;
  /** The CRC32 stored in the message (an inner message's own, not its wrapper's): kafka-dump-log prints it. */
  crc: number;
}

export interface LegacyMessageInput {
  /** Absolute offset; defaults to baseOffset + index. */
  offset?: number;
  /** v1 only; defaults to the options' timestamp. */
  timestamp?: number;
  key?: Buffer | string | null;
  value?: Buffer | string | null;
}

export interface EncodeMessageSetOptions {
  magic: LegacyMagic;
  compression?: CompressionType;
  /** v1 only. With LOG_APPEND_TIME every message gets the options' timestamp. */
  timestampType?: TimestampType;
  baseOffset?: number;
  /** Default timestamp (v1): Date.now() if absent. */
  timestamp?: number;
  messages: LegacyMessageInput[];
}

/** messageSize of a message without key and value: crc, magic, attributes (+ timestamp in v1). */
export function legacyRecordOverhead(magic: LegacyMagic): number {
  return magic === 0 ? 14 : 22;
}

interface RawMessage {
  offset: number;
  crc: number;
  magic: LegacyMagic;
  attributes: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
}

function readNullableBytes(buf: Buffer, pos: number, end: number): [Buffer | null, number] {
  if (pos + 4 > end) throw corrupt('message field runs past the message');
  const len = buf.readInt32BE(pos);
  pos += 4;
  if (len < 0) return [null, pos];
  if (pos + len > end) throw corrupt('message field runs past the message');
  return [buf.subarray(pos, pos + len), pos + len];
}

/** Parses and CRC-checks the single legacy message occupying buf[pos, pos + size). */
function readMessage(buf: Buffer, pos: number, size: number, verifyCrc: boolean): RawMessage {
  const end = pos + size;
  const magic = buf.readInt8(pos + 16);
  if (magic !== 0 && magic !== 1) throw corrupt(`expected a legacy message, found magic ${magic}`);
  if (size - 12 < legacyRecordOverhead(magic)) throw corrupt('legacy message is too small');
  if (verifyCrc && crc32(buf.subarray(pos + 16, end)) >>> 0 !== buf.readUInt32BE(pos + 12)) {
    throw corrupt('legacy message CRC mismatch');
  }
  const attributes = buf.readInt8(pos + 17);
  let p = pos + 18;
  let timestamp = NO_TIMESTAMP;
  if (magic === 1) {
    timestamp = readInt64(buf, p);
    p += 8;
  }
  const [key, afterKey] = readNullableBytes(buf, p, end);
  const [value, afterValue] = readNullableBytes(buf, afterKey, end);
  if (afterValue !== end) throw corrupt('legacy message size does not match its fields');
  return { offset: readInt64(buf, pos), crc: buf.readUInt32BE(pos + 12), magic, attributes, timestamp, key, value };
}

/**
 * Decodes the legacy entry at buf[pos, pos + size) into its logical messages: itself, or the
 * inner messages of a compressed wrapper with absolute offsets and resolved timestamps. A wrapper
 * whose inner set would decompress past maxOutputLength is MESSAGE_TOO_LARGE (output-limit.ts).
 */
export function decodeLegacyEntry(buf: Buffer, pos: number, size: number, verifyCrc = true, maxOutputLength = Infinity): LegacyMessage[] {
  const m = readMessage(buf, pos, size, verifyCrc);
  const codec = m.attributes & COMPRESSION_CODEC_MASK;
  const timestampType = m.magic === 1 && m.attributes & TIMESTAMP_TYPE_MASK ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
  if (codec === CompressionType.NONE) {
    return [{ offset: m.offset, magic: m.magic, compression: CompressionType.NONE, timestamp: m.timestamp, timestampType, key: m.key, value: m.value, crc: m.crc }];
  }
  if (m.value === null) throw corrupt('compressed wrapper message has a null value');
  const compression = compressionTypeOf(codec, m.magic);
  const innerSet = decompress(compression, m.value, m.magic, maxOutputLength);
  const inner: RawMessage[] = [];
  for (const e of iterateEntries(innerSet)) {
    if (e.partial) throw corrupt('truncated message inside a compressed wrapper');
    const im = readMessage(innerSet, e.pos, e.size, verifyCrc);
    // Kafka refuses nested compression and mixed magic (AbstractLegacyRecordBatch).
    if (im.attributes & COMPRESSION_CODEC_MASK) throw corrupt('compressed message inside a compressed wrapper');
    if (im.magic !== m.magic) throw corrupt(`inner message magic ${im.magic} differs from wrapper magic ${m.magic}`);
    inner.push(im);
  }
  if (inner.length === 0) throw corrupt('compressed wrapper message holds no messages');
  const shift = m.magic === 1 ? m.offset - inner[inner.length - 1].offset : 0;
  return inner.map((im) => ({
    offset: im.offset + shift,
    magic: m.magic,
    compression,
    timestamp: timestampType === TimestampType.LOG_APPEND_TIME ? m.timestamp : im.timestamp,
    timestampType,
    key: im.key,
    value: im.value,
    crc: im.crc,
  }));
}

/**
 * Decodes a whole message set (compressed wrappers flattened). A trailing partial message is
 * dropped, as consumers do with fetch responses; a v2 batch inside is CORRUPT_MESSAGE.
 */
export function decodeMessageSet(buf: Buffer, options: { verifyCrc?: boolean } = {}): LegacyMessage[] {
  const out: LegacyMessage[] = [];
  for (const e of iterateEntries(buf)) {
    if (e.partial) break;
    for (const m of decodeLegacyEntry(buf, e.pos, e.size, options.verifyCrc !== false)) out.push(m);
  }
  return out;
}

type Bytes = Buffer | string | null | undefined;

function byteLength(b: Bytes): number {
  if (b === null || b === undefined) return -1;
  return typeof b === 'string' ? Buffer.byteLength(b) : b.length;
}

function writeNullableBytes(buf: Buffer, b: Bytes, len: number, pos: number): number {
  buf.writeInt32BE(len, pos);
  pos += 4;
  if (len > 0) pos += typeof b === 'string' ? buf.write(b, pos) : (b as Buffer).copy(buf, pos);
  return pos;
}

function messageSize(magic: LegacyMagic, key: Bytes, value: Bytes): number {
  return legacyRecordOverhead(magic) + Math.max(byteLength(key), 0) + Math.max(byteLength(value), 0);
}

function writeMessage(
  buf: Buffer,
  pos: number,
  offset: number,
  magic: LegacyMagic,
  attributes: number,
  timestamp: number,
  key: Bytes,
  value: Bytes,
): number {
  const start = pos;
  writeInt64(buf, offset, pos);
  pos += 16; // offset, size (below), crc (below)
  buf.writeInt8(magic, pos++);
  buf.writeInt8(attributes, pos++);
  if (magic === 1) {
    writeInt64(buf, timestamp, pos);
    pos += 8;
  }
  pos = writeNullableBytes(buf, key, byteLength(key), pos);
  pos = writeNullableBytes(buf, value, byteLength(value), pos);
  buf.writeInt32BE(pos - start - 12, start + 8);
  buf.writeUInt32BE(crc32(buf.subarray(start + 16, pos)) >>> 0, start + 12);
  return pos;
}

/**
 * Encodes a v0/v1 message set. Uncompressed: one message per input. Compressed: one wrapper
 * holding all inputs, with inner offsets absolute (v0) or relative to the first (v1).
 */
export function encodeMessageSet(options: EncodeMessageSetOptions): Buffer {
  const { magic, messages } = options;
  const compression = compressionTypeOf(options.compression ?? CompressionType.NONE, magic);
  const baseOffset = options.baseOffset ?? 0;
  const defaultTimestamp = magic === 0 ? NO_TIMESTAMP : (options.timestamp ?? Date.now());
  const logAppend = magic === 1 && options.timestampType === TimestampType.LOG_APPEND_TIME;
  const tsBit = logAppend ? TIMESTAMP_TYPE_MASK : 0;
  const offsetOf = (i: number) => messages[i].offset ?? baseOffset + i;
  const timestampOf = (i: number) => (magic === 0 ? NO_TIMESTAMP : logAppend ? defaultTimestamp : (messages[i].timestamp ?? defaultTimestamp));
  const innerOffset = (i: number) => (compression !== CompressionType.NONE && magic === 1 ? offsetOf(i) - offsetOf(0) : offsetOf(i));

  let total = 0;
  for (const m of messages) total += 12 + messageSize(magic, m.key, m.value);
  const set = Buffer.allocUnsafe(total);
  let pos = 0;
  let maxTimestamp = NO_TIMESTAMP;
  for (let i = 0; i < messages.length; i++) {
    const ts = timestampOf(i);
    if (ts > maxTimestamp) maxTimestamp = ts;
    pos = writeMessage(set, pos, innerOffset(i), magic, tsBit, ts, messages[i].key, messages[i].value);
  }
  if (compression === CompressionType.NONE || messages.length === 0) return set;

  const value = compress(compression, set, magic);
  const wrapper = Buffer.allocUnsafe(12 + messageSize(magic, null, value));
  const wrapperTimestamp = logAppend ? defaultTimestamp : maxTimestamp;
  writeMessage(wrapper, 0, offsetOf(messages.length - 1), magic, compression | tsBit, wrapperTimestamp, null, value);
  return wrapper;
}

function corrupt(message: string): KafkaError {
  return new KafkaError(ErrorCode.CORRUPT_MESSAGE, message);
}
