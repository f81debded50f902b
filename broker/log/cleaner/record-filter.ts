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
//
// Transactions (Kafka 2.4's Cleaner with CleanedTransactionMetadata): records of aborted
// transactions are neither indexed nor kept; markers go only as cleaned-transaction-metadata.ts
// allows and, like tombstones, only past the delete horizon; and the batch holding a producer's
// last data offset is never dropped (kept empty if none of its records survive: Kafka's
// RETAIN_EMPTY), so the producer's sequence and epoch survive a reload.
import { CONTROL_FLAG_MASK, ATTRIBUTES, MAGIC, CompressionType } from '../../protocol/records/batch-header';
import { readEndTransactionMarker, type EndTransactionMarker } from '../../protocol/records/end-transaction-marker';
import type { CleanedTransactionMetadata } from './cleaned-transaction-metadata';
import { decodeLegacyEntry, type LegacyMessage } from '../../protocol/records/legacy-message-set';
import { TimestampType, decodeRecordBatch, encodeRecordBatch, readBatchHeader, type KafkaRecord, type RecordBatchHeader } from '../../protocol/records/record-batch';
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

/** A control batch's marker; undefined for a control record that is no marker (kept untouched). */
function markerAt(buf: Buffer, at: number): EndTransactionMarker | null | undefined {
  try {
    return readEndTransactionMarker(buf, at);
  } catch {
    return undefined;
  }
}

/** What filterEntry needs besides the entry. */
export interface FilterContext {
  map: OffsetMap;
  /** Tombstones and removable markers stay while their segment is within delete.retention.ms. */
  retainDeletes: boolean;
  stats: FilterStats;
  txns: CleanedTransactionMetadata;
  /** Each active producer's last data offset (ProducerStateEntry.lastDataOffset). */
  lastOffsetsOfActiveProducers: ReadonlyMap<number, number>;
}

/**
 * Puts the keyed records of the entry at buf[at, at + size) with offsets >= startOffset into the
 * map. Returns false, adding nothing, when they might not fit and the map already holds something
 * (the map is then full: Kafka stops building there too).
 */
export function indexEntry(buf: Buffer, at: number, size: number, map: OffsetMap, startOffset: number, txns: CleanedTransactionMetadata): boolean {
  if (buf.readInt8(at + MAGIC) >= 2) {
    const header = readBatchHeader(buf, at);
    const lastOffset = header.baseOffset + header.lastOffsetDelta;
    if (lastOffset < startOffset) return true;
    if (header.isControl) {
      const marker = markerAt(buf, at);
      if (marker !== undefined) txns.onControlBatchRead(header.producerId, marker, lastOffset);
    } else {
      if (map.size > 0 && map.wouldOverflow(header.recordCount)) return false;
      // Records of an aborted transaction do not count as a key's latest value.
      if (txns.onBatchRead(header.producerId, header.isTransactional, lastOffset)) {
        map.updateLatestOffset(lastOffset);
        return true;
      }
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
 * when nothing in it survives (see the header for the transactional rules).
 */
export function filterEntry(buf: Buffer, at: number, size: number, ctx: FilterContext): Buffer | null {
  const { map, retainDeletes, stats } = ctx;
  if (isControlBatch(buf, at)) {
    const header = readBatchHeader(buf, at);
    const marker = markerAt(buf, at);
    if (marker === undefined) return Buffer.from(buf.subarray(at, at + size));
    const canDiscard = ctx.txns.onControlBatchRead(header.producerId, marker, header.baseOffset + header.lastOffsetDelta);
    return canDiscard && !retainDeletes ? null : Buffer.from(buf.subarray(at, at + size));
  }
  if (buf.readInt8(at + MAGIC) >= 2) {
    const header = readBatchHeader(buf, at);
    const lastOffset = header.baseOffset + header.lastOffsetDelta;
    const aborted = ctx.txns.onBatchRead(header.producerId, header.isTransactional, lastOffset);
    const holdsProducerState = header.producerId >= 0 && ctx.lastOffsetsOfActiveProducers.get(header.producerId) === lastOffset;
    if (aborted) {
      stats.recordsRead += header.recordCount;
      return holdsProducerState ? emptyBatch(header) : null;
    }
    const batch = decodeRecordBatch(buf.subarray(at, at + size));
    const kept: KafkaRecord[] = [];
    for (const r of batch.records) {
      if (shouldRetain(map, retainDeletes, batch.baseOffset + r.offsetDelta, r.key, r.value, stats)) kept.push(r);
    }
    stats.recordsRead += batch.records.length;
    stats.recordsKept += kept.length;
    if (kept.length === batch.records.length) return Buffer.from(buf.subarray(at, at + size));
    if (kept.length === 0) return holdsProducerState ? emptyBatch(header) : null;
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
 * A batch with no records that keeps the header of one whose records all went (Kafka's
 * RETAIN_EMPTY / writeEmptyHeader): offsets, producer id, epoch and sequences stay in the log.
 */
function emptyBatch(h: RecordBatchHeader): Buffer {
  return encodeRecordBatch({
    baseOffset: h.baseOffset,
    lastOffsetDelta: h.lastOffsetDelta,
    partitionLeaderEpoch: h.partitionLeaderEpoch,
    compression: CompressionType.NONE,
    timestampType: h.timestampType,
    timestamp: h.maxTimestamp,
    maxTimestamp: h.maxTimestamp,
    producerId: h.producerId,
    producerEpoch: h.producerEpoch,
    baseSequence: h.baseSequence,
    isTransactional: h.isTransactional,
    records: [],
  });
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
