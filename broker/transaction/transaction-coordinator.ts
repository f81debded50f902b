// The transaction coordinator (Kafka 2.4's TransactionCoordinator, KIP-98): the state machine of
// the transactional ids whose __transaction_state partition this broker leads.
//
// Public API (answers are Kafka's error codes, never exceptions):
//   handleInitProducerId       producer id and epoch for a transactional id; a re-init bumps the
//                              epoch (fencing the previous producer), first aborting its open
//                              transaction (CONCURRENT_TRANSACTIONS until that is done); epoch
//                              exhaustion rotates to a new producer id
//   handleAddPartitionsToTransaction   (also AddOffsetsToTxn, with the group's offsets partition)
//   handleEndTransaction       PrepareCommit/PrepareAbort written (acks=all), answer, then markers,
//                              then CompleteCommit/CompleteAbort
//   onElection / onResignation leadership of __transaction_state partitions (LeaderAndIsr)
// Every transition is written to the log before it is applied (see transaction-metadata.ts).
import type { KafkaConfig } from '../config/kafka-config';
import { getLogger } from '../logging';
import { ErrorCode } from '../protocol/errors';
import type { ReplicaManager } from '../replica/replica-manager';
import type { TransactionMarkerChannelManager } from './transaction-marker-channel-manager';
import { NO_PRODUCER_EPOCH, TransactionMetadata } from './transaction-metadata';
import { TRANSACTION_STATE_TOPIC_NAME } from './transaction-log';
import { TransactionStateManager, type PendingCompletion, type TransactionLogAccess, type TransactionStateManagerConfig } from './transaction-state-manager';
import { TransactionState, type TopicPartition } from './transaction-state';

export interface InitProducerIdResult {
  errorCode: ErrorCode;
  producerId: number;
  producerEpoch: number;
}

export interface ProducerIdSource {
  generateProducerId(): Promise<number>;
}

const NO_PRODUCER_ID = -1;

function initError(errorCode: ErrorCode): InitProducerIdResult {
  return { errorCode, producerId: NO_PRODUCER_ID, producerEpoch: NO_PRODUCER_EPOCH };
}

/** The transaction.* settings, with Kafka's defaults. */
export function transactionConfigOf(config: KafkaConfig): TransactionStateManagerConfig & { abortTimedOutTransactionsIntervalMs: number } {
  const n = (key: string) => config.values.get(key) as number;
  return {
    brokerId: config.brokerId,
    numPartitions: n('transaction.state.log.num.partitions'),
    transactionMaxTimeoutMs: n('transaction.max.timeout.ms'),
    transactionalIdExpirationMs: n('transactional.id.expiration.ms'),
    removeExpiredTransactionalIdsIntervalMs: n('transaction.remove.expired.transaction.cleanup.interval.ms'),
    loadBufferSize: n('transaction.state.log.load.buffer.size'),
    requestTimeoutMs: (config.values.get('request.timeout.ms') as number | undefined) ?? 30000,
    abortTimedOutTransactionsIntervalMs: n('transaction.abort.timed.out.transaction.cleanup.interval.ms'),
  };
}

export class TransactionCoordinator {
  private readonly logger;
  private abortTimer: NodeJS.Timeout | undefined;
  private active = false;

  constructor(
    readonly stateManager: TransactionStateManager,
    private readonly markers: TransactionMarkerChannelManager,
    private readonly producerIds: ProducerIdSource,
    private readonly abortTimedOutTransactionsIntervalMs: number,
    private readonly replicaManager?: Pick<ReplicaManager, 'addLeadershipListener'>,
    private readonly now: () => number = Date.now,
  ) {
    this.logger = getLogger('kafka.coordinator.transaction.TransactionCoordinator', `[TransactionCoordinator id=${stateManager.config.brokerId}] `);
  }

  static stateManagerFor(config: KafkaConfig, log: TransactionLogAccess): TransactionStateManager {
    return new TransactionStateManager(transactionConfigOf(config), log);
  }

  partitionFor(transactionalId: string): number {
    return this.stateManager.partitionFor(transactionalId);
  }

