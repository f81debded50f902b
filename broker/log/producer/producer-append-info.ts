// The checks and the pending state change of one producer within one append (Kafka's
// ProducerAppendInfo). A leader append from a client is checked in full (epoch, then sequence);
// follower appends and log replay are not checked at all: the leader already decided, and the
// follower must end up with exactly the leader's state. Nothing here touches the manager's map:
// the log applies toEntry() only after the batches are safely written (ProducerStateManager.update).
import { ErrorCode } from '../../protocol/errors';
import { KafkaError } from '../../protocol/kafka-error';
import type { ProducerBatch } from './producer-batch';
import { NO_PRODUCER_EPOCH, NO_SEQUENCE, ProducerStateEntry, inSequence } from './producer-state-entry';

/**
 * Kafka's ValidationType: Full for a client's produce to a leader, EpochOnly for the transactional
 * offset commits the group coordinator writes to __consumer_offsets (no sequences), None for
 * replication and replay.
 */
export enum ValidationType {
  None,
  EpochOnly,
  Full,
}

export class ProducerAppendInfo {
  private readonly updatedEntry: ProducerStateEntry;
  /** First offsets of transactions this append opened (the transaction index builds on this). */
  readonly startedTransactions: number[] = [];

  constructor(
    readonly topicPartition: string,
    readonly producerId: number,
    readonly currentEntry: ProducerStateEntry,
    readonly validationType: ValidationType,
  ) {
    this.updatedEntry = ProducerStateEntry.empty(producerId);
    this.updatedEntry.producerEpoch = currentEntry.producerEpoch;
    this.updatedEntry.coordinatorEpoch = currentEntry.coordinatorEpoch;
    this.updatedEntry.currentTxnFirstOffset = currentEntry.currentTxnFirstOffset;
  }

  /** Checks (per validationType) and records one data batch of this producer. */
  append(batch: ProducerBatch): void {
    // Transaction markers come from a coordinator (clients cannot write control batches): Zafka
    // has none yet, so a marker met here was replicated or is in a Kafka-written log.
    if (!batch.isControl) {
      if (this.validationType !== ValidationType.None) this.checkProducerEpoch(batch.producerEpoch, batch.firstOffset);
      if (this.validationType === ValidationType.Full) this.checkSequence(batch.producerEpoch, batch.baseSequence, batch.firstOffset);
      if (this.updatedEntry.currentTxnFirstOffset !== null && !batch.isTransactional) {
        throw new KafkaError(ErrorCode.INVALID_TXN_STATE, `Expected transactional write from producer ${this.producerId} at offset ${batch.firstOffset} in partition ${this.topicPartition}`);
      }
    }
    if (this.updatedEntry.appendBatch(batch)) this.startedTransactions.push(batch.firstOffset);
  }

  /** ProducerFencedException: an older epoch than the partition has seen. */
  private checkProducerEpoch(producerEpoch: number, offset: number): void {
    if (producerEpoch < this.updatedEntry.producerEpoch) {
      throw new KafkaError(
        ErrorCode.INVALID_PRODUCER_EPOCH,
        `Producer's epoch at offset ${offset} is no longer valid in partition ${this.topicPartition}: ${producerEpoch} (request epoch), ${this.updatedEntry.producerEpoch} (current epoch)`,
      );
    }
  }

  private checkSequence(producerEpoch: number, appendFirstSeq: number, offset: number): void {
    if (producerEpoch !== this.updatedEntry.producerEpoch) {
      // A new (higher) epoch, or a producer this partition has never seen: it must start at 0.
      if (appendFirstSeq !== 0) {
        if (this.updatedEntry.producerEpoch !== NO_PRODUCER_EPOCH) {
          throw new KafkaError(
            ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
            `Invalid sequence number for new epoch at offset ${offset} in partition ${this.topicPartition}: ${producerEpoch} (request epoch), ${appendFirstSeq} (seq. number)`,
          );
        }
        throw new KafkaError(
          ErrorCode.UNKNOWN_PRODUCER_ID,
          `Found no record of producerId=${this.producerId} on the broker at offset ${offset} in partition ${this.topicPartition}. It is possible that the last message with the producerId=${this.producerId} has been removed due to hitting the retention limit.`,
        );
      }
      return;
    }
    let currentLastSeq: number;
    if (!this.updatedEntry.isEmpty) currentLastSeq = this.updatedEntry.lastSeq;
    else if (producerEpoch === this.currentEntry.producerEpoch) currentLastSeq = this.currentEntry.lastSeq;
    else currentLastSeq = NO_SEQUENCE;
    if (currentLastSeq === NO_SEQUENCE && appendFirstSeq !== 0) {
      // Epoch known but not the next sequence (only a transaction marker is left of this producer).
      throw new KafkaError(
        ErrorCode.UNKNOWN_PRODUCER_ID,
        `Local producer state matches expected epoch ${producerEpoch} for producerId=${this.producerId} at offset ${offset} in partition ${this.topicPartition}, but the next expected sequence number is not known.`,
      );
    }
    if (!inSequence(currentLastSeq, appendFirstSeq)) {
      throw new KafkaError(
        ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        `Out of order sequence number for producerId ${this.producerId} at offset ${offset} in partition ${this.topicPartition}: ${appendFirstSeq} (incoming seq. number), ${currentLastSeq} (current end sequence number)`,
      );
    }
  }

  toEntry(): ProducerStateEntry {
    return this.updatedEntry;
  }
}
