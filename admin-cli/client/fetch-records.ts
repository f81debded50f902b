// Turns the records bytes of one Fetch partition into consumer records. The bytes are whole
// v2 batches (or legacy message sets), possibly ending with a partial batch (KIP-74: a broker
// cuts at max bytes). Records below the fetch offset inside the first batch are skipped (a
// broker returns the whole batch that contains the fetch offset), control batches are skipped,
// and `nextOffset` says where the next fetch starts.
import { decodeLegacyEntry } from '../../broker/protocol/records/legacy-message-set';
import { iterateEntries } from '../../broker/protocol/records/log-entries';
import { decodeRecordBatch, TimestampType, type RecordHeader } from '../../broker/protocol/records/record-batch';

export interface ConsumerRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: TimestampType;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

export interface DecodedFetch {
  records: ConsumerRecord[];
  /** Offset to fetch next: after the last complete batch, never below the fetch offset. */
  nextOffset: number;
  /** True when the bytes held only a partial batch (the caller should fetch more bytes). */
  onlyPartial: boolean;
}

export function decodeFetchedRecords(topic: string, partition: number, fetchOffset: number, data: Buffer | null, options: { verifyCrc?: boolean } = {}): DecodedFetch {
  const records: ConsumerRecord[] = [];
  let nextOffset = fetchOffset;
  let sawComplete = false;
  let sawPartial = false;
  if (data === null || data.length === 0) return { records, nextOffset, onlyPartial: false };
  for (const entry of iterateEntries(data)) {
    if (entry.partial) {
      sawPartial = true;
      break;
    }
    sawComplete = true;
    if (entry.magic === 2) {
      const batch = decodeRecordBatch(data, entry.pos, options);
      const lastOffset = batch.baseOffset + batch.lastOffsetDelta;
      if (!batch.isControl) {
        for (const r of batch.records) {
          const offset = batch.baseOffset + r.offsetDelta;
          if (offset < fetchOffset) continue;
          records.push({ topic, partition, offset, timestamp: r.timestamp, timestampType: batch.timestampType, key: r.key, value: r.value, headers: r.headers });
        }
      }
      nextOffset = Math.max(nextOffset, lastOffset + 1);
    } else {
      for (const m of decodeLegacyEntry(data, entry.pos, entry.size, options.verifyCrc !== false)) {
        if (m.offset >= fetchOffset) {
          records.push({ topic, partition, offset: m.offset, timestamp: m.timestamp, timestampType: m.timestampType, key: m.key, value: m.value, headers: [] });
        }
        nextOffset = Math.max(nextOffset, m.offset + 1);
      }
    }
  }
  return { records, nextOffset, onlyPartial: sawPartial && !sawComplete };
}
