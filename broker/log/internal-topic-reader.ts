// Reading a compacted internal topic (__consumer_offsets, __transaction_state) from the log start
// to the log end when its coordinator loads it: reads of loadBufferSize, every entry decoded into
// its records (v2 batches, and the v0/v1 message sets brokers before 0.11 wrote). An entry that
// does not decode (bad CRC, corrupt compression) is passed to `skip` and stepped over, never
// moving back nor past the log end; where the log cannot be read, its framing is broken or it
// makes no progress, the load stops there with one ERROR line and keeps what it read. Kafka 2.4
// abandons such loads (docs/DIFFERENCES.md); both loaders share this part.
import type { Logger } from '../logging';
import { baseOffsetOf, lastOffsetOf } from '../protocol/records/batch-header';
import { decodeLegacyEntry } from '../protocol/records/legacy-message-set';
import { iterateEntries, type LogEntry } from '../protocol/records/log-entries';
import { decodeRecordBatch } from '../protocol/records/record-batch';
import type { Log } from './log';

/** What the readers need of the partition's log. */
export type InternalTopicLog = Pick<Log, 'logStartOffset' | 'logEndOffset' | 'read'>;

export interface InternalTopicRecord {
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
}

export interface InternalTopicEntry {
  magic: number;
  baseOffset: number;
  nextOffset: number;
  isControl: boolean;
  isTransactional: boolean;
  producerId: number;
  records: InternalTopicRecord[];
}

/** Every decodable entry of the log, in order; `skip(offset, what)` hears of the others. */
export function* readInternalTopic(
  log: InternalTopicLog,
  name: string,
  loadBufferSize: number,
  stillCurrent: () => boolean,
  logger: Logger,
  skip: (offset: number, what: string) => void,
): Generator<InternalTopicEntry> {
  let offset = log.logStartOffset;
  const end = log.logEndOffset;
  while (offset < end && stillCurrent()) {
    let records: Buffer;
    try {
      records = log.read(offset, loadBufferSize, end, true).records;
    } catch (err) {
      logger.error(`Stopped loading ${name} at offset ${offset}, the log cannot be read further: ${(err as Error).message}`);
      return;
    }
    if (records.length === 0) return;
    const before = offset;
    const decoded: InternalTopicEntry[] = [];
    try {
      for (const entry of iterateEntries(records)) {
        if (entry.partial) break;
        try {
          decoded.push(decodeEntry(records, entry));
        } catch (err) {
          // A damaged header may claim any offsets: never move back, never past the log end.
          skip(baseOffsetOf(records, entry.pos), `a batch that cannot be decoded (${(err as Error).message})`);
          offset = Math.max(offset, Math.min(nextOffsetOf(records, entry), end));
          continue;
        }
        offset = Math.max(offset, decoded[decoded.length - 1].nextOffset);
      }
    } catch (err) {
      // The entries' framing itself is broken (a size field below the minimum): nothing after
      // it can be located, so the load ends here with what it has.
      yield* decoded;
      logger.error(`Stopped loading ${name} at offset ${offset}, the log is corrupt there: ${(err as Error).message}`);
      return;
    }
    yield* decoded;
    if (offset <= before) {
      logger.error(`Stopped loading ${name} at offset ${offset}, the log makes no progress there`);
      return;
    }
  }
}

function decodeEntry(buf: Buffer, entry: LogEntry): InternalTopicEntry {
  if (entry.magic === 2) {
    const batch = decodeRecordBatch(buf, entry.pos);
    return {
      magic: 2,
      baseOffset: batch.baseOffset,
      nextOffset: batch.baseOffset + batch.lastOffsetDelta + 1,
      isControl: batch.isControl,
      isTransactional: batch.isTransactional,
      producerId: batch.producerId,
      records: batch.records.map((r) => ({ offset: batch.baseOffset + r.offsetDelta, key: r.key, value: r.value })),
    };
  }
  if (entry.magic === 0 || entry.magic === 1) {
    const messages = decodeLegacyEntry(buf, entry.pos, entry.size);
    return {
      magic: entry.magic,
      baseOffset: messages[0].offset,
      nextOffset: baseOffsetOf(buf, entry.pos) + 1,
      isControl: false,
      isTransactional: false,
      producerId: -1,
      records: messages.map((m) => ({ offset: m.offset, key: m.key, value: m.value })),
    };
  }
  throw new Error(`unknown magic ${entry.magic}`);
}

/** Where the entry after one that did not decode starts, as far as its header tells. */
function nextOffsetOf(buf: Buffer, entry: LogEntry): number {
  return (entry.magic === 2 ? lastOffsetOf(buf, entry.pos) : baseOffsetOf(buf, entry.pos)) + 1;
}
