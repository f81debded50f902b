// The __transaction_state store behind the transaction coordinator (Kafka 2.4's
// TransactionStateManager): which partitions this broker leads, with the coordinator epoch of
// each (the partition's leader epoch), the cache of transactional ids per partition, writing a
// transition as one record with acks=all before it is applied, loading a partition when we become
// its leader (COORDINATOR_LOAD_IN_PROGRESS meanwhile; transactions found in PrepareCommit or
// PrepareAbort are handed back to be completed), unloading it when we stop, the ongoing
// transactions past their timeout, and removing transactional ids idle for
// transactional.id.expiration.ms with tombstones.
import type { OffsetsLogAccess } from '../group/group-metadata-manager';
import { getLogger } from '../logging';
import { ErrorCode } from '../protocol/errors';
import { CompressionType } from '../protocol/records/batch-header';
import { encodeRecordBatch } from '../protocol/records/record-batch';
import { readTransactionLog } from './transaction-log-reader';
import { TRANSACTION_STATE_TOPIC_NAME, transactionPartitionFor, txnRecordKey, txnRecordValue } from './transaction-log';
import { TransactionMetadata, type TxnTransitMetadata } from './transaction-metadata';
import { TransactionState } from './transaction-state';

export interface TransactionStateManagerConfig {
  brokerId: number;
  /** transaction.state.log.num.partitions */
  numPartitions: number;
  /** transaction.max.timeout.ms */
  transactionMaxTimeoutMs: number;
  /** transactional.id.expiration.ms */
  transactionalIdExpirationMs: number;
  /** transaction.remove.expired.transaction.cleanup.interval.ms */
  removeExpiredTransactionalIdsIntervalMs: number;
  /** transaction.state.log.load.buffer.size */
  loadBufferSize: number;
  /** request.timeout.ms: how long a tombstone write may wait for acks. */
  requestTimeoutMs: number;
}

/** What the store needs of the replica manager: the same as the group store's. */
export type TransactionLogAccess = OffsetsLogAccess;

export type TxnStateLookup =
  | { error: ErrorCode; coordinatorEpoch?: undefined; metadata?: undefined }
  | { error: ErrorCode.NONE; coordinatorEpoch: number; metadata: TransactionMetadata | undefined };

/** A transaction that must be completed: markers sent, then the Complete* record written. */
export interface PendingCompletion {
  transactionalId: string;
  coordinatorEpoch: number;
  commit: boolean;
  metadata: TransactionMetadata;
  transit: TxnTransitMetadata;
}

interface CacheEntry {
  coordinatorEpoch: number;
  metadata: Map<string, TransactionMetadata>;
}

/** Kafka's EnforcedRequiredAcks for __transaction_state. */
const REQUIRED_ACKS = -1;

export class TransactionStateManager {
  readonly logger;
  private readonly cache = new Map<number, CacheEntry>();
  /** Partition -> the coordinator epoch being loaded. */
  private readonly loading = new Map<number, number>();
  private expirationTimer: NodeJS.Timeout | undefined;
  private shuttingDown = false;

  constructor(
    readonly config: TransactionStateManagerConfig,
    private readonly log: TransactionLogAccess,
    private readonly now: () => number = Date.now,
  ) {
    this.logger = getLogger('kafka.coordinator.transaction.TransactionStateManager', `[Transaction State Manager ${config.brokerId}]: `);
  }

  partitionFor(transactionalId: string): number {
    return transactionPartitionFor(transactionalId, this.config.numPartitions);
  }

  /** Kafka's validateTransactionTimeoutMs: positive and at most transaction.max.timeout.ms. */
  validateTransactionTimeoutMs(txnTimeoutMs: number): boolean {
    return txnTimeoutMs > 0 && txnTimeoutMs <= this.config.transactionMaxTimeoutMs;
  }

