// Walks the entries of a buffer of log data: v2 batches and legacy (v0/v1) messages share
// offset int64 | size int32 | ... | magic at byte 16, so one loop serves both. Used by fetch
// (responses may end with a partial batch, KIP-74), the log (a torn tail after a crash) and
// conversion. Only the framing is read; nothing is validated beyond it.
import { ErrorCode } from '../errors';
import { KafkaError } from '../kafka-error';
import { BATCH_LENGTH, LOG_OVERHEAD, MAGIC, MAGIC_PROBE_SIZE } from './batch-header';

/** The smallest legal value of the size field: a v0 message (crc, magic, attributes, key, value). */
export const MIN_ENTRY_LENGTH = 14;

export interface LogEntry {
  pos: number;
  /** Whole entry in bytes, LOG_OVERHEAD included; -1 if even the size field is cut off. */
  size: number;
  /** 0, 1 or 2; -1 if the entry is cut off before its magic byte. */
  magic: number;
  /** True for a trailing entry that does not fit in the buffer; always the last one yielded. */
  partial: boolean;
}

/**
 * Yields each entry of buf[start, end). A trailing incomplete entry is yielded with
 * partial = true. A size field below the minimum can only be corruption (no entry boundary can
 * be found after it): that throws KafkaError(CORRUPT_MESSAGE) mentioning the position.
 */
export function* iterateEntries(buf: Buffer, start = 0, end = buf.length): Generator<LogEntry> {
  let pos = start;
  while (pos < end) {
    if (pos + LOG_OVERHEAD > end) {
      yield { pos, size: -1, magic: -1, partial: true };
      return;
    }
    const length = buf.readInt32BE(pos + BATCH_LENGTH);
    if (length < MIN_ENTRY_LENGTH) {
      throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `entry at byte ${pos - start} has invalid size ${length}`);
    }
    const size = LOG_OVERHEAD + length;
    const magic = pos + MAGIC_PROBE_SIZE <= end ? buf.readInt8(pos + MAGIC) : -1;
    if (pos + size > end) {
      yield { pos, size, magic, partial: true };
      return;
    }
    yield { pos, size, magic, partial: false };
    pos += size;
  }
}

/** Bytes of buf[start, end) covered by complete entries: where a trailing partial one begins. */
export function completeEntriesEnd(buf: Buffer, start = 0, end = buf.length): number {
  let last = start;
  for (const e of iterateEntries(buf, start, end)) {
    if (e.partial) break;
    last = e.pos + e.size;
  }
  return last;
}
