// What a partition remembers of one producer (Kafka's ProducerStateEntry, KIP-98): its epoch, the
// sequence/offset ranges of its last 5 batches (enough to answer any of the in-flight batches a
// producer may retry: max.in.flight.requests.per.connection <= 5 with idempotence), and the
// transactional fields (coordinator epoch, first offset of the open transaction) that a
// transaction coordinator needs and that the snapshot files carry.
import { ControlRecordType } from '../../protocol/records/end-transaction-marker';
import type { ProducerBatch } from './producer-batch';
import type { TxnChange } from './transactions';

export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_TIMESTAMP = -1;
/** ProducerStateEntry.NumBatchesToRetain. */
export const NUM_BATCHES_TO_RETAIN = 5;
const INT32_MAX = 2147483647;

/** DefaultRecordBatch.incrementSequence: sequences wrap from Int.MaxValue to 0. */
export function incrementSequence(sequence: number, increment: number): number {
  if (sequence > INT32_MAX - increment) return increment - (INT32_MAX - sequence) - 1;
  return sequence + increment;
}

/** DefaultRecordBatch.decrementSequence. */
export function decrementSequence(sequence: number, decrement: number): number {
  if (sequence < decrement) return INT32_MAX - (decrement - sequence) + 1;
  return sequence - decrement;
}

/** Whether nextSeq directly follows lastSeq (with the wrap at Int.MaxValue). */
export function inSequence(lastSeq: number, nextSeq: number): boolean {
  return nextSeq === lastSeq + 1 || (nextSeq === 0 && lastSeq === INT32_MAX);
}

/** One appended batch of a producer (Kafka's BatchMetadata). */
export class BatchMetadata {
  constructor(
    readonly lastSeq: number,
    readonly lastOffset: number,
    readonly offsetDelta: number,
    readonly timestamp: number,
  ) {}

  get firstSeq(): number {
    return decrementSequence(this.lastSeq, this.offsetDelta);
  }

  get firstOffset(): number {
    return this.lastOffset - this.offsetDelta;
  }
}

export class ProducerStateEntry {
  constructor(
    readonly producerId: number,
    /** Oldest first; at most NUM_BATCHES_TO_RETAIN. */
    readonly batchMetadata: BatchMetadata[],
    public producerEpoch: number,
    public coordinatorEpoch: number,
    /** First offset of the producer's open transaction, null when none (transactions build on this). */
    public currentTxnFirstOffset: number | null,
  ) {}

  static empty(producerId: number): ProducerStateEntry {
    return new ProducerStateEntry(producerId, [], NO_PRODUCER_EPOCH, -1, null);
  }

  get isEmpty(): boolean {
    return this.batchMetadata.length === 0;
  }

  get firstSeq(): number {
    return this.isEmpty ? NO_SEQUENCE : this.batchMetadata[0].firstSeq;
  }

  get lastSeq(): number {
    return this.isEmpty ? NO_SEQUENCE : this.batchMetadata[this.batchMetadata.length - 1].lastSeq;
  }

  get lastDataOffset(): number {
    return this.isEmpty ? -1 : this.batchMetadata[this.batchMetadata.length - 1].lastOffset;
  }

  get lastTimestamp(): number {
    return this.isEmpty ? NO_TIMESTAMP : this.batchMetadata[this.batchMetadata.length - 1].timestamp;
  }

  get lastOffsetDelta(): number {
    return this.isEmpty ? 0 : this.batchMetadata[this.batchMetadata.length - 1].offsetDelta;
  }

  addBatch(producerEpoch: number, lastSeq: number, lastOffset: number, offsetDelta: number, timestamp: number): void {
    this.maybeUpdateEpoch(producerEpoch);
    this.addBatchMetadata(new BatchMetadata(lastSeq, lastOffset, offsetDelta, timestamp));
  }

  /**
   * Records a batch of this producer as the log holds it, unchecked: data batches join the last 5
   * and may open a transaction; a transaction marker completes it (Kafka's appendEndTxnMarker,
   * without its checks: ProducerAppendInfo makes them). An empty control batch (its transaction
   * was cleaned away) changes nothing, as in Kafka.
   */
  appendBatch(batch: ProducerBatch): TxnChange {
    if (batch.isControl) {
      const marker = batch.endTxnMarker;
      if (marker === null) return null;
      this.maybeUpdateEpoch(batch.producerEpoch);
      // A marker with no open transaction here completes an empty one that starts at the marker.
      const firstOffset = this.currentTxnFirstOffset ?? batch.firstOffset;
      this.currentTxnFirstOffset = null;
      this.coordinatorEpoch = marker.coordinatorEpoch;
      return { completed: { producerId: this.producerId, firstOffset, lastOffset: batch.firstOffset, isAborted: marker.type === ControlRecordType.ABORT } };
    }
    this.addBatch(batch.producerEpoch, batch.lastSequence, batch.lastOffset, batch.lastOffset - batch.firstOffset, batch.maxTimestamp);
    if (this.currentTxnFirstOffset !== null || !batch.isTransactional) return null;
    this.currentTxnFirstOffset = batch.firstOffset;
    return { started: batch.firstOffset };
  }

  /** A new epoch forgets the old epoch's batches (their sequences restart at 0). */
  maybeUpdateEpoch(producerEpoch: number): boolean {
    if (this.producerEpoch === producerEpoch) return false;
    this.batchMetadata.length = 0;
    this.producerEpoch = producerEpoch;
    return true;
  }

  private addBatchMetadata(batch: BatchMetadata): void {
    if (this.batchMetadata.length === NUM_BATCHES_TO_RETAIN) this.batchMetadata.shift();
    this.batchMetadata.push(batch);
  }

  /** Merges what an append produced (ProducerAppendInfo.toEntry) into this entry. */
  update(next: ProducerStateEntry): void {
    this.maybeUpdateEpoch(next.producerEpoch);
    for (const batch of next.batchMetadata) this.addBatchMetadata(batch);
    this.coordinatorEpoch = next.coordinatorEpoch;
    this.currentTxnFirstOffset = next.currentTxnFirstOffset;
  }

  /** The cached batch with exactly this epoch and sequence range: a retry of an appended batch. */
  findDuplicateBatch(producerEpoch: number, firstSeq: number, lastSeq: number): BatchMetadata | undefined {
    if (producerEpoch !== this.producerEpoch) return undefined;
    return this.batchMetadata.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeq);
  }
}