  /** NOT_COORDINATOR unless we lead the id's partition, LOAD_IN_PROGRESS while loading it. */
  getTransactionState(transactionalId: string): TxnStateLookup {
    const p = this.partitionFor(transactionalId);
    if (this.loading.has(p)) return { error: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS };
    const entry = this.cache.get(p);
    if (!entry) return { error: ErrorCode.NOT_COORDINATOR };
    return { error: ErrorCode.NONE, coordinatorEpoch: entry.coordinatorEpoch, metadata: entry.metadata.get(transactionalId) };
  }

  /** The cached metadata of the id, or `created` added to the cache. */
  putTransactionStateIfNotExists(created: TransactionMetadata): TxnStateLookup {
    const found = this.getTransactionState(created.transactionalId);
    if (found.error !== ErrorCode.NONE || found.metadata) return found;
    const entry = this.cache.get(this.partitionFor(created.transactionalId))!;
    entry.metadata.set(created.transactionalId, created);
    return { error: ErrorCode.NONE, coordinatorEpoch: entry.coordinatorEpoch, metadata: created };
  }

  isCoordinatorFor(transactionalId: string, coordinatorEpoch: number): boolean {
    const found = this.getTransactionState(transactionalId);
    return found.error === ErrorCode.NONE && found.coordinatorEpoch === coordinatorEpoch;
  }

  // --------------------------------------------------------------------------------- writes

  /**
   * Writes the transition with acks=all (waiting up to the transaction's timeout, as Kafka) and
   * applies it to the cache if the coordinator epoch is still the one it was written under.
   * Answers in the coordinator's error codes. On failure the pending state is cleared, unless
   * retryOnError says the caller will retry the same transition.
   */
  async appendTransactionToLog(
    transactionalId: string,
    coordinatorEpoch: number,
    transit: TxnTransitMetadata,
    retryOnError: (error: ErrorCode) => boolean = () => false,
  ): Promise<ErrorCode> {
    const before = this.getTransactionState(transactionalId);
    if (before.error !== ErrorCode.NONE) return before.error;
    if (!before.metadata || before.coordinatorEpoch !== coordinatorEpoch) return ErrorCode.NOT_COORDINATOR;
    const p = this.partitionFor(transactionalId);
    let error: ErrorCode;
    if (!this.log.getPartition(TRANSACTION_STATE_TOPIC_NAME, p)) {
      error = ErrorCode.NOT_COORDINATOR;
    } else {
      const timestamp = this.now();
      const batch = encodeRecordBatch({
        timestamp,
        compression: CompressionType.NONE,
        records: [{ key: txnRecordKey(transactionalId), value: txnRecordValue(transit), timestamp }],
      });
      try {
        const [result] = await this.log.appendRecords(REQUIRED_ACKS, transit.txnTimeoutMs, [{ topic: TRANSACTION_STATE_TOPIC_NAME, partition: p, records: batch }]);
        error = coordinatorErrorOf(result.errorCode);
        if (error !== ErrorCode.NONE) this.logger.debug(`Appending ${transactionalId}'s new metadata failed due to ${ErrorCode[result.errorCode]}`);
      } catch (err) {
        this.logger.error(`Appending ${transactionalId}'s new metadata failed: ${(err as Error).message}`);
        error = ErrorCode.UNKNOWN_SERVER_ERROR;
      }
    }
    const after = this.getTransactionState(transactionalId);
    if (error === ErrorCode.NONE) {
      if (after.error !== ErrorCode.NONE) {
        this.logger.info(`Accessing the cached transaction metadata for ${transactionalId} returns ${ErrorCode[after.error]} error; aborting transition to the new metadata and setting the error in the callback`);
        return after.error;
      }
      if (!after.metadata || after.coordinatorEpoch !== coordinatorEpoch) {
        this.logger.info(`The cached coordinator epoch for ${transactionalId} has changed to ${after.coordinatorEpoch} after appending its new metadata while it was ${coordinatorEpoch} before appending; returning NOT_COORDINATOR`);
        return ErrorCode.NOT_COORDINATOR;
      }
      after.metadata.completeTransitionTo(transit);
      return ErrorCode.NONE;
    }
    if (after.error === ErrorCode.NONE && after.metadata && after.coordinatorEpoch === coordinatorEpoch && !retryOnError(error)) {
      this.logger.info(`TransactionalId ${transactionalId} append transaction log for ${TransactionState[transit.state]} transition failed due to ${ErrorCode[error]}, resetting pending state from ${after.metadata.pendingState === null ? 'None' : TransactionState[after.metadata.pendingState]}, aborting state transition and returning ${ErrorCode[error]} in the callback`);
      after.metadata.pendingState = null;
    }
    return error;
  }

