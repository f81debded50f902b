// Test helper: v2 batches of an idempotent producer (producer id, epoch, base sequence), encoded by
// Zafka's batch encoder with a real CRC, as a producer would send them.
import { encodeRecordBatch } from '../../../broker/protocol/records/record-batch';

export interface ProducerBatchOptions {
  producerId: number;
  epoch?: number;
  seq: number;
  count?: number;
  baseOffset?: number;
  timestamp?: number;
  transactional?: boolean;
}

export function producerBatch(o: ProducerBatchOptions): Buffer {
  const count = o.count ?? 1;
  return encodeRecordBatch({
    baseOffset: o.baseOffset ?? 0,
    timestamp: o.timestamp ?? Date.now(),
    producerId: o.producerId,
    producerEpoch: o.epoch ?? 0,
    baseSequence: o.seq,
    isTransactional: o.transactional,
    records: Array.from({ length: count }, (_, i) => ({ value: `p${o.producerId}-s${o.seq + i}` })),
  });
}
