// What a Produce request of a given version may carry in one partition's records, checked before
// anything reaches the log, as Kafka 2.4.0's KafkaApis.handleProduceRequest does with
// ProduceRequest.validateRecords (per partition; the codes are Errors.forException's):
//   v3+ (message format v2 only): at least one whole batch, else INVALID_RECORD; magic 2, else
//   INVALID_RECORD; exactly one batch, else INVALID_RECORD; zstd only from v7 (KIP-110), else
//   UNSUPPORTED_COMPRESSION_TYPE. Reading the batches, a size field below 14 or a magic outside
//   0..2 is a CorruptRecordException: CORRUPT_MESSAGE. An unknown codec id read for the zstd test
//   (v3-v6) throws IllegalArgumentException: UNKNOWN_SERVER_ERROR.
//   v0-v2: nothing (Kafka keeps accepting whatever older clients sent).
//   Any version: null records fail Kafka with a NullPointerException: UNKNOWN_SERVER_ERROR.
import { ErrorCode } from '../errors';
import { ATTRIBUTES, COMPRESSION_CODEC_MASK, CompressionType } from './batch-header';
import { iterateEntries, type LogEntry } from './log-entries';

/** The first Produce version that may carry zstd batches (KIP-110). */
export const ZSTD_MIN_PRODUCE_VERSION = 7;

export function produceRecordsError(version: number, records: Buffer | null): ErrorCode {
  if (records === null) return ErrorCode.UNKNOWN_SERVER_ERROR;
  if (version < 3) return ErrorCode.NONE;
  let first: LogEntry | undefined;
  try {
    for (const entry of iterateEntries(records)) {
      // Kafka's batch iterator reads the magic of every entry it reaches, partial or not.
      if (entry.magic !== -1 && (entry.magic < 0 || entry.magic > 2)) return ErrorCode.CORRUPT_MESSAGE;
      if (entry.partial) break; // the iterator ends at a partial batch
      if (first !== undefined) return ErrorCode.INVALID_RECORD; // more than one batch
      first = entry;
      if (entry.magic !== 2) return ErrorCode.INVALID_RECORD;
      if (version < ZSTD_MIN_PRODUCE_VERSION && entry.size > ATTRIBUTES + 1) {
        const codec = records.readInt16BE(entry.pos + ATTRIBUTES) & COMPRESSION_CODEC_MASK;
        if (codec > CompressionType.ZSTD) return ErrorCode.UNKNOWN_SERVER_ERROR;
        if (codec === CompressionType.ZSTD) return ErrorCode.UNSUPPORTED_COMPRESSION_TYPE;
      }
    }
  } catch {
    return ErrorCode.CORRUPT_MESSAGE; // a size field below the smallest legal entry
  }
  return first === undefined ? ErrorCode.INVALID_RECORD : ErrorCode.NONE;
}