  // ------------------------------------------------------------------------- load / unload

  /**
   * We lead partition p at leader epoch coordinatorEpoch: read it (requests for its ids get
   * COORDINATOR_LOAD_IN_PROGRESS meanwhile) and cache its ids. Called again with a newer epoch,
   * the partition is read again: everything the cache held is in the log.
   */
  loadTransactionsForTxnTopicPartition(p: number, coordinatorEpoch: number, complete: (pending: PendingCompletion) => void): void {
    const current = this.cache.get(p);
    if (current?.coordinatorEpoch === coordinatorEpoch || this.loading.get(p) === coordinatorEpoch) return;
    this.cache.delete(p);
    this.loading.set(p, coordinatorEpoch);
    const name = `${TRANSACTION_STATE_TOPIC_NAME}-${p}`;
    this.logger.info(`Loading transaction metadata from ${name} at epoch ${coordinatorEpoch}`);
    setImmediate(() => {
      const stillCurrent = () => !this.shuttingDown && this.loading.get(p) === coordinatorEpoch;
      if (!stillCurrent()) return;
      const started = this.now();
      const loaded = new Map<string, TransactionMetadata>();
      const partition = this.log.getPartition(TRANSACTION_STATE_TOPIC_NAME, p);
      if (!partition || !partition.isLeader()) {
        this.logger.warn(`Attempted to load transaction metadata from ${name}, but found no log or we no longer lead it`);
      } else {
        for (const [id, value] of readTransactionLog(partition.log, name, this.config.loadBufferSize, stillCurrent, this.logger)) {
          loaded.set(id, TransactionMetadata.fromLog(id, value));
        }
      }
      if (!stillCurrent()) return;
      this.cache.set(p, { coordinatorEpoch, metadata: loaded });
      this.loading.delete(p);
      this.logger.info(`Finished loading ${loaded.size} transaction metadata from ${name} in ${this.now() - started} milliseconds`);
      // Kafka: out of the loading set first, so that the Complete* appends are not refused.
      for (const [transactionalId, metadata] of loaded) {
        if (metadata.state !== TransactionState.PrepareCommit && metadata.state !== TransactionState.PrepareAbort) continue;
        const commit = metadata.state === TransactionState.PrepareCommit;
        complete({ transactionalId, coordinatorEpoch, commit, metadata, transit: metadata.prepareComplete(this.now()) });
      }
    });
  }

  /** We no longer lead partition p: forget its ids (their state is in the log, for the next leader). */
  removeTransactionsForTxnTopicPartition(p: number): void {
    const wasLoading = this.loading.delete(p);
    const entry = this.cache.get(p);
    this.cache.delete(p);
    if (entry || wasLoading) {
      this.logger.info(`Removed ${entry?.metadata.size ?? 0} cached transaction metadata for ${TRANSACTION_STATE_TOPIC_NAME}-${p} on follower transition`);
    }
  }

  ownedPartitions(): number[] {
    return [...this.cache.keys()];
  }

  // ------------------------------------------------------------------ timeouts and expiry

  /** Ongoing transactions open longer than their timeout (Kafka's timedOutTransactions). */
  timedOutTransactions(): { transactionalId: string; producerId: number; producerEpoch: number }[] {
    const now = this.now();
    const out: { transactionalId: string; producerId: number; producerEpoch: number }[] = [];
    for (const entry of this.cache.values()) {
      for (const m of entry.metadata.values()) {
        if (m.pendingTransitionInProgress || m.state !== TransactionState.Ongoing) continue;
        if (m.txnStartTimestamp + m.txnTimeoutMs < now) out.push({ transactionalId: m.transactionalId, producerId: m.producerId, producerEpoch: m.producerEpoch });
      }
    }
    return out;
  }

