// Sends transaction markers to partition leaders (Kafka 2.4's TransactionMarkerChannelManager
// and TransactionMarkerRequestCompletionHandler, with DelayedTxnMarker as a plain map).
//
// After PrepareCommit/PrepareAbort is written, the transaction's partitions are grouped by their
// leader (from the metadata cache, on the inter-broker listener) and one WriteTxnMarkers v0 per
// broker carries every queued marker for it. A partition whose marker is written leaves the
// transaction; when none is left, CompleteCommit/CompleteAbort is written. Retriable errors
// (NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS*, REQUEST_TIMED_OUT) and
// lost connections put the partitions back in the queue of whichever broker leads them now; a
// partition the metadata cache no longer knows (deleted topic) is dropped; a fenced producer or
// coordinator epoch (INVALID_PRODUCER_EPOCH, TRANSACTION_COORDINATOR_FENCED) ends sending. When
// this broker stops coordinating the transaction (leadership moved, or a reload with a newer
// coordinator epoch), sending stops: the next coordinator completes it from the log.
import { getLogger } from '../logging';
import type { BrokerEndpoint, MetadataCache } from '../metadata-cache';
import { ErrorCode } from '../protocol/errors';
import type { WriteTxnMarkersRequestInput, WriteTxnMarkersResponse } from '../protocol/messages/write-txn-markers';
import type { TransactionMetadata, TxnTransitMetadata } from './transaction-metadata';
import type { TransactionStateManager } from './transaction-state-manager';
import { tpKey, type TopicPartition } from './transaction-state';

/** One transaction's marker for some partitions led by one broker (Kafka's TxnMarkerEntry). */
export interface TxnMarkerEntry {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  coordinatorEpoch: number;
  commit: boolean;
  partitions: TopicPartition[];
}

/** Sends one WriteTxnMarkers v0 to a broker; rejects when the connection fails. */
export type MarkerSender = (brokerId: number, endpoint: BrokerEndpoint, request: WriteTxnMarkersRequestInput) => Promise<WriteTxnMarkersResponse>;

export interface TransactionMarkerChannelManagerOptions {
  brokerId: number;
  interBrokerListenerName: string;
  metadataCache: Pick<MetadataCache, 'partitionState' | 'endpointFor'>;
  stateManager: TransactionStateManager;
  send: MarkerSender;
  /** How long to wait before sending again to a broker whose leader is unknown or unreachable. */
  retryBackoffMs?: number;
}

interface PendingTxn {
  metadata: TransactionMetadata;
  coordinatorEpoch: number;
  onAllMarkersWritten: () => void;
}

const RETRIABLE = new Set([
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.NOT_ENOUGH_REPLICAS,
  ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
  ErrorCode.REQUEST_TIMED_OUT,
  // Not in Kafka's list; answered by a leader that is still loading or cannot reach its log.
  ErrorCode.KAFKA_STORAGE_ERROR,
  ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
]);

export class TransactionMarkerChannelManager {
  private readonly logger;
  /** Markers waiting to be sent, per destination broker. */
  private readonly queues = new Map<number, TxnMarkerEntry[]>();
  /** Markers whose partition has a leader the metadata cache cannot reach yet. */
  private unknownBrokerQueue: TxnMarkerEntry[] = [];
  private readonly inFlight = new Set<number>();
  /** Transactions waiting for their markers (Kafka's txnMarkerPurgatory), by transactional id. */
  private readonly pending = new Map<string, PendingTxn>();
  /** Complete* writes that found the log unavailable, retried on the next round. */
  private appendRetries: (() => void)[] = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private drainScheduled = false;
  private running = false;
  private readonly retryBackoffMs: number;

  constructor(private readonly options: TransactionMarkerChannelManagerOptions) {
    this.logger = getLogger('kafka.coordinator.transaction.TransactionMarkerChannelManager', `[Transaction Marker Channel Manager ${options.brokerId}]: `);
    this.retryBackoffMs = options.retryBackoffMs ?? 100;
  }

