// Reads one __transaction_state partition back into the latest state of each transactional id
// (the reading half of Kafka 2.4's TransactionStateManager.loadTransactionMetadata), from the log
// start to the log end: later records override earlier ones, a tombstone removes the id.
//
// Where Kafka 2.4 stops the whole load at the first record it cannot decode (and loses every id
// after it until the next leader change), this skips that record or batch with one log line and
// loads the rest; a skipped record leaves that id's previous state in place.
import { readInternalTopic, type InternalTopicLog } from '../log/internal-topic-reader';
import type { Logger } from '../logging';
import { readTxnRecordKey, readTxnRecordValue, type TxnLogValue } from './transaction-log';
import { TransactionState } from './transaction-state';

export type TransactionLogSource = InternalTopicLog;

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
  for (const entry of readInternalTopic(log, name, loadBufferSize, stillCurrent, logger, skip)) {
    if (entry.magic !== 2) {
      // Kafka never writes this topic below message format v2 (transactions need it).
      skip(entry.baseOffset, `an entry of message format v${entry.magic}`);
      continue;
    }
    if (entry.isControl) continue;
    for (const record of entry.records) {
      const at = record.offset;
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
        const value = readTxnRecordValue(record.value);
        // Kafka never writes these two (they are only ever pending states): such a record
        // did not come from a coordinator, and loading it would wedge the id.
        if (value.state === TransactionState.Dead || value.state === TransactionState.PrepareEpochFence) {
          skip(at, `the state of transactional id ${transactionalId}, which is ${TransactionState[value.state]} (never written by a coordinator)`);
          continue;
        }
        loaded.set(transactionalId, value);
      } catch (err) {
        skip(at, `the state of transactional id ${transactionalId}, whose value cannot be decoded (${(err as Error).message})`);
      }
    }
  }
  if (skipped > MAX_LOGGED_SKIPS) logger.warn(`Skipped ${skipped} records or batches of ${name} that could not be decoded (only the first ${MAX_LOGGED_SKIPS} were logged)`);
  return loaded;
}