  startup(enableTransactionalIdExpiration = true): void {
    this.logger.info('Starting up.');
    this.replicaManager?.addLeadershipListener({
      onBecomeLeader: (p) => {
        if (p.topic === TRANSACTION_STATE_TOPIC_NAME) this.onElection(p.partition, p.leaderEpoch);
      },
      onBecomeFollower: (p) => {
        if (p.topic === TRANSACTION_STATE_TOPIC_NAME) this.onResignation(p.partition);
      },
      onStopReplica: (topic, partition) => {
        if (topic === TRANSACTION_STATE_TOPIC_NAME) this.onResignation(partition);
      },
    });
    this.abortTimer = setInterval(() => this.abortTimedOutTransactions(), this.abortTimedOutTransactionsIntervalMs);
    this.abortTimer.unref();
    this.stateManager.startup(enableTransactionalIdExpiration);
    this.markers.start();
    this.active = true;
    this.logger.info('Startup complete.');
  }

  shutdown(): void {
    this.logger.info('Shutting down.');
    this.active = false;
    if (this.abortTimer) clearInterval(this.abortTimer);
    this.stateManager.shutdown();
    this.markers.shutdown();
    this.logger.info('Shutdown complete.');
  }

  /** Kafka's handleTxnImmigration: the coordinator epoch is the partition's leader epoch. */
  onElection(txnTopicPartition: number, coordinatorEpoch: number): void {
    this.markers.removeMarkersForTxnTopicPartition(txnTopicPartition);
    this.stateManager.loadTransactionsForTxnTopicPartition(txnTopicPartition, coordinatorEpoch, (pending) => this.completeLoaded(pending));
  }

  onResignation(txnTopicPartition: number): void {
    this.stateManager.removeTransactionsForTxnTopicPartition(txnTopicPartition);
    this.markers.removeMarkersForTxnTopicPartition(txnTopicPartition);
  }

  private completeLoaded(p: PendingCompletion): void {
    this.logger.info(`Completing transaction of ${p.transactionalId} found in ${TransactionState[p.metadata.state]} at coordinator epoch ${p.coordinatorEpoch}: sending its markers again`);
    this.markers.addTxnMarkersToSend(p.transactionalId, p.coordinatorEpoch, p.commit, p.metadata, p.transit);
  }

  // ----------------------------------------------------------------------- InitProducerId

  async handleInitProducerId(transactionalId: string | null, transactionTimeoutMs: number): Promise<InitProducerIdResult> {
    if (transactionalId === null) {
      return { errorCode: ErrorCode.NONE, producerId: await this.producerIds.generateProducerId(), producerEpoch: 0 };
    }
    if (transactionalId === '') return initError(ErrorCode.INVALID_REQUEST);
    if (!this.stateManager.validateTransactionTimeoutMs(transactionTimeoutMs)) return initError(ErrorCode.INVALID_TRANSACTION_TIMEOUT);

    let found = this.stateManager.getTransactionState(transactionalId);
    if (found.error !== ErrorCode.NONE) return initError(found.error);
    // A producer id is taken before any decision (its allocation may wait for ZooKeeper); an
    // unused one is simply skipped, as ids are plentiful.
    let newProducerId: number | null = null;
    if (!found.metadata || found.metadata.isProducerEpochExhausted) newProducerId = await this.producerIds.generateProducerId();
    if (!found.metadata) {
      found = this.stateManager.putTransactionStateIfNotExists(
        new TransactionMetadata(transactionalId, newProducerId!, NO_PRODUCER_EPOCH, transactionTimeoutMs, TransactionState.Empty, -1, this.now()),
      );
      if (found.error !== ErrorCode.NONE) return initError(found.error);
    }
    const coordinatorEpoch = found.coordinatorEpoch!;
    const metadata = found.metadata!;

    if (metadata.pendingTransitionInProgress) return initError(ErrorCode.CONCURRENT_TRANSACTIONS);
    switch (metadata.state) {
      case TransactionState.PrepareAbort:
      case TransactionState.PrepareCommit:
        return initError(ErrorCode.CONCURRENT_TRANSACTIONS);
      case TransactionState.Ongoing: {
        // Fence the producer of the open transaction and abort it; the client retries on
        // CONCURRENT_TRANSACTIONS and its retry bumps the epoch once more (or rotates the id).
        const fence = metadata.prepareFenceProducerEpoch();
        const error = await this.handleEndTransaction(transactionalId, fence.producerId, fence.producerEpoch, false);
        return initError(error === ErrorCode.NONE ? ErrorCode.CONCURRENT_TRANSACTIONS : error);
      }
      case TransactionState.Empty:
      case TransactionState.CompleteAbort:
      case TransactionState.CompleteCommit: {
        const transit = metadata.isProducerEpochExhausted
          ? metadata.prepareProducerIdRotation(newProducerId ?? (await this.producerIds.generateProducerId()), transactionTimeoutMs, this.now())
          : metadata.prepareIncrementProducerEpoch(transactionTimeoutMs, this.now());
        const error = await this.stateManager.appendTransactionToLog(transactionalId, coordinatorEpoch, transit);
        if (error !== ErrorCode.NONE) {
          this.logger.info(`Returning ${ErrorCode[error]} error code to client for ${transactionalId}'s InitProducerId request`);
          return initError(error);
        }
        this.logger.info(`Initialized transactionalId ${transactionalId} with producerId ${transit.producerId} and producer epoch ${transit.producerEpoch} on partition ${TRANSACTION_STATE_TOPIC_NAME}-${this.partitionFor(transactionalId)}`);
        return { errorCode: ErrorCode.NONE, producerId: transit.producerId, producerEpoch: transit.producerEpoch };
      }
      default:
        this.logger.error(`Found transactionalId ${transactionalId} with state ${TransactionState[metadata.state]}. This is illegal as we should never have transitioned to this state.`);
        return initError(ErrorCode.UNKNOWN_SERVER_ERROR);
    }
  }

