// The record formats of __transaction_state, exactly as Kafka 2.4's TransactionLog writes them:
// key version 0 [transactional_id]; value version 0 [producer_id int64, producer_epoch int16,
// transaction_timeout int32, transaction_status int8, transaction_partitions nullable
// [topic, [partition int32]], transaction_entry_timestamp int64, transaction_start_timestamp int64].
// Every key and value starts with its int16 schema version. A null value is a tombstone (an
// expired transactional id). The partitions array is null in the Empty state, as Kafka writes it.
// Also where a transactional id lives: Utils.abs(hashCode) % partitions, the group
// coordinator's rule (partition-for.ts) applied to transaction.state.log.num.partitions.
import { partitionFor } from '../group/partition-for';
import { Reader, Writer } from '../protocol/primitives';
import { array, int16, int32, int64, int8, string, struct, type Infer } from '../protocol/schema';
import { decodeStruct, encodeStruct } from '../protocol/schema-codec';
import { stateOfByte, TransactionState, type TopicPartition } from './transaction-state';

export const TRANSACTION_STATE_TOPIC_NAME = '__transaction_state';

export const TXN_KEY_VERSION = 0;
export const TXN_VALUE_VERSION = 0;

const TxnKeySchema = struct({ transactionalId: string() });

const TxnPartitionsSchema = struct({
  topic: string(),
  partitionIds: array('0+', int32()),
});

const TxnValueSchema = struct({
  producerId: int64(),
  producerEpoch: int16(),
  transactionTimeout: int32(),
  transactionStatus: int8(),
  transactionPartitions: array('0+', TxnPartitionsSchema, { nullable: '0+' }),
  transactionEntryTimestamp: int64(),
  transactionStartTimestamp: int64(),
});

/** What one __transaction_state value holds (Kafka's TxnTransitMetadata as written). */
export interface TxnLogValue {
  producerId: number;
  producerEpoch: number;
  txnTimeoutMs: number;
  state: TransactionState;
  topicPartitions: readonly TopicPartition[];
  txnLastUpdateTimestamp: number;
  txnStartTimestamp: number;
}

export function transactionPartitionFor(transactionalId: string, numPartitions: number): number {
  return partitionFor(transactionalId, numPartitions);
}

function versioned(version: number, write: (w: Writer) => void): Buffer {
  const w = new Writer(64);
  w.int16(version);
  write(w);
  return w.toBuffer();
}

export function txnRecordKey(transactionalId: string): Buffer {
  return versioned(TXN_KEY_VERSION, (w) => encodeStruct(TxnKeySchema, w, TXN_KEY_VERSION, false, { transactionalId }));
}

/** Groups partitions by topic in first-seen order, as Kafka's groupBy(_.topic) writes them. */
function groupByTopic(partitions: readonly TopicPartition[]): { topic: string; partitionIds: number[] }[] {
  const byTopic = new Map<string, number[]>();
  for (const tp of partitions) {
    let ids = byTopic.get(tp.topic);
    if (!ids) byTopic.set(tp.topic, (ids = []));
    ids.push(tp.partition);
  }
  return [...byTopic].map(([topic, partitionIds]) => ({ topic, partitionIds }));
}

export function txnRecordValue(v: TxnLogValue): Buffer {
  // Kafka's valueToBytes refuses partitions in Empty (IllegalStateException): a bug upstream.
  if (v.state === TransactionState.Empty && v.topicPartitions.length > 0) {
    throw new Error(`Transaction is not expected to have any partitions since its state is Empty`);
  }
  return versioned(TXN_VALUE_VERSION, (w) =>
    encodeStruct(TxnValueSchema, w, TXN_VALUE_VERSION, false, {
      producerId: v.producerId,
      producerEpoch: v.producerEpoch,
      transactionTimeout: v.txnTimeoutMs,
      transactionStatus: v.state,
      transactionPartitions: v.state === TransactionState.Empty ? null : groupByTopic(v.topicPartitions),
      transactionEntryTimestamp: v.txnLastUpdateTimestamp,
      transactionStartTimestamp: v.txnStartTimestamp,
    }),
  );
}

/** The transactional id of a key; throws on a version Kafka 2.4 does not write. */
export function readTxnRecordKey(buf: Buffer): string {
  const r = new Reader(buf);
  const version = r.int16();
  if (version !== TXN_KEY_VERSION) throw new Error(`Unknown transaction log message key schema version ${version}`);
  return (decodeStruct(TxnKeySchema, r, version, false) as Infer<typeof TxnKeySchema>).transactionalId;
}

/** A value; throws on an unknown version or state byte (Kafka's byteToState). */
export function readTxnRecordValue(buf: Buffer): TxnLogValue {
  const r = new Reader(buf);
  const version = r.int16();
  if (version !== TXN_VALUE_VERSION) throw new Error(`Unknown transaction log message value schema version ${version}`);
  const v = decodeStruct(TxnValueSchema, r, version, false) as Infer<typeof TxnValueSchema>;
  const state = stateOfByte(v.transactionStatus);
  const topicPartitions: TopicPartition[] = [];
  // Kafka reads the partitions of every state but Empty.
  if (state !== TransactionState.Empty) {
    for (const t of v.transactionPartitions ?? []) for (const partition of t.partitionIds) topicPartitions.push({ topic: t.topic, partition });
  }
  return {
    producerId: v.producerId,
    producerEpoch: v.producerEpoch,
    txnTimeoutMs: v.transactionTimeout,
    state,
    topicPartitions,
    txnLastUpdateTimestamp: v.transactionEntryTimestamp,
    txnStartTimestamp: v.transactionStartTimestamp,
  };
}
