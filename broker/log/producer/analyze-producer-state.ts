// Kafka's Log.analyzeAndValidateProducerState: the producer-state side of an append, computed
// before anything is written. For a client's batch to a leader it finds a retry of one of the
// producer's last 5 batches (answered with that batch's original offsets, nothing written) or
// throws the error Kafka answers (INVALID_PRODUCER_EPOCH, OUT_OF_ORDER_SEQUENCE_NUMBER,
// UNKNOWN_PRODUCER_ID). For followers and log replay it only collects the state change. The
// result is applied with applyProducerAppends once the write has succeeded, so a refused or
// failed append leaves the producer state as it was.
import { BATCH_LENGTH, LOG_OVERHEAD, MAGIC } from '../../protocol/records/batch-header';
import { ValidationType, type ProducerAppendInfo } from './producer-append-info';
import { producerBatchAt, producerIdAt } from './producer-batch';
import type { BatchMetadata } from './producer-state-entry';
import type { ProducerStateManager } from './producer-state-manager';

export interface ProducerStateAnalysis {
  /** One per producer id met in the records; empty (and shared) when no batch has a producer id. */
  updated: Map<number, ProducerAppendInfo>;
  /** A client's retry of a batch already in the log (leader appends only). */
  duplicate?: BatchMetadata;
}

const NOTHING: ProducerStateAnalysis = Object.freeze({ updated: new Map() }) as ProducerStateAnalysis;

/** `records` are whole v2 batches with their final offsets (leader: after offset assignment). */
export function analyzeProducerState(manager: ProducerStateManager, records: Buffer, isFromClient: boolean): ProducerStateAnalysis {
  let updated: Map<number, ProducerAppendInfo> | undefined;
  for (let pos = 0; pos + LOG_OVERHEAD <= records.length; pos += LOG_OVERHEAD + records.readInt32BE(pos + BATCH_LENGTH)) {
    // Legacy messages (a Kafka-written log's old segments) have no producer fields.
    if (records.readInt8(pos + MAGIC) !== 2 || producerIdAt(records, pos) < 0) continue;
    const batch = producerBatchAt(records, pos);
    if (isFromClient && manager.validationFor(true) === ValidationType.Full) {
      const duplicate = manager.lastEntry(batch.producerId)?.findDuplicateBatch(batch.producerEpoch, batch.baseSequence, batch.lastSequence);
      if (duplicate) return { updated: updated ?? new Map(), duplicate };
    }
    updated ??= new Map();
    let info = updated.get(batch.producerId);
    if (!info) {
      info = manager.prepareUpdate(batch.producerId, isFromClient);
      updated.set(batch.producerId, info);
    }
    info.append(batch);
  }
  return updated ? { updated } : NOTHING;
}

/** Applies an analysis after its records were written, and moves the map's end past them. */
export function applyProducerAppends(manager: ProducerStateManager, analysis: ProducerStateAnalysis, nextOffset: number): void {
  for (const info of analysis.updated.values()) manager.update(info);
  manager.updateMapEndOffset(nextOffset);
}
