// The transaction bookkeeping of one partition (KIP-98, Kafka's TxnMetadata / CompletedTxn): a
// transaction starts at its producer's first transactional batch and completes at its marker.
// Until the marker is below the high watermark the transaction is "unstable": read_committed
// consumers read only up to the first unstable offset (the last stable offset, LSO).

/** A transaction seen in this partition's log; lastOffset (its marker's offset) once completed. */
export interface TxnMetadata {
  readonly producerId: number;
  readonly firstOffset: number;
  lastOffset: number | null;
}

/** What a marker's append completed (Kafka's CompletedTxn). */
export interface CompletedTxn {
  readonly producerId: number;
  readonly firstOffset: number;
  /** The marker's offset. */
  readonly lastOffset: number;
  readonly isAborted: boolean;
}

/** What appending one batch did to its producer's transaction. */
export type TxnChange = { readonly started: number } | { readonly completed: CompletedTxn } | null;

/** The smallest first offset among the transactions, null when there is none. */
export function firstOffsetOf(txns: ReadonlyMap<number, TxnMetadata>): number | null {
  let first: number | null = null;
  for (const offset of txns.keys()) if (first === null || offset < first) first = offset;
  return first;
}
