// Shared by the transaction tests: every batch of a partition as the broker stores it (raw Fetch
// v4 up to the high watermark, READ_UNCOMMITTED), with its transaction markers decoded, and the
// latest __transaction_state value of a transactional id.
import type { KafkaClient } from '../../../broker/network/kafka-client';
import { Fetch } from '../../../broker/protocol/messages/fetch';
import { ControlRecordType, readEndTransactionMarker, type EndTransactionMarker } from '../../../broker/protocol/records/end-transaction-marker';
import { iterateEntries } from '../../../broker/protocol/records/log-entries';
import { decodeRecordBatch, type RecordBatch } from '../../../broker/protocol/records/record-batch';
import { readTxnRecordKey, readTxnRecordValue, transactionPartitionFor, TRANSACTION_STATE_TOPIC_NAME, type TxnLogValue } from '../../../broker/transaction/transaction-log';

export interface StoredTxnBatch {
  baseOffset: number;
  producerId: number;
  producerEpoch: number;
  isTransactional: boolean;
  /** 'COMMIT' / 'ABORT' for a transaction marker, null for data. */
  marker: 'COMMIT' | 'ABORT' | null;
  coordinatorEpoch: number | null;
  values: string[];
}

/** Every batch of a partition up to its high watermark, decoded, with the marker of control batches. */
async function fetchBatches(client: KafkaClient, topic: string, partition: number): Promise<{ batch: RecordBatch; marker: EndTransactionMarker | null }[]> {
  const out: { batch: RecordBatch; marker: EndTransactionMarker | null }[] = [];
  let offset = 0;
  for (;;) {
    const r = await client.send(Fetch, 4, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 24,
      isolationLevel: 0,
      topics: [{ topic, partitions: [{ partition, fetchOffset: offset, partitionMaxBytes: 1 << 24 }] }],
    } as never);
    const records = (r as { responses: { partitions: { records: Buffer | null }[] }[] }).responses[0].partitions[0].records;
    if (!records || records.length === 0) return out;
    const before = offset;
    for (const entry of iterateEntries(records)) {
      if (entry.partial) break;
      const batch = decodeRecordBatch(records, entry.pos);
      const next = batch.baseOffset + batch.lastOffsetDelta + 1;
      if (next <= offset) continue;
      out.push({ batch, marker: batch.isControl ? readEndTransactionMarker(records, entry.pos) : null });
      offset = next;
    }
    if (offset === before) return out;
  }
}

export async function readPartition(client: KafkaClient, topic: string, partition: number): Promise<StoredTxnBatch[]> {
  return (await fetchBatches(client, topic, partition)).map(({ batch, marker }) => ({
    baseOffset: batch.baseOffset,
    producerId: batch.producerId,
    producerEpoch: batch.producerEpoch,
    isTransactional: batch.isTransactional,
    marker: marker ? (marker.type === ControlRecordType.COMMIT ? 'COMMIT' : 'ABORT') : null,
    coordinatorEpoch: marker?.coordinatorEpoch ?? null,
    values: batch.isControl ? [] : batch.records.map((rec) => rec.value?.toString() ?? ''),
  }));
}

/** Every value written for the id in its __transaction_state partition, oldest first (null: tombstone). */
export async function transactionLogOf(client: KafkaClient, transactionalId: string, numPartitions: number): Promise<(TxnLogValue | null)[]> {
  const batches = await fetchBatches(client, TRANSACTION_STATE_TOPIC_NAME, transactionPartitionFor(transactionalId, numPartitions));
  const records = batches.flatMap(({ batch }) => batch.records);
  return records.filter((r) => r.key !== null && readTxnRecordKey(r.key) === transactionalId).map((r) => (r.value === null ? null : readTxnRecordValue(r.value)));
}
