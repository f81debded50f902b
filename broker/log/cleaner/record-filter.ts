// What the cleaner does to one log entry (a v2 batch, or a legacy v0/v1 message a Kafka broker
// wrote before the upgrade): index its keys into the offset map, or rewrite it keeping only the
// records that survive compaction (Kafka's buildOffsetMapForSegment / MemoryRecords.filterTo).
//
// Kafka's rules (Cleaner.shouldRetainRecord): a record past the map's latest offset stays; a record
// without a key goes (a compacted topic cannot hold one); a record with a later offset for its key
// goes; a tombstone (null value) goes once its segment is older than the delete horizon. A batch
// that keeps every record is copied byte for byte; one that keeps none is dropped; otherwise a new
// v2 batch keeps the original base offset and last offset delta (so the batch's offset range, and
// with it the log's offsets, are unchanged), partition leader epoch, producer fields, timestamp
// type and compression, and each kept record its offset, timestamp, key, value and headers.
import { CONTROL_FLAG_MASK, ATTRIBUTES, MAGIC } from '../../protocol/records/batch-header';
import { decodeLegacyEntry, type LegacyMessage } from '../../protocol/records/legacy-message-set';
import { TimestampType, decodeRecordBatch, encodeRecordBatch, readBatchHeader, type KafkaRecord } from '../../protocol/records/record-batch';
import type { OffsetMap } from './offset-map';

export interface FilterStats {
  recordsRead: number;
  recordsKept: number;
  /** Records without a key (Kafka's invalidMessagesRead). */
  keylessRecords: number;
}

export function newFilterStats(): FilterStats {
  return { recordsRead: 0, recordsKept: 0, keylessRecords: 0 };
}

function isControlBatch(buf: Buffer, at: number): boolean {
  return buf.readInt8(at + MAGIC) >= 2 && (buf.readInt16BE(at + ATTRIBUTES) & CONTROL_FLAG_MASK) !== 0;
}

/**
 * Puts the keyed records of the entry at buf[at, at + size) with offsets >= startOffset into the
 * map. Returns false, adding nothing, when they might not fit and the map already holds something
 * (the map is then full: Kafka stops building there too).
 */
export function indexEntry(buf: Buffer, at: number, size: number, map: OffsetMap, startOffset: number): boolean {
  if (buf.readInt8(at + MAGIC) >= 2) {
    const header = readBatchHeader(buf, at);
    const lastOffset = header.baseOffset + header.lastOffsetDelta;
    if (lastOffset < startOffset) return true;
    if (!header.isControl) {
      if (map.size > 0 && map.wouldOverflow(header.recordCount)) return false;
      const batch = decodeRecordBatch(buf.subarray(at, at + size));
      for (const r of batch.records) {
        const offset = batch.baseOffset + r.offsetDelta;
        if (r.key !== null && offset >= startOffset) map.put(r.key, offset);
      }
    }
    map.updateLatestOffset(lastOffset);
    return true;
  }
  const messages = decodeLegacyEntry(buf, at, size);
  const lastOffset = messages[messages.length - 1].offset;
  if (lastOffset < startOffset) return true;
  if (map.size > 0 && map.wouldOverflow(messages.length)) return false;
  for (const m of messages) if (m.key !== null && m.offset >= startOffset) map.put(m.key, m.offset);
  map.updateLatestOffset(lastOffset);
  return true;
}

function shouldRetain(map: OffsetMap, retainDeletes: boolean, offset: number, key: Buffer | null, value: Buffer | null, stats: FilterStats): boolean {
  if (offset > map.latestOffset) return true;
  if (key === null) {
    stats.keylessRecords++;
    return false;
  }
  const found = map.get(key);
  if (found >= 0 && offset < found) return false;
  return retainDeletes || value !== null;
}

/**
 * The entry at buf[at, at + size) after compaction: a copy of it, a rewritten v2 batch, or null
 * when nothing in it survives. Control batches (transaction markers) are kept as they are.
 */
export function filterEntry(buf: Buffer, at: number, size: number, map: OffsetMap, retainDeletes: boolean, stats: FilterStats): Buffer | null {
  if (isControlBatch(buf, at)) return Buffer.from(buf.subarray(at, at + size));
  if (buf.readInt8(at + MAGIC) >= 2) {
    const batch = decodeRecordBatch(buf.subarray(at, at + size));
    const kept: KafkaRecord[] = [];
    for (const r of batch.records) {
      if (shouldRetain(map, retainDeletes, batch.baseOffset + r.offsetDelta, r.key, r.value, stats)) kept.push(r);
    }
    stats.recordsRead += batch.records.length;
    stats.recordsKept += kept.length;
    if (kept.length === batch.records.length) return Buffer.from(buf.subarray(at, at + size));
    if (kept.length === 0) return null;
    return encodeRecordBatch({
      baseOffset: batch.baseOffset,
      lastOffsetDelta: batch.lastOffsetDelta,
      partitionLeaderEpoch: batch.partitionLeaderEpoch,
      compression: batch.compression,
      timestampType: batch.timestampType,
      // Under LogAppendTime every record reads as the batch's max timestamp: keep it.
      maxTimestamp: batch.timestampType === TimestampType.LOG_APPEND_TIME ? batch.maxTimestamp : undefined,
      producerId: batch.producerId,
      producerEpoch: batch.producerEpoch,
      baseSequence: batch.baseSequence,
      isTransactional: batch.isTransactional,
      records: kept.map((r) => ({ offsetDelta: r.offsetDelta, timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers })),
    });
  }
  const messages = decodeLegacyEntry(buf, at, size);
  const kept = messages.filter((m) => shouldRetain(map, retainDeletes, m.offset, m.key, m.value, stats));
  stats.recordsRead += messages.length;
  stats.recordsKept += kept.length;
  if (kept.length === messages.length) return Buffer.from(buf.subarray(at, at + size));
  if (kept.length === 0) return null;
  return legacyAsBatch(kept);
}

/**
 * What is left of a compressed legacy wrapper becomes one v2 batch (Zafka's logs are v2; fetches
 * below v4 are down-converted anyway), so no stale record has to stay for its neighbours' sake.
 */
function legacyAsBatch(kept: LegacyMessage[]): Buffer {
  const base = kept[0].offset;
  return encodeRecordBatch({
    baseOffset: base,
    compression: kept[0].compression,
    timestampType: kept[0].timestampType,
    maxTimestamp: kept[0].timestampType === TimestampType.LOG_APPEND_TIME ? kept[0].timestamp : undefined,
    records: kept.map((m) => ({ offsetDelta: m.offset - base, timestamp: m.timestamp, key: m.key, value: m.value })),
  });
}
