// The checks and the pending state change of one producer within one append (Kafka's
// ProducerAppendInfo). A leader append from a client is checked in full (epoch, then sequence);
// a transaction marker the leader writes for a coordinator (WriteTxnMarkers) is checked against
// the producer epoch and the coordinator epoch; follower appends and log replay are not checked
// at all: the leader already decided, and the follower must end up with exactly the leader's state. Nothing here touches the manager's map:
// the log applies toEntry() only after the batches are safely written (ProducerStateManager.update).
import { ErrorCode } from '../../protocol/errors';
import { KafkaError } from '../../protocol/kafka-error';
import type { ProducerBatch } from './producer-batch';
import { NO_PRODUCER_EPOCH, NO_SEQUENCE, ProducerStateEntry, inSequence } from './producer-state-entry';
import type { CompletedTxn } from './transactions';

/**
 * Who appends (Kafka 2.5's AppendOrigin; 2.4 spells it isFromClient): a client's produce, the
 * broker itself for a coordinator (transaction markers, the group coordinator's records), or a
 * follower copying its leader.
 */
export enum AppendOrigin {
  Replication,
  Coordinator,
  Client,
}

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
  /** First offsets of transactions this append opened (they become ongoing once written). */
  readonly startedTransactions: number[] = [];

  constructor(
    readonly topicPartition: string,
    readonly producerId: number,
    readonly currentEntry: ProducerStateEntry,
    readonly validationType: ValidationType,
    /** Kafka 2.4 checks every marker it appends, except on replication and replay. */
    readonly checkMarkers = validationType !== ValidationType.None,
  ) {
    this.updatedEntry = ProducerStateEntry.empty(producerId);
    this.updatedEntry.producerEpoch = currentEntry.producerEpoch;
    this.updatedEntry.coordinatorEpoch = currentEntry.coordinatorEpoch;
    this.updatedEntry.currentTxnFirstOffset = currentEntry.currentTxnFirstOffset;
  }

  /**
   * Checks (per validationType) and records one batch of this producer; returns the transaction a
   * marker completed, which the log puts in the transaction index once the marker is written.
   */
  append(batch: ProducerBatch): CompletedTxn | null {
    if (batch.isControl) {
      if (batch.endTxnMarker !== null && this.checkMarkers) this.checkEndTxnMarker(batch.producerEpoch, batch.endTxnMarker.coordinatorEpoch, batch.firstOffset);
    } else {
      if (this.validationType !== ValidationType.None) this.checkProducerEpoch(batch.producerEpoch, batch.firstOffset);
      if (this.validationType === ValidationType.Full) this.checkSequence(batch.producerEpoch, batch.baseSequence, batch.firstOffset);
      if (this.updatedEntry.currentTxnFirstOffset !== null && !batch.isTransactional) {
        throw new KafkaError(ErrorCode.INVALID_TXN_STATE, `Expected transactional write from producer ${this.producerId} at offset ${batch.firstOffset} in partition ${this.topicPartition}`);
      }
    }
    const change = this.updatedEntry.appendBatch(batch);
    if (change === null) return null;
    if ('started' in change) {
      this.startedTransactions.push(change.started);
      return null;
    }
    return change.completed;
  }

  /** Kafka's appendEndTxnMarker checks: a fenced producer epoch, then a zombie coordinator. */
  private checkEndTxnMarker(producerEpoch: number, coordinatorEpoch: number, offset: number): void {
    this.checkProducerEpoch(producerEpoch, offset);
    if (this.updatedEntry.coordinatorEpoch > coordinatorEpoch) {
      throw new KafkaError(
        ErrorCode.TRANSACTION_COORDINATOR_FENCED,
        `Invalid coordinator epoch for producerId ${this.producerId} at offset ${offset} in partition ${this.topicPartition}: ${coordinatorEpoch} (zombie), ${this.updatedEntry.coordinatorEpoch} (current)`,
      );
    }
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
