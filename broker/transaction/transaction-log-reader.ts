// Reads one __transaction_state partition back into the latest state of each transactional id
// (the reading half of Kafka 2.4's TransactionStateManager.loadTransactionMetadata), from the log
// start to the log end: later records override earlier ones, a tombstone removes the id.
//
// Where Kafka 2.4 stops the whole load at the first record it cannot decode (and loses every id
// after it until the next leader change), this skips that record or batch with one log line and
// loads the rest; a skipped record leaves that id's previous state in place.
import type { Log } from '../log/log';
import type { Logger } from '../logging';
import { lastOffsetOf } from '../protocol/records/batch-header';
import { iterateEntries } from '../protocol/records/log-entries';
import { decodeRecordBatch } from '../protocol/records/record-batch';
import { readTxnRecordKey, readTxnRecordValue, type TxnLogValue } from './transaction-log';

export type TransactionLogSource = Pick<Log, 'logStartOffset' | 'logEndOffset' | 'read'>;

const MAX_LOGGED_SKIPS = 10;

export function readTransactionLog(
  log: TransactionLogSource,
  name: string,
  loadBufferSize: number,
  stillCurrent: () => boolean,
  logger: Logger,
): Map<string, TxnLogValue> {
  const loaded = new Map<string, TxnLogValue>();
  let skipped = 0;
  const skip = (offset: number, what: string) => {
    if (++skipped <= MAX_LOGGED_SKIPS) logger.warn(`Skipping ${what} at offset ${offset} of ${name} while loading transaction metadata`);
  };
  let offset = log.logStartOffset;
  const end = log.logEndOffset;
  while (offset < end && stillCurrent()) {
    let records: Buffer;
    try {
      records = log.read(offset, loadBufferSize, end, true).records;
    } catch (err) {
      logger.error(`Stopped loading ${name} at offset ${offset}, the log cannot be read further: ${(err as Error).message}`);
      break;
    }
    if (records.length === 0) break;
    const before = offset;
    try {
      for (const entry of iterateEntries(records)) {
        if (entry.partial) break;
        if (entry.magic !== 2) {
          // Kafka never writes this topic below message format v2 (transactions need it).
          skip(offset, `an entry of message format v${entry.magic}`);
          offset = Math.max(offset, Math.min(lastOffsetOf(records, entry.pos) + 1, end));
          continue;
        }
        let batch;
        try {
          batch = decodeRecordBatch(records, entry.pos);
        } catch (err) {
          skip(offset, `a batch that cannot be decoded (${(err as Error).message})`);
          offset = Math.max(offset, Math.min(lastOffsetOf(records, entry.pos) + 1, end));
          continue;
        }
        if (!batch.isControl) {
          for (const record of batch.records) {
            const at = batch.baseOffset + record.offsetDelta;
            if (record.key === null) {
              skip(at, 'a record without key');
              continue;
            }
            let transactionalId: string;
            try {
              transactionalId = readTxnRecordKey(record.key);
            } catch (err) {
              skip(at, `a record whose key cannot be decoded (${(err as Error).message})`);
              continue;
            }
            if (record.value === null) {
              loaded.delete(transactionalId);
              continue;
            }
            try {
              loaded.set(transactionalId, readTxnRecordValue(record.value));
            } catch (err) {
              skip(at, `the state of transactional id ${transactionalId}, whose value cannot be decoded (${(err as Error).message})`);
            }
          }
        }
        offset = Math.max(offset, batch.baseOffset + batch.lastOffsetDelta + 1);
      }
    } catch (err) {
      logger.error(`Stopped loading ${name} at offset ${offset}, the log is corrupt there: ${(err as Error).message}`);
      break;
    }
    if (offset <= before) {
      logger.error(`Stopped loading ${name} at offset ${offset}, the log makes no progress there`);
      break;
    }
  }
  if (skipped > MAX_LOGGED_SKIPS) logger.warn(`Skipped ${skipped} records or batches of ${name} that could not be decoded (only the first ${MAX_LOGGED_SKIPS} were logged)`);
  return loaded;
}