  start(): void {
    this.running = true;
  }

  shutdown(): void {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.queues.clear();
    this.unknownBrokerQueue = [];
    this.pending.clear();
    this.appendRetries = [];
  }

  /** Markers queued or pending, for tests and metrics. */
  get pendingTransactions(): number {
    return this.pending.size;
  }

  /**
   * PrepareCommit/PrepareAbort is written: send the markers, then write `complete` (the
   * Complete* transition) once every partition has its marker.
   */
  addTxnMarkersToSend(transactionalId: string, coordinatorEpoch: number, commit: boolean, metadata: TransactionMetadata, complete: TxnTransitMetadata): void {
    const { stateManager } = this.options;
    const onAllMarkersWritten = () => {
      if (!stateManager.isCoordinatorFor(transactionalId, coordinatorEpoch)) {
        this.logger.info(`No longer the coordinator for ${transactionalId} with coordinator epoch ${coordinatorEpoch}; cancel appending the completed transaction to the log`);
        return;
      }
      this.tryAppendToLog(transactionalId, coordinatorEpoch, complete);
    };
    this.pending.set(transactionalId, { metadata, coordinatorEpoch, onAllMarkersWritten });
    this.addTxnMarkersToBrokerQueue({ transactionalId, producerId: metadata.producerId, producerEpoch: metadata.producerEpoch, coordinatorEpoch, commit, partitions: metadata.partitions });
    this.checkComplete(transactionalId); // a transaction of no partitions completes at once
  }

  private tryAppendToLog(transactionalId: string, coordinatorEpoch: number, complete: TxnTransitMetadata): void {
    const retryable = (e: ErrorCode) => e === ErrorCode.COORDINATOR_NOT_AVAILABLE;
    this.options.stateManager.appendTransactionToLog(transactionalId, coordinatorEpoch, complete, retryable).then(
      (error) => {
        if (error === ErrorCode.NONE) return;
        if (retryable(error) && this.running) {
          this.logger.info(`Not available to append the completion of ${transactionalId}: ${ErrorCode[error]}; retry appending`);
          this.appendRetries.push(() => this.tryAppendToLog(transactionalId, coordinatorEpoch, complete));
          this.scheduleRetry();
          return;
        }
        this.logger.info(`Skip writing the completion of ${transactionalId} to the transaction log: ${ErrorCode[error]} (the partition's next coordinator completes it)`);
      },
      (err: Error) => this.logger.error(`Appending the completion of ${transactionalId} failed: ${err.message}`),
    );
  }

  /** Queues the marker per destination broker; drops partitions whose topic is gone. */
  addTxnMarkersToBrokerQueue(entry: TxnMarkerEntry): void {
    const { metadataCache, interBrokerListenerName, stateManager } = this.options;
    const byBroker = new Map<number, TopicPartition[]>();
    const unknownLeader: TopicPartition[] = [];
    const deleted: TopicPartition[] = [];
    for (const tp of entry.partitions) {
      const state = metadataCache.partitionState(tp.topic, tp.partition);
      if (!state) deleted.push(tp);
      else if (state.leader < 0 || !metadataCache.endpointFor(state.leader, interBrokerListenerName)) unknownLeader.push(tp);
      else {
        let list = byBroker.get(state.leader);
        if (!list) byBroker.set(state.leader, (list = []));
        list.push(tp);
      }
    }
    for (const [broker, partitions] of byBroker) {
      let queue = this.queues.get(broker);
      if (!queue) this.queues.set(broker, (queue = []));
      queue.push({ ...entry, partitions });
    }
    if (unknownLeader.length > 0) {
      this.unknownBrokerQueue.push({ ...entry, partitions: unknownLeader });
      this.scheduleRetry();
    }
    if (deleted.length > 0) {
      if (!stateManager.isCoordinatorFor(entry.transactionalId, entry.coordinatorEpoch)) {
        this.removeMarkersForTxnId(entry.transactionalId);
      } else {
        this.logger.info(`Couldn't find leader endpoint for partitions ${deleted.map(tpKey).join(',')} while trying to send transaction markers for ${entry.transactionalId}, these partitions are likely deleted already and hence can be skipped`);
        const metadata = this.pending.get(entry.transactionalId)?.metadata;
        for (const tp of deleted) metadata?.removePartition(tp);
        this.checkComplete(entry.transactionalId);
      }
    }
    this.scheduleDrain();
  }

