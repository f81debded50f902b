// Kafka's Log.analyzeAndValidateProducerState: the producer-state side of an append, computed
// before anything is written. For a client's batch to a leader it finds a retry of one of the
// producer's last 5 batches (answered with that batch's original offsets, nothing written) or
// throws the error Kafka answers (INVALID_PRODUCER_EPOCH, OUT_OF_ORDER_SEQUENCE_NUMBER,
// UNKNOWN_PRODUCER_ID). For followers and log replay it only collects the state change. The
// result is applied with applyProducerAppends once the write has succeeded, so a refused or
// failed append leaves the producer state as it was.
import { BATCH_LENGTH, LOG_OVERHEAD, MAGIC } from '../../protocol/records/batch-header';
import { AppendOrigin, ValidationType, type ProducerAppendInfo } from './producer-append-info';
import { producerBatchAt, producerIdAt } from './producer-batch';
import type { BatchMetadata } from './producer-state-entry';
import type { ProducerStateManager } from './producer-state-manager';
import type { CompletedTxn } from './transactions';

export interface ProducerStateAnalysis {
  /** One per producer id met in the records; empty (and shared) when no batch has a producer id. */
  updated: Map<number, ProducerAppendInfo>;
  /** Transactions the records' markers complete, in log order (empty and shared when none). */
  completedTxns: CompletedTxn[];
  /** A client's retry of a batch already in the log (leader appends only). */
  duplicate?: BatchMetadata;
}

const NOTHING: ProducerStateAnalysis = Object.freeze({ updated: new Map(), completedTxns: [] }) as ProducerStateAnalysis;

/** `records` are whole v2 batches with their final offsets (leader: after offset assignment). */
export function analyzeProducerState(manager: ProducerStateManager, records: Buffer, origin: AppendOrigin): ProducerStateAnalysis {
  let updated: Map<number, ProducerAppendInfo> | undefined;
  let completedTxns: CompletedTxn[] | undefined;
  for (let pos = 0; pos + LOG_OVERHEAD <= records.length; pos += LOG_OVERHEAD + records.readInt32BE(pos + BATCH_LENGTH)) {
    // Legacy messages (a Kafka-written log's old segments) have no producer fields.
    if (records.readInt8(pos + MAGIC) !== 2 || producerIdAt(records, pos) < 0) continue;
    const batch = producerBatchAt(records, pos);
    if (manager.validationFor(origin) === ValidationType.Full) {
      const duplicate = manager.lastEntry(batch.producerId)?.findDuplicateBatch(batch.producerEpoch, batch.baseSequence, batch.lastSequence);
      if (duplicate) return { updated: updated ?? new Map(), completedTxns: [], duplicate };
    }
    updated ??= new Map();
    let info = updated.get(batch.producerId);
    if (!info) {
      info = manager.prepareUpdate(batch.producerId, origin);
      updated.set(batch.producerId, info);
    }
    const completed = info.append(batch);
    if (completed) (completedTxns ??= []).push(completed);
  }
  return updated ? { updated, completedTxns: completedTxns ?? [] } : NOTHING;
}

/**
 * Applies an analysis after its records were written, and moves the map's end past them. Each
 * completed transaction is handed to `indexCompleted` with the LSO it leaves (the transaction
 * index records aborted ones) before it leaves the ongoing transactions, in Kafka's order.
 */
export function applyProducerAppends(
  manager: ProducerStateManager,
  analysis: ProducerStateAnalysis,
  nextOffset: number,
  indexCompleted: (txn: CompletedTxn, lastStableOffset: number) => void = () => undefined,
): void {
  for (const info of analysis.updated.values()) manager.update(info);
  for (const txn of analysis.completedTxns) {
    indexCompleted(txn, manager.lastStableOffset(txn));
    manager.completeTxn(txn);
  }
  manager.updateMapEndOffset(nextOffset);
}
