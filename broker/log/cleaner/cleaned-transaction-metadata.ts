// What the cleaner needs to know of transactions while it walks a range of the log (Kafka's
// CleanedTransactionMetadata, 2.4): the aborted transactions of the range (from the transaction
// indexes), which of them are open at the current position, and which producers are in a
// committed transaction. With it:
// - records of aborted transactions are neither indexed nor kept;
// - an ABORT marker stays while this pass still saw batches of its transaction (and then goes
//   into the cleaned segment's transaction index); once its data is gone it may go, like a
//   tombstone, after delete.retention.ms;
// - a COMMIT marker may go (after delete.retention.ms) once no batch of its transaction is left.
import type { EndTransactionMarker } from '../../protocol/records/end-transaction-marker';
import { ControlRecordType } from '../../protocol/records/end-transaction-marker';
import type { AbortedTxn, TransactionIndex } from '../transaction-index';

interface OngoingAbortedTxn {
  abortedTxn: AbortedTxn;
  /** Last offset of a batch of this transaction seen in this pass. */
  lastObservedBatchOffset: number | null;
}

export class CleanedTransactionMetadata {
  /** Not yet reached, ascending by first offset. */
  private pending: AbortedTxn[] = [];
  private readonly added = new Set<string>();
  private readonly ongoingAbortedTxns = new Map<number, OngoingAbortedTxn>();
  private readonly ongoingCommittedTxns = new Set<number>();

  /** The index of the segment being written: aborts whose marker is kept go into it (one run spans several groups). */
  cleanedIndex: TransactionIndex | null = null;

  /** Aborted transactions of the next range walked (one met twice, spanning two segments, counts once). */
  addAbortedTransactions(txns: readonly AbortedTxn[]): void {
    for (const txn of txns) {
      const key = `${txn.producerId}:${txn.firstOffset}`;
      if (this.added.has(key)) continue;
      this.added.add(key);
      this.pending.push(txn);
    }
    this.pending.sort((a, b) => a.firstOffset - b.firstOffset);
  }

  private consumeAbortedTxnsUpTo(offset: number): void {
    let n = 0;
    while (n < this.pending.length && this.pending[n].firstOffset <= offset) {
      const txn = this.pending[n++];
      this.ongoingAbortedTxns.set(txn.producerId, { abortedTxn: txn, lastObservedBatchOffset: null });
    }
    if (n > 0) this.pending = this.pending.slice(n);
  }

  /**
   * A marker (null: an empty control batch, whose transaction was already cleaned away) of
   * producerId at lastOffset. Returns true when the marker itself may be discarded.
   */
  onControlBatchRead(producerId: number, marker: EndTransactionMarker | null, lastOffset: number): boolean {
    this.consumeAbortedTxnsUpTo(lastOffset);
    if (marker === null) return true;
    if (marker.type === ControlRecordType.ABORT) {
      const aborted = this.ongoingAbortedTxns.get(producerId);
      this.ongoingAbortedTxns.delete(producerId);
      if (aborted && aborted.lastObservedBatchOffset !== null) {
        // Retain the marker until all batches of the transaction are removed.
        this.cleanedIndex?.append(aborted.abortedTxn);
        return false;
      }
      return true;
    }
    // COMMIT: removable when no batch of its transaction was met in this pass.
    return !this.ongoingCommittedTxns.delete(producerId);
  }

  /** A data batch; returns true when it belongs to an aborted transaction (its records go). */
  onBatchRead(producerId: number, isTransactional: boolean, lastOffset: number): boolean {
    this.consumeAbortedTxnsUpTo(lastOffset);
    if (!isTransactional) return false;
    const aborted = this.ongoingAbortedTxns.get(producerId);
    if (aborted) {
      aborted.lastObservedBatchOffset = lastOffset;
      return true;
    }
    this.ongoingCommittedTxns.add(producerId);
    return false;
  }
}
