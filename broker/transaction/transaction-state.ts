// The states of a transactional id and which transitions are legal, Kafka 2.4's TransactionState
// objects and TransactionMetadata.validPreviousStates. The numbers are the bytes written in
// __transaction_state's transaction_status field, so they must never change.

export enum TransactionState {
  /** No transaction yet (or the last one finished and InitProducerId bumped the epoch). */
  Empty = 0,
  /** AddPartitionsToTxn / AddOffsetsToTxn added partitions. */
  Ongoing = 1,
  /** EndTxn(commit) written; markers are being sent. */
  PrepareCommit = 2,
  /** EndTxn(abort) written, or a timeout / a new producer fenced the transaction. */
  PrepareAbort = 3,
  CompleteCommit = 4,
  CompleteAbort = 5,
  /** Expired (transactional.id.expiration.ms): about to leave the cache. Never written as a state. */
  Dead = 6,
  /** Epoch being bumped to fence a producer; only a pending state, immediately followed by PrepareAbort. */
  PrepareEpochFence = 7,
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export function tpKey(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

export function stateOfByte(b: number): TransactionState {
  if (!Number.isInteger(b) || b < 0 || b > 7) throw new Error(`Unknown transaction state byte ${b} from the transaction status message`);
  return b as TransactionState;
}

const S = TransactionState;

const VALID_PREVIOUS_STATES: ReadonlyMap<TransactionState, ReadonlySet<TransactionState>> = new Map<TransactionState, ReadonlySet<TransactionState>>([
  [S.Empty, new Set<TransactionState>([S.Empty, S.CompleteCommit, S.CompleteAbort])],
  [S.Ongoing, new Set([S.Ongoing, S.Empty, S.CompleteCommit, S.CompleteAbort])],
  [S.PrepareCommit, new Set([S.Ongoing])],
  [S.PrepareAbort, new Set([S.Ongoing, S.PrepareEpochFence])],
  [S.CompleteCommit, new Set([S.PrepareCommit])],
  [S.CompleteAbort, new Set([S.PrepareAbort])],
  [S.Dead, new Set([S.Empty, S.CompleteAbort, S.CompleteCommit])],
  [S.PrepareEpochFence, new Set([S.Ongoing])],
]);

export function isValidTransition(from: TransactionState, to: TransactionState): boolean {
  return VALID_PREVIOUS_STATES.get(to)?.has(from) ?? false;
}