  /**
   * Writes tombstones for ids without a transaction whose last update is older than
   * transactional.id.expiration.ms, and drops them from the cache once written (Kafka's
   * enableTransactionalIdExpiration). Returns how many were removed.
   */
  async removeExpiredTransactionalIds(): Promise<number> {
    const now = this.now();
    let removed = 0;
    for (const [p, entry] of [...this.cache]) {
      const expiring: { metadata: TransactionMetadata; producerEpoch: number }[] = [];
      for (const m of entry.metadata.values()) {
        const idle = m.state === TransactionState.Empty || m.state === TransactionState.CompleteCommit || m.state === TransactionState.CompleteAbort;
        if (!idle || m.pendingTransitionInProgress || m.txnLastUpdateTimestamp > now - this.config.transactionalIdExpirationMs) continue;
        m.prepareDead();
        expiring.push({ metadata: m, producerEpoch: m.producerEpoch });
      }
      if (expiring.length === 0) continue;
      const batch = encodeRecordBatch({
        timestamp: now,
        compression: CompressionType.NONE,
        records: expiring.map((e) => ({ key: txnRecordKey(e.metadata.transactionalId), value: null, timestamp: now })),
      });
      let error: ErrorCode;
      try {
        const [result] = await this.log.appendRecords(REQUIRED_ACKS, this.config.requestTimeoutMs, [{ topic: TRANSACTION_STATE_TOPIC_NAME, partition: p, records: batch }]);
        error = result.errorCode;
      } catch (err) {
        error = ErrorCode.UNKNOWN_SERVER_ERROR;
        this.logger.error(`Writing the tombstones of expired transactional ids to ${TRANSACTION_STATE_TOPIC_NAME}-${p} failed: ${(err as Error).message}`);
      }
      const current = this.cache.get(p);
      for (const { metadata, producerEpoch } of expiring) {
        const sameEntry = current !== undefined && current.coordinatorEpoch === entry.coordinatorEpoch && current.metadata.get(metadata.transactionalId) === metadata;
        if (sameEntry && error === ErrorCode.NONE && metadata.pendingState === TransactionState.Dead && metadata.producerEpoch === producerEpoch) {
          current.metadata.delete(metadata.transactionalId);
          removed++;
        } else {
          this.logger.warn(`Failed to remove expired transactionalId: ${metadata.transactionalId} from cache. Tombstone append error code: ${ErrorCode[error]}`);
          metadata.pendingState = null;
        }
      }
    }
    if (removed > 0) this.logger.info(`Removed ${removed} expired transactional ids`);
    return removed;
  }

  startup(enableTransactionalIdExpiration = true): void {
    if (!enableTransactionalIdExpiration) return;
    this.expirationTimer = setInterval(() => {
      this.removeExpiredTransactionalIds().catch((err: unknown) => this.logger.error(`Error expiring transactional ids: ${(err as Error)?.message ?? err}`));
    }, this.config.removeExpiredTransactionalIdsIntervalMs);
    this.expirationTimer.unref();
  }

  shutdown(): void {
    this.shuttingDown = true;
    if (this.expirationTimer) clearInterval(this.expirationTimer);
    this.loading.clear();
    this.cache.clear();
    this.logger.info('Shutdown complete');
  }
}

/** Kafka's mapping of a __transaction_state append error to what the client is told. */
function coordinatorErrorOf(code: ErrorCode): ErrorCode {
  switch (code) {
    case ErrorCode.NONE:
      return ErrorCode.NONE;
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
    case ErrorCode.NOT_ENOUGH_REPLICAS:
    case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case ErrorCode.REQUEST_TIMED_OUT:
      // A timed-out write may still succeed: the client retries and the coordinator re-checks.
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
    case ErrorCode.KAFKA_STORAGE_ERROR:
      return ErrorCode.NOT_COORDINATOR;
    case ErrorCode.MESSAGE_TOO_LARGE:
    case ErrorCode.RECORD_LIST_TOO_LARGE:
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    default:
      return code;
  }
}
