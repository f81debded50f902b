// Message format conversion between legacy clients and the v2 log.
// - Up: Produce v0-v2 carries v0/v1 message sets; the log stores only v2 batches, so the whole
//   set becomes ONE batch (Kafka's LogValidator does the same when message.format.version is
//   2.x). Offsets start at 0: the log assigns real ones by patching baseOffset.
// - Down: Fetch v0-v3 clients cannot read v2; each v2 batch becomes uncompressed v0/v1 messages
//   with the records' absolute offsets. Control batches (transaction markers) are dropped, as
//   Kafka does; headers have no place in v0/v1 and are lost. Legacy entries whose magic the
//   client can read are passed through unchanged.
import { ErrorCode } from '../errors';
import { KafkaError } from '../kafka-error';
import { MAX_DECOMPRESSED_BATCH_BYTES } from './batch-validation';
import { ATTRIBUTES, BATCH_HEADER_SIZE, CompressionType, CONTROL_FLAG_MASK, RECORD_COUNT } from './batch-header';
import { decodeLegacyEntry, encodeMessageSet, LegacyMagic, LegacyMessageInput } from './legacy-message-set';
import { iterateEntries } from './log-entries';
import { decodeRecordBatch, encodeRecordBatch, TimestampType } from './record-batch';

/**
 * Converts a v0/v1 message set (possibly compressed) into one v2 batch with baseOffset 0,
 * keeping the codec of the first compressed wrapper and the messages' timestamps (v0: -1) and
 * timestamp type. An empty set gives an empty buffer; a partial trailing message is
 * CORRUPT_MESSAGE (a producer must send whole messages).
 */
export function upConvertToV2(messageSet: Buffer): Buffer {
  let compression = CompressionType.NONE;
  let timestampType: TimestampType | undefined;
  const records: { timestamp: number; key: Buffer | null; value: Buffer | null }[] = [];
  // Compressed wrappers are inflated here, on the produce path: one budget for the whole set.
  let budget = MAX_DECOMPRESSED_BATCH_BYTES;
  for (const e of iterateEntries(messageSet)) {
    if (e.partial) throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, 'message set ends with a partial message');
    for (const m of decodeLegacyEntry(messageSet, e.pos, e.size, true, budget)) {
      if (compression === CompressionType.NONE) compression = m.compression;
      timestampType ??= m.timestampType;
      records.push({ timestamp: m.timestamp, key: m.key, value: m.value });
      if (m.compression !== CompressionType.NONE) budget -= (m.key?.length ?? 0) + (m.value?.length ?? 0);
    }
  }
  if (records.length === 0) return Buffer.alloc(0);
  return encodeRecordBatch({ baseOffset: 0, compression, timestampType, records });
}

/**
 * Converts log data (v2 batches, or legacy entries) into an uncompressed v0/v1 message set for
 * Fetch v0-v3. A trailing partial entry is dropped.
 */
export function downConvert(batches: Buffer, toMagic: LegacyMagic): Buffer {
  const out: Buffer[] = [];
  for (const e of iterateEntries(batches)) {
    if (e.partial) break;
    if (e.magic <= toMagic) {
      out.push(batches.subarray(e.pos, e.pos + e.size));
      continue;
    }
    let messages: LegacyMessageInput[];
    let timestampType = TimestampType.CREATE_TIME;
    if (e.magic === 2) {
      // Stored batches were validated on append; skip the CRC as Kafka's down-conversion does.
      const batch = decodeRecordBatch(batches, e.pos, { verifyCrc: false });
      if (batch.isControl) continue;
      timestampType = batch.timestampType;
      messages = batch.records.map((r) => ({
        offset: batch.baseOffset + r.offsetDelta,
        timestamp: r.timestamp,
        key: r.key,
        value: r.value,
      }));
    } else {
      const legacy = decodeLegacyEntry(batches, e.pos, e.size, false);
      messages = legacy.map((m) => ({ offset: m.offset, timestamp: m.timestamp, key: m.key, value: m.value }));
    }
    if (messages.length === 0) continue;
    // LOG_APPEND_TIME is carried per message in v1; record timestamps already hold it.
    const logAppend = toMagic === 1 && timestampType === TimestampType.LOG_APPEND_TIME;
    out.push(
      encodeMessageSet({
        magic: toMagic,
        messages,
        timestampType: logAppend ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
        timestamp: logAppend ? messages[0].timestamp : undefined,
      }),
    );
  }
  return out.length === 1 ? out[0] : Buffer.concat(out);
}

export interface RecordsSummary {
  /** Complete entries (v2 batches or top-level legacy messages). */
  entries: number;
  /** v2: recordCount of non-control batches; legacy: top-level messages (wrappers count once). */
  records: number;
  /** Bytes covered by complete entries. */
  bytes: number;
  /** Bytes of a trailing partial entry, if any. */
  partialBytes: number;
}

/** Counts entries, records and bytes from the framing and v2 headers alone (no decompression). */
export function summarizeRecords(buf: Buffer): RecordsSummary {
  const summary: RecordsSummary = { entries: 0, records: 0, bytes: 0, partialBytes: 0 };
  for (const e of iterateEntries(buf)) {
    if (e.partial) {
      summary.partialBytes = buf.length - e.pos;
      break;
    }
    summary.entries++;
    summary.bytes += e.size;
    if (e.magic !== 2) summary.records++;
    else if (e.size >= BATCH_HEADER_SIZE && !(buf.readInt16BE(e.pos + ATTRIBUTES) & CONTROL_FLAG_MASK)) {
      summary.records += buf.readInt32BE(e.pos + RECORD_COUNT);
    }
  }
  return summary;
}