  // ------------------------------------------------------------------- AddPartitionsToTxn

  async handleAddPartitionsToTransaction(transactionalId: string, producerId: number, producerEpoch: number, partitions: readonly TopicPartition[]): Promise<ErrorCode> {
    if (transactionalId === '') return ErrorCode.INVALID_REQUEST;
    const found = this.stateManager.getTransactionState(transactionalId);
    if (found.error !== ErrorCode.NONE) return found.error;
    const metadata = found.metadata;
    if (!metadata || metadata.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (metadata.producerEpoch !== producerEpoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
    if (metadata.pendingTransitionInProgress) return ErrorCode.CONCURRENT_TRANSACTIONS;
    if (metadata.state === TransactionState.PrepareCommit || metadata.state === TransactionState.PrepareAbort) return ErrorCode.CONCURRENT_TRANSACTIONS;
    if (metadata.state === TransactionState.Ongoing && metadata.hasPartitions(partitions)) return ErrorCode.NONE;
    const transit = metadata.prepareAddPartitions(partitions, this.now());
    return this.stateManager.appendTransactionToLog(transactionalId, found.coordinatorEpoch, transit);
  }

  // ----------------------------------------------------------------------------- EndTxn

  async handleEndTransaction(transactionalId: string, producerId: number, producerEpoch: number, commit: boolean): Promise<ErrorCode> {
    if (transactionalId === '') return ErrorCode.INVALID_REQUEST;
    const result = commit ? 'COMMIT' : 'ABORT';
    const invalidState = (state: TransactionState) => {
      this.logger.debug(`TransactionalId: ${transactionalId}'s state is ${TransactionState[state]}, but received transaction marker result to send: ${result}`);
      return ErrorCode.INVALID_TXN_STATE;
    };
    const found = this.stateManager.getTransactionState(transactionalId);
    if (found.error !== ErrorCode.NONE) return found.error;
    const metadata = found.metadata;
    const coordinatorEpoch = found.coordinatorEpoch!;
    if (!metadata || metadata.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    // Kafka 2.4 only refuses older epochs here: a newer one is the coordinator's own fencing abort.
    if (producerEpoch < metadata.producerEpoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
    if (metadata.pendingTransitionInProgress && metadata.pendingState !== TransactionState.PrepareEpochFence) return ErrorCode.CONCURRENT_TRANSACTIONS;
    switch (metadata.state) {
      case TransactionState.Ongoing:
        break;
      case TransactionState.CompleteCommit:
        return commit ? ErrorCode.NONE : invalidState(metadata.state);
      case TransactionState.CompleteAbort:
        return !commit ? ErrorCode.NONE : invalidState(metadata.state);
      case TransactionState.PrepareCommit:
        return commit ? ErrorCode.CONCURRENT_TRANSACTIONS : invalidState(metadata.state);
      case TransactionState.PrepareAbort:
        return !commit ? ErrorCode.CONCURRENT_TRANSACTIONS : invalidState(metadata.state);
      case TransactionState.Empty:
        return invalidState(metadata.state);
      default:
        this.logger.error(`Found transactionalId ${transactionalId} with state ${TransactionState[metadata.state]}. This is illegal as we should never have transitioned to this state.`);
        return ErrorCode.UNKNOWN_SERVER_ERROR;
    }
    if (!commit && metadata.pendingState === TransactionState.PrepareEpochFence) {
      // Fencing: the abort is written under the bumped epoch, which the old producer cannot use.
      metadata.pendingState = null;
      metadata.producerEpoch = producerEpoch;
    }
    const prepare = metadata.prepareAbortOrCommit(commit ? TransactionState.PrepareCommit : TransactionState.PrepareAbort, this.now());
    const error = await this.stateManager.appendTransactionToLog(transactionalId, coordinatorEpoch, prepare);
    if (error !== ErrorCode.NONE) {
      this.logger.info(`Aborting sending of transaction markers and returning ${ErrorCode[error]} error to client for ${transactionalId}'s EndTransaction request of ${result}, since appending the prepared state to transaction log with coordinator epoch ${coordinatorEpoch} failed`);
      return error;
    }
    // The Prepare* record is replicated: from here the outcome is decided, whatever happens.
    const now = this.stateManager.getTransactionState(transactionalId);
    if (now.error !== ErrorCode.NONE) return now.error;
    if (!now.metadata) {
      this.logger.error(`The coordinator still owns the transaction partition for ${transactionalId}, but there is no metadata in the cache; this is not expected`);
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    }
    if (now.coordinatorEpoch !== coordinatorEpoch) return ErrorCode.NOT_COORDINATOR;
    const m = now.metadata;
    if (m.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (m.producerEpoch !== producerEpoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
    if (m.pendingTransitionInProgress) return ErrorCode.CONCURRENT_TRANSACTIONS;
    const expected = commit ? TransactionState.PrepareCommit : TransactionState.PrepareAbort;
    if (m.state !== expected) return invalidState(m.state);
    this.markers.addTxnMarkersToSend(transactionalId, coordinatorEpoch, commit, m, m.prepareComplete(this.now()));
    return ErrorCode.NONE;
  }

  // ---------------------------------------------------------------------------- timeouts

  /** Aborts, with an epoch bump, every Ongoing transaction open longer than its timeout. */
  abortTimedOutTransactions(): void {
    if (!this.active) return;
    for (const t of this.stateManager.timedOutTransactions()) {
      const found = this.stateManager.getTransactionState(t.transactionalId);
      const metadata = found.metadata;
      if (!metadata) continue;
      if (metadata.producerId !== t.producerId) {
        this.logger.error(`Found incorrect producerId when expiring transactionalId: ${t.transactionalId}. Expected producerId: ${t.producerId}. Found producerId: ${metadata.producerId}`);
        continue;
      }
      if (metadata.pendingTransitionInProgress) continue;
      const fence = metadata.prepareFenceProducerEpoch();
      this.handleEndTransaction(t.transactionalId, fence.producerId, fence.producerEpoch, false).then(
        (error) => {
          if (error === ErrorCode.NONE) this.logger.info(`Completed rollback ongoing transaction of transactionalId: ${t.transactionalId} due to timeout`);
          else if (error === ErrorCode.INVALID_PRODUCER_ID_MAPPING || error === ErrorCode.INVALID_PRODUCER_EPOCH || error === ErrorCode.CONCURRENT_TRANSACTIONS) {
            this.logger.debug(`Rolling back ongoing transaction of transactionalId: ${t.transactionalId} has aborted due to ${ErrorCode[error]}`);
          } else this.logger.warn(`Rolling back ongoing transaction of transactionalId: ${t.transactionalId} failed due to ${ErrorCode[error]}`);
        },
        (err: Error) => this.logger.error(`Rolling back ongoing transaction of transactionalId: ${t.transactionalId} failed: ${err.message}`),
      );
    }
  }
}
