// One transactional id's state in the coordinator's cache (Kafka 2.4's TransactionMetadata).
// A change is made in two steps, as in Kafka: prepare*() checks the transition, sets pendingState
// (which makes every other request on this id answer CONCURRENT_TRANSACTIONS) and returns the
// target (TxnTransitMetadata); the target is written to __transaction_state with acks=all; only
// then completeTransitionTo() applies it. A failed write clears pendingState. Nothing here is
// asynchronous: Node's single thread stands in for Kafka's per-metadata lock.
import { isValidTransition, TransactionState, tpKey, type TopicPartition } from './transaction-state';
import type { TxnLogValue } from './transaction-log';

/** The target of a transition: exactly what is written to the log. */
export type TxnTransitMetadata = TxnLogValue;

/** RecordBatch.NO_PRODUCER_EPOCH: a new transactional id's epoch before its first InitProducerId. */
export const NO_PRODUCER_EPOCH = -1;
const SHORT_MAX = 32767;

export class TransactionMetadata {
  pendingState: TransactionState | null = null;
  readonly topicPartitions = new Map<string, TopicPartition>();

  constructor(
    readonly transactionalId: string,
    public producerId: number,
    public producerEpoch: number,
    public txnTimeoutMs: number,
    public state: TransactionState,
    public txnStartTimestamp: number,
    public txnLastUpdateTimestamp: number,
    partitions: readonly TopicPartition[] = [],
  ) {
    this.addPartitions(partitions);
  }

  static fromLog(transactionalId: string, v: TxnLogValue): TransactionMetadata {
    return new TransactionMetadata(transactionalId, v.producerId, v.producerEpoch, v.txnTimeoutMs, v.state, v.txnStartTimestamp, v.txnLastUpdateTimestamp, v.topicPartitions);
  }

  get partitions(): TopicPartition[] {
    return [...this.topicPartitions.values()];
  }

  addPartitions(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.topicPartitions.set(tpKey(tp), { topic: tp.topic, partition: tp.partition });
  }

  hasPartitions(partitions: readonly TopicPartition[]): boolean {
    return partitions.every((tp) => this.topicPartitions.has(tpKey(tp)));
  }

  /** A marker was written (or the partition is gone): only legal while markers are being sent. */
  removePartition(tp: TopicPartition): void {
    if (this.state !== TransactionState.PrepareCommit && this.state !== TransactionState.PrepareAbort) {
      throw new Error(`Transaction metadata's current state is ${TransactionState[this.state]} while trying to remove partitions whose txn marker has been sent`);
    }
    this.topicPartitions.delete(tpKey(tp));
  }

  get pendingTransitionInProgress(): boolean {
    return this.pendingState !== null;
  }

  /** Epochs stop at Short.MaxValue - 1 so that the coordinator can always fence once more. */
  get isProducerEpochExhausted(): boolean {
    return this.producerEpoch >= SHORT_MAX - 1;
  }

  get hasPendingTransaction(): boolean {
    return this.state === TransactionState.Ongoing || this.state === TransactionState.PrepareAbort || this.state === TransactionState.PrepareCommit;
  }

  prepareFenceProducerEpoch(): TxnTransitMetadata {
    if (this.producerEpoch === SHORT_MAX) throw new Error('Cannot fence producer with epoch equal to Short.MaxValue since this would overflow');
    return this.prepareTransitionTo(TransactionState.PrepareEpochFence, this.producerId, this.producerEpoch + 1, this.txnTimeoutMs, this.partitions, this.txnStartTimestamp, this.txnLastUpdateTimestamp);
  }

  prepareIncrementProducerEpoch(newTxnTimeoutMs: number, now: number): TxnTransitMetadata {
    if (this.isProducerEpochExhausted) throw new Error(`Cannot allocate any more producer epochs for producerId ${this.producerId}`);
    const nextEpoch = this.producerEpoch === NO_PRODUCER_EPOCH ? 0 : this.producerEpoch + 1;
    return this.prepareTransitionTo(TransactionState.Empty, this.producerId, nextEpoch, newTxnTimeoutMs, [], -1, now);
  }

  prepareProducerIdRotation(newProducerId: number, newTxnTimeoutMs: number, now: number): TxnTransitMetadata {
    if (this.hasPendingTransaction) throw new Error('Cannot rotate producer ids while a transaction is still pending');
    return this.prepareTransitionTo(TransactionState.Empty, newProducerId, 0, newTxnTimeoutMs, [], -1, now);
  }

  prepareAddPartitions(added: readonly TopicPartition[], now: number): TxnTransitMetadata {
    const startsNew = this.state === TransactionState.Empty || this.state === TransactionState.CompleteAbort || this.state === TransactionState.CompleteCommit;
    const all = new Map(this.topicPartitions);
    for (const tp of added) all.set(tpKey(tp), tp);
    return this.prepareTransitionTo(TransactionState.Ongoing, this.producerId, this.producerEpoch, this.txnTimeoutMs, [...all.values()], startsNew ? now : this.txnStartTimestamp, now);
  }

  prepareAbortOrCommit(newState: TransactionState.PrepareCommit | TransactionState.PrepareAbort, now: number): TxnTransitMetadata {
    return this.prepareTransitionTo(newState, this.producerId, this.producerEpoch, this.txnTimeoutMs, this.partitions, this.txnStartTimestamp, now);
  }