  /** Stop sending for every transactional id of a __transaction_state partition we no longer lead. */
  removeMarkersForTxnTopicPartition(txnTopicPartition: number): void {
    const ofPartition = (e: TxnMarkerEntry) => this.options.stateManager.partitionFor(e.transactionalId) === txnTopicPartition;
    for (const [broker, queue] of this.queues) this.queues.set(broker, queue.filter((e) => !ofPartition(e)));
    this.unknownBrokerQueue = this.unknownBrokerQueue.filter((e) => !ofPartition(e));
    for (const id of [...this.pending.keys()]) if (this.options.stateManager.partitionFor(id) === txnTopicPartition) this.pending.delete(id);
  }

  removeMarkersForTxnId(transactionalId: string): void {
    this.pending.delete(transactionalId);
  }

  private checkComplete(transactionalId: string): void {
    const pending = this.pending.get(transactionalId);
    if (!pending || pending.metadata.topicPartitions.size > 0) return;
    this.pending.delete(transactionalId);
    pending.onAllMarkersWritten();
  }

  private scheduleDrain(): void {
    if (this.drainScheduled || !this.running) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.drain();
    });
  }

  private scheduleRetry(): void {
    if (this.retryTimer || !this.running) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      const retries = this.appendRetries;
      this.appendRetries = [];
      for (const retry of retries) retry();
      const unknown = this.unknownBrokerQueue;
      this.unknownBrokerQueue = [];
      for (const entry of unknown) this.requeue(entry, entry.partitions);
      this.drain();
    }, this.retryBackoffMs);
    this.retryTimer.unref();
  }

  /** One request per broker with queued markers and none in flight. */
  private drain(): void {
    if (!this.running) return;
    for (const [broker, queue] of this.queues) {
      if (queue.length === 0 || this.inFlight.has(broker)) continue;
      const endpoint = this.options.metadataCache.endpointFor(broker, this.options.interBrokerListenerName);
      const entries = queue.splice(0, queue.length);
      if (!endpoint) {
        this.unknownBrokerQueue.push(...entries);
        this.scheduleRetry();
        continue;
      }
      this.inFlight.add(broker);
      const request: WriteTxnMarkersRequestInput = {
        markers: entries.map((e) => ({
          producerId: e.producerId,
          producerEpoch: e.producerEpoch,
          transactionResult: e.commit,
          coordinatorEpoch: e.coordinatorEpoch,
          topics: groupByTopic(e.partitions),
        })),
      };
      this.options.send(broker, endpoint, request).then(
        (response) => {
          this.inFlight.delete(broker);
          this.onResponse(entries, response);
          this.scheduleDrain();
        },
        (err: Error) => {
          this.inFlight.delete(broker);
          this.logger.info(`Sending transaction markers to broker ${broker} failed (${err.message}); will retry with the current leaders`);
          // Kafka's disconnected branch: every entry goes back, to the partitions' current leaders.
          for (const e of entries) this.unknownBrokerQueue.push(e);
          this.scheduleRetry();
        },
      );
    }
  }

  /** Re-queues the partitions of an entry if we still coordinate its transaction at its epoch. */
  private requeue(entry: TxnMarkerEntry, partitions: TopicPartition[]): void {
    if (!this.pending.has(entry.transactionalId)) return;
    if (!this.options.stateManager.isCoordinatorFor(entry.transactionalId, entry.coordinatorEpoch)) {
      this.logger.info(`No longer the coordinator for ${entry.transactionalId} at coordinator epoch ${entry.coordinatorEpoch}; cancel sending transaction markers`);
      this.removeMarkersForTxnId(entry.transactionalId);
      return;
    }
    this.addTxnMarkersToBrokerQueue({ ...entry, partitions });
  }

  private onResponse(entries: TxnMarkerEntry[], response: WriteTxnMarkersResponse): void {
    // Kafka keys the answer by producer id: one request never carries two markers of one producer
    // id with different transactional ids (a producer id belongs to one transactional id).
    const errorsByProducer = new Map<number, Map<string, ErrorCode>>();
    for (const m of response.markers) {
      let errors = errorsByProducer.get(m.producerId);
      if (!errors) errorsByProducer.set(m.producerId, (errors = new Map()));
      for (const t of m.topics) for (const p of t.partitions) errors.set(`${t.name}-${p.partitionIndex}`, p.errorCode);
    }
    for (const entry of entries) {
      const pending = this.pending.get(entry.transactionalId);
      // Gone, or a later transaction of the same id: this answer is about an older one.
      if (!pending || pending.metadata.producerId !== entry.producerId || pending.metadata.producerEpoch !== entry.producerEpoch) continue;
      if (!this.options.stateManager.isCoordinatorFor(entry.transactionalId, entry.coordinatorEpoch) || pending.coordinatorEpoch !== entry.coordinatorEpoch) {
        this.logger.info(`Transaction coordinator epoch for ${entry.transactionalId} has changed from ${entry.coordinatorEpoch}; cancel sending transaction markers`);
        this.removeMarkersForTxnId(entry.transactionalId);
        continue;
      }
      const errors = errorsByProducer.get(entry.producerId);
      const retry: TopicPartition[] = [];
      let abortSending = false;
      for (const tp of entry.partitions) {
        // A partition the answer leaves out was not written: send it again.
        const error = errors?.get(tpKey(tp)) ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        if (error === ErrorCode.NONE || error === ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT || error === ErrorCode.UNSUPPORTED_VERSION) {
          // Unsupported: the producer could not have written there either (Kafka removes it too).
          pending.metadata.removePartition(tp);
        } else if (error === ErrorCode.INVALID_PRODUCER_EPOCH || error === ErrorCode.TRANSACTION_COORDINATOR_FENCED) {
          this.logger.info(`Sending ${entry.transactionalId}'s transaction marker for partition ${tpKey(tp)} has permanently failed with error ${ErrorCode[error]} with the current coordinator epoch ${entry.coordinatorEpoch}; cancel sending any more transaction markers`);
          abortSending = true;
        } else {
          if (!RETRIABLE.has(error)) this.logger.warn(`Unexpected error ${ErrorCode[error]} while sending the transaction marker of ${entry.transactionalId} for ${tpKey(tp)}; retrying`);
          else this.logger.info(`Sending ${entry.transactionalId}'s transaction marker for partition ${tpKey(tp)} has failed with error ${ErrorCode[error]}, retrying with current coordinator epoch ${entry.coordinatorEpoch}`);
          retry.push(tp);
        }
      }
      if (abortSending) {
        this.removeMarkersForTxnId(entry.transactionalId);
      } else if (retry.length > 0) {
        // Leaders may have moved: wait for the metadata cache a little rather than spin.
        this.unknownBrokerQueue.push({ ...entry, partitions: retry });
        this.scheduleRetry();
      } else {
        this.checkComplete(entry.transactionalId);
      }
    }
  }
}

function groupByTopic(partitions: readonly TopicPartition[]): { name: string; partitionIndexes: number[] }[] {
  const byTopic = new Map<string, number[]>();
  for (const tp of partitions) {
    let ids = byTopic.get(tp.topic);
    if (!ids) byTopic.set(tp.topic, (ids = []));
    ids.push(tp.partition);
  }
  return [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
}
