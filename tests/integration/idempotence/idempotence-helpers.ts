// Shared by the idempotence tests: raw idempotent batches, and the producer fields of every batch
// of a partition as the broker stores them (read back with Fetch v4+).
import type { KafkaClient } from '../../../broker/network/kafka-client';
import { Fetch } from '../../../broker/protocol/messages/fetch';
import { Produce } from '../../../broker/protocol/messages/produce';
import { BASE_SEQUENCE, LAST_OFFSET_DELTA, PRODUCER_EPOCH, PRODUCER_ID, baseOffsetOf, entrySize } from '../../../broker/protocol/records/batch-header';
import { readInt64 } from '../../../broker/protocol/primitives';
import { encodeRecordBatch } from '../../../broker/protocol/records/record-batch';

export interface StoredBatch {
  baseOffset: number;
  lastOffset: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
}

export function idempotentBatch(producerId: number, epoch: number, seq: number, values: string[]): Buffer {
  return encodeRecordBatch({ producerId, producerEpoch: epoch, baseSequence: seq, records: values.map((value) => ({ value })) });
}

/** Produce v7 acks=-1 of one batch; the partition's answer. */
export async function produceRaw(client: KafkaClient, topic: string, partition: number, batch: Buffer) {
  const r = await client.send(Produce, 7, { transactionalId: null, acks: -1, timeoutMs: 10000, topicData: [{ name: topic, partitionData: [{ index: partition, records: batch }] }] });
  return r.responses[0].partitionResponses[0];
}

export async function storedBatches(client: KafkaClient, topic: string, partition: number): Promise<StoredBatch[]> {
  const out: StoredBatch[] = [];
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
    for (let pos = 0; pos + 61 <= records.length && pos + entrySize(records, pos) <= records.length; pos += entrySize(records, pos)) {
      const base = baseOffsetOf(records, pos);
      if (base < offset) continue;
      out.push({
        baseOffset: base,
        lastOffset: base + records.readInt32BE(pos + LAST_OFFSET_DELTA),
        producerId: readInt64(records, pos + PRODUCER_ID),
        producerEpoch: records.readInt16BE(pos + PRODUCER_EPOCH),
        baseSequence: records.readInt32BE(pos + BASE_SEQUENCE),
      });
    }
    if (out.length === 0 || out[out.length - 1].lastOffset + 1 === offset) return out;
    offset = out[out.length - 1].lastOffset + 1;
  }
}