  prepareComplete(now: number): TxnTransitMetadata {
    const newState = this.state === TransactionState.PrepareCommit ? TransactionState.CompleteCommit : TransactionState.CompleteAbort;
    return this.prepareTransitionTo(newState, this.producerId, this.producerEpoch, this.txnTimeoutMs, [], this.txnStartTimestamp, now);
  }

  prepareDead(): TxnTransitMetadata {
    return this.prepareTransitionTo(TransactionState.Dead, this.producerId, this.producerEpoch, this.txnTimeoutMs, [], this.txnStartTimestamp, this.txnLastUpdateTimestamp);
  }

  private prepareTransitionTo(
    newState: TransactionState,
    producerId: number,
    producerEpoch: number,
    txnTimeoutMs: number,
    topicPartitions: TopicPartition[],
    txnStartTimestamp: number,
    txnLastUpdateTimestamp: number,
  ): TxnTransitMetadata {
    if (this.pendingState !== null) {
      throw new Error(`Preparing transaction state transition to ${TransactionState[newState]} while it already a pending state ${TransactionState[this.pendingState]}`);
    }
    if (producerId < 0) throw new Error(`Illegal new producer id ${producerId}`);
    if (producerEpoch < 0) throw new Error(`Illegal new producer epoch ${producerEpoch}`);
    if (!isValidTransition(this.state, newState)) {
      throw new Error(`Preparing transaction state transition to ${TransactionState[newState]} failed since the target state ${TransactionState[newState]} is not a valid previous state of the current state ${TransactionState[this.state]}`);
    }
    this.pendingState = newState;
    return { producerId, producerEpoch, txnTimeoutMs, state: newState, topicPartitions, txnStartTimestamp, txnLastUpdateTimestamp };
  }

  /** Applies a transition whose record is written; Kafka's sanity checks, throwing on a bug. */
  completeTransitionTo(t: TxnTransitMetadata): void {
    const toState = this.pendingState;
    if (toState === null || toState !== t.state) this.transitionFailure(t);
    const sameEpoch = t.producerEpoch === this.producerEpoch && t.producerId === this.producerId;
    switch (toState) {
      case TransactionState.Empty: {
        // From InitProducerId: same epoch, epoch + 1, or epoch 0 of a new producer id.
        const validBump = t.producerEpoch === this.producerEpoch + 1 || (t.producerEpoch === 0 && t.producerId !== this.producerId);
        if ((this.producerEpoch !== t.producerEpoch && !validBump) || t.topicPartitions.length > 0 || t.txnStartTimestamp !== -1) this.transitionFailure(t);
        this.txnTimeoutMs = t.txnTimeoutMs;
        this.producerEpoch = t.producerEpoch;
        this.producerId = t.producerId;
        break;
      }
      case TransactionState.Ongoing: {
        const keepsPartitions = this.partitions.every((tp) => t.topicPartitions.some((n) => n.topic === tp.topic && n.partition === tp.partition));
        if (!sameEpoch || !keepsPartitions || this.txnTimeoutMs !== t.txnTimeoutMs || this.txnStartTimestamp > t.txnStartTimestamp) this.transitionFailure(t);
        this.txnStartTimestamp = t.txnStartTimestamp;
        this.addPartitions(t.topicPartitions);
        break;
      }
      case TransactionState.PrepareAbort:
      case TransactionState.PrepareCommit: {
        const samePartitions = t.topicPartitions.length === this.topicPartitions.size && this.hasPartitions(t.topicPartitions);
        if (!sameEpoch || !samePartitions || this.txnTimeoutMs !== t.txnTimeoutMs || this.txnStartTimestamp !== t.txnStartTimestamp) this.transitionFailure(t);
        break;
      }
      case TransactionState.CompleteAbort:
      case TransactionState.CompleteCommit:
        if (!sameEpoch || this.txnTimeoutMs !== t.txnTimeoutMs || t.txnStartTimestamp === -1) this.transitionFailure(t);
        this.txnStartTimestamp = t.txnStartTimestamp;
        this.topicPartitions.clear();
        break;
      default:
        // PrepareEpochFence is always replaced by PrepareAbort before anything is written; Dead
        // ends with removal from the cache, never with a state change.
        this.transitionFailure(t);
    }
    this.txnLastUpdateTimestamp = t.txnLastUpdateTimestamp;
    this.pendingState = null;
    this.state = toState!;
  }

  private transitionFailure(t: TxnTransitMetadata): never {
    throw new Error(`TransactionalId ${this.transactionalId} failed transition to state ${TransactionState[t.state]} (epoch ${t.producerEpoch}) due to unexpected metadata: ${this.toString()}`);
  }

  toString(): string {
    const pending = this.pendingState === null ? 'None' : TransactionState[this.pendingState];
    const partitions = [...this.topicPartitions.keys()].join(',');
    return `TransactionMetadata(transactionalId=${this.transactionalId}, producerId=${this.producerId}, producerEpoch=${this.producerEpoch}, txnTimeoutMs=${this.txnTimeoutMs}, state=${TransactionState[this.state]}, pendingState=${pending}, topicPartitions=Set(${partitions}), txnStartTimestamp=${this.txnStartTimestamp}, txnLastUpdateTimestamp=${this.txnLastUpdateTimestamp})`;
  }
}
