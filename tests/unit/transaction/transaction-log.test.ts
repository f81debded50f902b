// __transaction_state records against bytes produced by Apache Kafka 2.4's own
// TransactionLog.keyToBytes / valueToBytes (kafka_2.11-2.4.0.jar, called from a small Java
// program), so that our codec and Kafka's agree whichever side wrote the log.
import { readTxnRecordKey, readTxnRecordValue, transactionPartitionFor, txnRecordKey, txnRecordValue } from '../../../broker/transaction/transaction-log';
import { TransactionState } from '../../../broker/transaction/transaction-state';

const KAFKA_KEY_TXN_1 = '0000000574786e2d31';
// TxnTransitMetadata(4001, 2, 60000, PrepareCommit, Set(orders-0, orders-3), start 1700000000000, update 1700000000500)
const KAFKA_VALUE_PREPARE_COMMIT = '00000000000000000fa100020000ea60020000000100066f72646572730000000200000000000000030000018bcfe569f40000018bcfe56800';
// TxnTransitMetadata(4001, 0, 60000, Empty, Set(), start -1, update 1700000000000): partitions written as a null array
const KAFKA_VALUE_EMPTY = '00000000000000000fa100000000ea6000ffffffff0000018bcfe56800ffffffffffffffff';

describe('__transaction_state record formats (Kafka 2.4 TransactionLog)', () => {
  test('key version 0 is written and read as Kafka writes it', () => {
    expect(txnRecordKey('txn-1').toString('hex')).toBe(KAFKA_KEY_TXN_1);
    expect(readTxnRecordKey(Buffer.from(KAFKA_KEY_TXN_1, 'hex'))).toBe('txn-1');
  });

  test('value of a PrepareCommit with two partitions matches Kafka byte for byte', () => {
    const value = {
      producerId: 4001,
      producerEpoch: 2,
      txnTimeoutMs: 60000,
      state: TransactionState.PrepareCommit,
      topicPartitions: [{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 3 }],
      txnStartTimestamp: 1700000000000,
      txnLastUpdateTimestamp: 1700000000500,
    };
    expect(txnRecordValue(value).toString('hex')).toBe(KAFKA_VALUE_PREPARE_COMMIT);
    expect(readTxnRecordValue(Buffer.from(KAFKA_VALUE_PREPARE_COMMIT, 'hex'))).toEqual(value);
  });

  test('value of an Empty state has a null partitions array, as Kafka writes it', () => {
    const value = { producerId: 4001, producerEpoch: 0, txnTimeoutMs: 60000, state: TransactionState.Empty, topicPartitions: [], txnStartTimestamp: -1, txnLastUpdateTimestamp: 1700000000000 };
    expect(txnRecordValue(value).toString('hex')).toBe(KAFKA_VALUE_EMPTY);
    expect(readTxnRecordValue(Buffer.from(KAFKA_VALUE_EMPTY, 'hex'))).toEqual(value);
  });

  test('an Empty state with partitions is refused (Kafka throws IllegalStateException)', () => {
    expect(() => txnRecordValue({ producerId: 1, producerEpoch: 0, txnTimeoutMs: 1, state: TransactionState.Empty, topicPartitions: [{ topic: 't', partition: 0 }], txnStartTimestamp: -1, txnLastUpdateTimestamp: 0 })).toThrow();
  });

  test('unknown key/value versions and state bytes are errors, not guesses', () => {
    expect(() => readTxnRecordKey(Buffer.from('0001000174', 'hex'))).toThrow(/key schema version 1/);
    const badVersion = Buffer.from(KAFKA_VALUE_EMPTY, 'hex');
    badVersion.writeInt16BE(1, 0);
    expect(() => readTxnRecordValue(badVersion)).toThrow(/value schema version 1/);
    const badState = Buffer.from(KAFKA_VALUE_EMPTY, 'hex');
    badState.writeInt8(9, 2 + 8 + 2 + 4);
    expect(() => readTxnRecordValue(badState)).toThrow(/Unknown transaction state byte 9/);
  });

  test('partition of a transactional id is Utils.abs(hashCode) % partitions', () => {
    // "txn-1".hashCode() == 110810510 in Java (jshell), and 110810510 % 50 == 10
    expect(transactionPartitionFor('txn-1', 50)).toBe(10);
    // "polygenelubricants".hashCode() == Integer.MIN_VALUE: Kafka's Utils.abs maps it to 0
    expect(transactionPartitionFor('polygenelubricants', 50)).toBe(0);
  });
});
