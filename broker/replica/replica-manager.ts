// The replicas this broker hosts: becomes leader or follower on the controller's LeaderAndIsr,
// stops (and deletes) replicas on StopReplica, appends produced batches as leader, serves
// fetches (consumers up to the HW, followers up to the LEO), and parks acks=all produces and
// min_bytes fetches in purgatories until they can complete.
import { EventLoopSlices } from '../event-loop-slices';
import type { LogConfig } from '../log/log-config';
import type { LogManager } from '../log/log-manager';
import { StorageIncidents } from '../log/storage-incidents';
import { getLogger } from '../logging';
import { BrokerTopicStats } from '../metrics/broker-topic-stats';
import { ErrorCode } from '../protocol/errors';
import { KafkaError, errorCodeOf } from '../protocol/kafka-error';
import { BATCH_HEADER_SIZE, MAGIC, baseOffsetOf, entrySize, lastOffsetOf } from '../protocol/records/batch-header';
import { upConvertToV2 } from '../protocol/records/conversion';
import { AppendOrigin } from '../log/producer/producer-append-info';
import { IsrChangeNotifier } from './isr-change-notifier';
import { LeaderAndIsrState, Partition } from './partition';
import { DelayedDeleteRecords, type DeleteRecordsPartitionResult, type PendingDeletion } from './delayed-delete-records';
import { Purgatory } from './purgatory';
import type { ReplicaFetcherConfig, SourceBroker } from './replica-fetcher';
import { ReplicaFetcherManager } from './replica-fetcher-manager';

/**
 * Subsystems that follow partition leadership on this broker (the group coordinator loads a
 * __consumer_offsets partition when it becomes leader and unloads it when it stops leading).
 */

/** The idempotent-producer checks' errors (KIP-98): the batch was refused, nothing written. */
const PRODUCER_STATE_ERRORS: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
  ErrorCode.INVALID_PRODUCER_EPOCH,
  ErrorCode.UNKNOWN_PRODUCER_ID,
  ErrorCode.INVALID_TXN_STATE,
  ErrorCode.TRANSACTION_COORDINATOR_FENCED,
]);

/**
 * Told when a transaction marker was appended (and replicated to the ISR) on a partition this
 * broker leads; the group coordinator registers to materialize a transaction's pending offsets
 * (Kafka's KafkaApis calls groupCoordinator.scheduleHandleTxnCompletion).
 */
export type TransactionMarkersListener = (topicPartition: { topic: string; partition: number }, producerId: number, commit: boolean) => void;
export interface LeadershipListener {
  onBecomeLeader(partition: Partition): void;
  onBecomeFollower(partition: Partition): void;
  onStopReplica(topic: string, partition: number, deleted: boolean): void;
}

const EMPTY_RECORDS = Buffer.alloc(0);

/**
 * The aborted transactions a read_committed consumer needs to drop records from what it was sent:
 * those overlapping [fetchOffset, just past the last batch returned) (Kafka's addAbortedTransactions).
 */
function abortedTransactionsIn(partition: Partition, fetchOffset: number, records: Buffer): { producerId: number; firstOffset: number }[] {
  let lastOffset = fetchOffset;
  for (let pos = 0; pos + BATCH_HEADER_SIZE <= records.length; pos += entrySize(records, pos)) {
    lastOffset = records.readInt8(pos + MAGIC) >= 2 ? lastOffsetOf(records, pos) : baseOffsetOf(records, pos);
  }
  return partition.log.collectAbortedTransactions(fetchOffset, lastOffset + 1).map((t) => ({ producerId: t.producerId, firstOffset: t.firstOffset }));
}

/** Kafka's Topic.isInternal in 2.4: DeleteRecords refuses them. */
const INTERNAL_TOPICS = new Set(['__consumer_offsets', '__transaction_state']);

export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;

export interface ReplicaManagerOptions {
  brokerId: number;
  logManager: LogManager;
  /** The log config of a topic (broker defaults + /config/topics overrides). */
  topicConfig(topic: string): Promise<LogConfig>;
  highWatermarkCheckpointIntervalMs: number;
  /** replica.lag.time.max.ms: a follower not caught up for this long leaves the ISR. */
  replicaLagTimeMaxMs: number;
  fetcher: ReplicaFetcherConfig;
  /** Whether a broker is registered (DeleteRecords waits only for followers on live brokers). */
  isBrokerAlive?(brokerId: number): boolean;
  /** The leader's conditional ISR write and the notification to the controller (ZooKeeper). */
  isrStore: {
    updatePartitionStateConditionally(
      topic: string,
      partition: number,
      state: { leader: number; leaderEpoch: number; isr: readonly number[]; controllerEpoch: number },
      expectedZkVersion: number,
    ): Promise<number | Error>;
    createIsrChangeNotification(partitions: readonly { topic: string; partition: number }[]): Promise<unknown>;
  };
  /** Shared with the metrics endpoint; a fresh one when not given. */
  topicStats?: BrokerTopicStats;
}

export interface PartitionStateRequest extends LeaderAndIsrState {
  topic: string;
  partition: number;
}

export interface ProducePartitionResult {
  topic: string;
  partition: number;
  errorCode: ErrorCode;
  baseOffset: number;
  logAppendTime: number;
  logStartOffset: number;
}

export interface FetchPartitionRequest {
  topic: string;
  partition: number;
  fetchOffset: number;
  maxBytes: number;
  /** -1 when the client does not know (Fetch < v9). */
  currentLeaderEpoch: number;
  /** A follower's own log start offset (Fetch v5+); -1 or absent otherwise. */
  logStartOffset?: number;
}

export interface FetchPartitionResult {
  topic: string;
  partition: number;
  errorCode: ErrorCode;
  highWatermark: number;
  /** -1 on error. */
  lastStableOffset: number;
  logStartOffset: number;
  /** read_committed only (null otherwise, as Kafka): aborted transactions overlapping the records returned. */
  abortedTransactions: { producerId: number; firstOffset: number }[] | null;
  records: Buffer | null;
}

/** Fetch and ListOffsets isolation_level (KIP-98). */
export const READ_UNCOMMITTED = 0;
export const READ_COMMITTED = 1;

export interface FetchParams {
  replicaId: number;
  /** READ_COMMITTED: consumers read up to the LSO and learn the aborted transactions. Ignored for followers. */
  isolationLevel?: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  partitions: FetchPartitionRequest[];
}

export class ReplicaManager {
  private readonly partitions = new Map<string, Partition>();
  private readonly logger;
  private readonly stateChangeLogger;
  private readonly producePurgatory = new Purgatory();
  private readonly fetchPurgatory = new Purgatory();
  private readonly deleteRecordsPurgatory = new Purgatory();
  private controllerEpoch = 0;
  /** LeaderAndIsr and StopReplica run one at a time (Kafka's replicaStateChangeLock): they yield between slices. */
  private stateChangeQueue: Promise<unknown> = Promise.resolve();
  private hwCheckpointTimer: NodeJS.Timeout | undefined;
  private isrShrinkTimer: NodeJS.Timeout | undefined;
  private readonly fetchers: ReplicaFetcherManager;
  private readonly isrNotifier: IsrChangeNotifier;
  private readonly wakeKeys = new Set<string>();
  private readonly leadershipListeners: LeadershipListener[] = [];
  private readonly txnMarkerListeners: TransactionMarkersListener[] = [];
  private checkpointedHighWatermarks = new Map<string, number>();
  /** Storage failures, logged once per partition (or checkpoint) per incident. */
  private readonly storageIncidents: StorageIncidents;
  /** Kafka's BrokerTopicStats (produce counted here, fetch bytes by the fetch handler). */
  readonly topicStats: BrokerTopicStats;
  /** Kafka's IsrShrinksPerSec, IsrExpandsPerSec and FailedIsrUpdatesPerSec counts. */
  readonly isrStats = { shrinks: 0, expands: 0, failedUpdates: 0 };

  constructor(private readonly options: ReplicaManagerOptions) {
    this.logger = getLogger('kafka.server.ReplicaManager', `[ReplicaManager broker=${options.brokerId}] `);
    this.storageIncidents = new StorageIncidents(this.logger);
    this.stateChangeLogger = getLogger('state.change.logger', `[Broker id=${options.brokerId}] `, 'state-change');
    this.fetchers = new ReplicaFetcherManager(options.fetcher, () => undefined);
    this.isrNotifier = new IsrChangeNotifier(options.isrStore);
    this.topicStats = options.topicStats ?? new BrokerTopicStats();
  }

  startup(): void {
    this.checkpointedHighWatermarks = this.options.logManager.readHighWatermarks();
    this.hwCheckpointTimer = setInterval(() => this.checkpointHighWatermarks(), this.options.highWatermarkCheckpointIntervalMs);
    this.hwCheckpointTimer.unref();
    // Kafka checks for lagging followers every replica.lag.time.max.ms / 2.
    this.isrShrinkTimer = setInterval(() => this.maybeShrinkIsrs(), Math.max(100, this.options.replicaLagTimeMaxMs / 2));
    this.isrShrinkTimer.unref();
  }

  async shutdown(): Promise<void> {
    if (this.hwCheckpointTimer) clearInterval(this.hwCheckpointTimer);
    if (this.isrShrinkTimer) clearInterval(this.isrShrinkTimer);
    await this.fetchers.shutdown();
    await this.isrNotifier.flush();
    this.producePurgatory.shutdown();
    this.fetchPurgatory.shutdown();
    this.deleteRecordsPurgatory.shutdown();
    this.checkpointHighWatermarks();
  }

  addLeadershipListener(listener: LeadershipListener): void {
    this.leadershipListeners.push(listener);
  }

  /** Registers for markers written to __consumer_offsets partitions (see TransactionMarkersListener). */
  onTransactionMarkersWritten(listener: TransactionMarkersListener): void {
    this.txnMarkerListeners.push(listener);
  }

  /** Called by WriteTxnMarkers once a marker is appended and acknowledged on a __consumer_offsets partition. */
  transactionMarkersWritten(topicPartition: { topic: string; partition: number }, producerId: number, commit: boolean): void {
    for (const listener of this.txnMarkerListeners) listener(topicPartition, producerId, commit);
  }

  private notifyListeners(fn: (l: LeadershipListener) => void): void {
    for (const l of this.leadershipListeners) {
      try {
        fn(l);
      } catch (err) {
        this.logger.error(`Leadership listener failed: ${(err as Error).stack}`);
      }
    }
  }

  /** Watched entries of the produce and fetch purgatories (Kafka's PurgatorySize). */
  purgatorySizes(): { produce: number; fetch: number } {
    return { produce: this.producePurgatory.size, fetch: this.fetchPurgatory.size };
  }

  getPartition(topic: string, partition: number): Partition | undefined {
    return this.partitions.get(`${topic}-${partition}`);
  }

  allPartitions(): Partition[] {
    return [...this.partitions.values()];
  }

  /**
   * A log dir went offline (Kafka's ReplicaManager.handleLogDirFailure): stop fetching for the
   * replicas in it; produce, fetch and LeaderAndIsr for them answer KAFKA_STORAGE_ERROR from now on.
   */
  handleLogDirFailure(dir: string): void {
    const offline = [...this.partitions.values()].filter((p) => p.log.isOffline);
    for (const p of offline) {
      this.fetchers.removePartition(p.key);
      this.producePurgatory.checkAndComplete(p.key);
      this.fetchPurgatory.checkAndComplete(p.key);
    }
    this.logger.info(`Partitions ${offline.map((p) => p.key).join(',')} are offline due to failure on log directory ${dir}`);
  }

  /** Kafka answers KAFKA_STORAGE_ERROR for a replica in an offline log dir (even once stopped), else UNKNOWN_TOPIC_OR_PARTITION. */
  private notHostedError(topic: string, partition: number): KafkaError {
    if (this.options.logManager.getLog(topic, partition)?.isOffline) return new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, `${topic}-${partition} is in an offline log dir`);
    return new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  }

  /** Reject requests from a controller older than the newest one seen (STALE_CONTROLLER_EPOCH). */
  checkControllerEpoch(controllerEpoch: number): void {
    if (controllerEpoch < this.controllerEpoch) {
      throw new KafkaError(
        ErrorCode.STALE_CONTROLLER_EPOCH,
        `controller epoch ${controllerEpoch} is older than the current controller epoch ${this.controllerEpoch}`,
      );
    }
    this.controllerEpoch = controllerEpoch;
  }

  /** Runs `work` after every state change queued before it (a resent LeaderAndIsr waits for the first). */
  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.stateChangeQueue.then(work, work);
    this.stateChangeQueue = run.catch(() => undefined);
    return run;
  }

  /**
   * LeaderAndIsr: per-partition error codes. Thousands of new partitions are worked through in
   * slices (event-loop-slices.ts) so the broker keeps serving meanwhile.
   */
  becomeLeaderOrFollower(
    controllerId: number,
    controllerEpoch: number,
    states: PartitionStateRequest[],
    liveLeaders: SourceBroker[],
  ): Promise<Map<string, ErrorCode>> {
    return this.serially(() => this.doBecomeLeaderOrFollower(controllerId, controllerEpoch, states, liveLeaders));
  }

  private async doBecomeLeaderOrFollower(
    controllerId: number,
    controllerEpoch: number,
    states: PartitionStateRequest[],
    liveLeaders: SourceBroker[],
  ): Promise<Map<string, ErrorCode>> {
    this.checkControllerEpoch(controllerEpoch);
    const errors = new Map<string, ErrorCode>();
    const slices = new EventLoopSlices();
    // One config read per topic, not per partition (a new topic of 10,000 partitions: one ZooKeeper read).
    const configs = new Map<string, Promise<LogConfig>>();
    for (const state of states) {
      await slices.next();
      const key = `${state.topic}-${state.partition}`;
      try {
        if (!state.replicas.includes(this.options.brokerId)) {
          errors.set(key, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
          continue;
        }
        let partition = this.partitions.get(key);
        // Kafka answers KAFKA_STORAGE_ERROR for a replica in an offline log dir: the controller
        // then marks it offline and elects another leader (LogDirEventNotification).
        if ((partition?.log ?? this.options.logManager.getLog(state.topic, state.partition))?.isOffline) {
          errors.set(key, ErrorCode.KAFKA_STORAGE_ERROR);
          continue;
        }
        // Kafka ignores a LeaderAndIsr whose leader epoch is not newer than the one it has.
        if (partition && state.leaderEpoch <= partition.leaderEpoch && partition.leaderId >= 0) {
          this.stateChangeLogger.warn(
            `Ignoring LeaderAndIsr request from controller ${controllerId} with correlation epoch ${controllerEpoch} for partition ${key} since its associated leader epoch ${state.leaderEpoch} is not higher than the current leader epoch ${partition.leaderEpoch}`,
          );
          errors.set(key, ErrorCode.STALE_CONTROLLER_EPOCH);
          continue;
        }
        if (!partition) {
          let config = configs.get(state.topic);
          if (!config) configs.set(state.topic, (config = this.options.topicConfig(state.topic)));
          const log = this.options.logManager.getOrCreateLog(state.topic, state.partition, await config, state.isNew);
          log.updateConfig(await config); // a log loaded at start-up got the broker defaults
          partition = new Partition(state.topic, state.partition, this.options.brokerId, log, this.checkpointedHighWatermarks.get(key) ?? 0);
          this.partitions.set(key, partition);
        }
        const previousEpoch = partition.leaderEpoch;
        const leader = partition.applyState(state);
        if (leader) {
          this.fetchers.removePartition(key);
          const led = partition;
          this.notifyListeners((l) => l.onBecomeLeader(led));
        } else {
          const followed = partition;
          this.notifyListeners((l) => l.onBecomeFollower(followed));
          const source = liveLeaders.find((l) => l.id === state.leader);
          if (source) this.fetchers.addPartition(partition, source);
          else this.fetchers.removePartition(key); // no live leader: nothing to follow until one is elected
        }
        this.stateChangeLogger.info(
          `${leader ? 'Leader' : 'Follower'} ${key} starts at leader epoch ${state.leaderEpoch} from offset ${partition.log.logEndOffset} with high watermark ${partition.highWatermark}${leader ? '' : ` following broker ${state.leader}`}. Previous leader epoch was ${previousEpoch}.`,
        );
        this.producePurgatory.checkAndComplete(key);
        errors.set(key, ErrorCode.NONE);
        this.fetchPurgatory.checkAndComplete(key);
      } catch (err) {
        this.stateChangeLogger.error(`Error while processing LeaderAndIsr for ${key}: ${(err as Error).message}`);
        errors.set(key, errorCodeOf(err));
      }
    }
    return errors;
  }

  /**
   * DeleteRecords (Kafka's ReplicaManager.deleteRecords): moves each partition's log start offset
   * as leader, then waits in purgatory until every live follower has moved too (they learn it
   * from fetch responses), or timeoutMs. The new start offsets are checkpointed at once.
   */
  deleteRecords(timeoutMs: number, entries: readonly { topic: string; partition: number; offset: number }[]): Promise<DeleteRecordsPartitionResult[]> {
    const pending: PendingDeletion[] = [];
    const results = entries.map(({ topic, partition: index, offset }) => {
      const result: DeleteRecordsPartitionResult = { topic, partition: index, lowWatermark: -1, errorCode: ErrorCode.NONE };
      try {
        if (INTERNAL_TOPICS.has(topic)) throw new KafkaError(ErrorCode.INVALID_TOPIC_EXCEPTION, `Cannot delete records of internal topic ${topic}`);
        const partition = this.partitions.get(`${topic}-${index}`);
        // The caller answered partitions unknown to the cluster; one that exists but has no replica
        // here is NOT_LEADER_OR_FOLLOWER (Kafka's getPartitionOrException), so clients look again.
        if (!partition) throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `broker ${this.options.brokerId} is not the leader of ${topic}-${index}`);
        const requestedOffset = partition.deleteRecordsOnLeader(offset);
        result.lowWatermark = partition.lowWatermarkIfLeader(this.isBrokerAlive);
        pending.push({ result, requestedOffset, partition });
      } catch (err) {
        result.errorCode = errorCodeOf(err);
        if (result.errorCode === ErrorCode.UNKNOWN_SERVER_ERROR) this.logger.error(`Error processing delete records operation on partition ${topic}-${index}: ${(err as Error).stack}`);
      }
      return result;
    });
    if (pending.length > 0) this.options.logManager.checkpointLogStartOffsets();
    return new Promise((resolve) => {
      const op = new DelayedDeleteRecords(pending, this.isBrokerAlive, () => resolve(results));
      this.deleteRecordsPurgatory.tryCompleteElseWatch(op, pending.map((p) => p.partition.key), timeoutMs);
    });
  }

  private readonly isBrokerAlive = (brokerId: number): boolean => this.options.isBrokerAlive?.(brokerId) ?? true;

  /** StopReplica: stop serving, and delete the log when deletePartitions is set. */
  stopReplicas(controllerEpoch: number, partitions: { topic: string; partition: number }[], deletePartitions: boolean): Promise<Map<string, ErrorCode>> {
    return this.serially(() => this.doStopReplicas(controllerEpoch, partitions, deletePartitions));
  }

  private async doStopReplicas(controllerEpoch: number, partitions: { topic: string; partition: number }[], deletePartitions: boolean): Promise<Map<string, ErrorCode>> {
    this.checkControllerEpoch(controllerEpoch);
    const errors = new Map<string, ErrorCode>();
    const slices = new EventLoopSlices();
    for (const { topic, partition } of partitions) {
      await slices.next();
      const key = `${topic}-${partition}`;
      try {
        this.fetchers.removePartition(key);
        this.partitions.delete(key);
        this.checkpointedHighWatermarks.delete(key);
        if (deletePartitions) {
          await this.options.logManager.deleteLog(topic, partition);
          if (!this.allPartitions().some((p) => p.topic === topic)) this.topicStats.removeTopic(topic);
        }
        this.notifyListeners((l) => l.onStopReplica(topic, partition, deletePartitions));
        this.fetchPurgatory.checkAndComplete(key);
        this.producePurgatory.checkAndComplete(key);
        errors.set(key, ErrorCode.NONE);
      } catch (err) {
        this.logger.error(`Error while stopping replica ${key}: ${(err as Error).message}`);
        errors.set(key, errorCodeOf(err));
      }
    }
    return errors;
  }

  /**
   * Append to each partition as leader. acks=0/1 complete after the local append; acks=-1 waits
   * until the HW passes every appended batch, or timeoutMs (REQUEST_TIMED_OUT). origin
   * Coordinator is the broker's own append (transaction markers), which may write control batches.
   */
  appendRecords(
    requiredAcks: number,
    timeoutMs: number,
    entries: { topic: string; partition: number; records: Buffer | null }[],
    origin: AppendOrigin = AppendOrigin.Client,
  ): Promise<ProducePartitionResult[]> {
    const results: ProducePartitionResult[] = [];
    const waitingFor: { result: ProducePartitionResult; requiredOffset: number }[] = [];
    for (const entry of entries) {
      const result: ProducePartitionResult = {
        topic: entry.topic,
        partition: entry.partition,
        errorCode: ErrorCode.NONE,
        baseOffset: -1,
        logAppendTime: -1,
        logStartOffset: -1,
      };
      results.push(result);
      const partition = this.partitions.get(`${entry.topic}-${entry.partition}`);
      this.topicStats.recordProduceRequest(partition ? entry.topic : null);
      try {
        if (!partition) throw this.notHostedError(entry.topic, entry.partition);
        if (!entry.records || entry.records.length === 0) throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, 'empty record set');
        const records = entry.records.length > MAGIC && entry.records[MAGIC] < 2 ? upConvertToV2(entry.records) : entry.records;
        const minIsr = partition.log.config.minInsyncReplicas;
        const appended = partition.appendAsLeader(records, requiredAcks, minIsr, origin);
        this.storageIncidents.succeeded(partition.key);
        this.topicStats.recordAppend(entry.topic, entry.records.length, appended.recordCount);
        result.baseOffset = appended.firstOffset;
        result.logAppendTime = appended.logAppendTime;
        result.logStartOffset = appended.logStartOffset;
        if (requiredAcks === -1) waitingFor.push({ result, requiredOffset: appended.lastOffset + 1 });
        this.fetchPurgatory.checkAndComplete(partition.key);
      } catch (err) {
        result.errorCode = errorCodeOf(err);
        if (result.errorCode === ErrorCode.KAFKA_STORAGE_ERROR) {
          this.storageIncidents.failed(`${entry.topic}-${entry.partition}`, `Error processing append operation on partition ${entry.topic}-${entry.partition}: ${(err as Error).message}`);
        } else if (PRODUCER_STATE_ERRORS.has(result.errorCode)) {
          // Kafka's processFailedRecord: one error line, and the log start offset in the answer
          // (a producer told UNKNOWN_PRODUCER_ID compares it with its last acked offset).
          result.logStartOffset = this.partitions.get(`${entry.topic}-${entry.partition}`)?.log.logStartOffset ?? -1;
          this.logger.error(`Error processing append operation on partition ${entry.topic}-${entry.partition}: ${(err as Error).message}`);
        } else if (result.errorCode === ErrorCode.UNKNOWN_SERVER_ERROR || result.errorCode === ErrorCode.INVALID_RECORD) {
          // Kafka's processFailedRecord: records the validator refused, and unexpected failures.
          if (result.errorCode === ErrorCode.UNKNOWN_SERVER_ERROR) this.topicStats.recordFailedProduce(partition ? entry.topic : null);
          const reason = err instanceof KafkaError ? `${err.name}: ${err.message}` : (err as Error).stack;
          this.logger.error(`Error processing append operation on partition ${entry.topic}-${entry.partition}: ${reason}`);
        }
      }
    }
    if (waitingFor.length === 0) return Promise.resolve(results);
    return new Promise((resolve) => {
      const keys = waitingFor.map((w) => `${w.result.topic}-${w.result.partition}`);
      this.producePurgatory.tryCompleteElseWatch(
        {
          tryComplete: () => {
            for (const w of waitingFor) {
              if (w.result.errorCode !== ErrorCode.NONE) continue;
              const partition = this.partitions.get(`${w.result.topic}-${w.result.partition}`);
              if (!partition || !partition.isLeader()) {
                w.result.errorCode = ErrorCode.NOT_LEADER_OR_FOLLOWER;
                continue;
              }
              if (partition.log.isOffline) {
                w.result.errorCode = ErrorCode.KAFKA_STORAGE_ERROR; // never acknowledged from an offline dir
                continue;
              }
              if (partition.highWatermark < w.requiredOffset) return false;
              // Kafka's DelayedProduce: the HW passed the batch, but if the ISR shrank below
              // min.insync.replicas meanwhile, the write is not as durable as acks=all promised.
              if (partition.isr.length < partition.log.config.minInsyncReplicas) {
                w.result.errorCode = ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND;
              }
            }
            resolve(results);
            return true;
          },
          onExpire: () => {
            for (const w of waitingFor) {
              const partition = this.partitions.get(`${w.result.topic}-${w.result.partition}`);
              if (w.result.errorCode === ErrorCode.NONE && (!partition || partition.highWatermark < w.requiredOffset)) {
                w.result.errorCode = ErrorCode.REQUEST_TIMED_OUT;
              }
            }
            resolve(results);
          },
        },
        keys,
        timeoutMs,
      );
    });
  }

  /** Fetch, waiting up to maxWaitMs for minBytes (Kafka's DelayedFetch). */
  fetchMessages(params: FetchParams): Promise<FetchPartitionResult[]> {
    const isFollower = params.replicaId >= 0;
    const first = this.readFromLocalLogs(params, isFollower);
    const bytes = (results: FetchPartitionResult[]) => results.reduce((n, r) => n + (r.records ? r.records.length : 0), 0);
    const hasError = (results: FetchPartitionResult[]) => results.some((r) => r.errorCode !== ErrorCode.NONE);
    if (params.maxWaitMs <= 0 || params.partitions.length === 0 || bytes(first) >= params.minBytes || hasError(first)) {
      return Promise.resolve(first);
    }
    return new Promise((resolve) => {
      this.fetchPurgatory.tryCompleteElseWatch(
        {
          tryComplete: () => {
            const results = this.readFromLocalLogs(params, isFollower);
            if (bytes(results) >= params.minBytes || hasError(results)) {
              resolve(results);
              return true;
            }
            return false;
          },
          onExpire: () => resolve(this.readFromLocalLogs(params, isFollower)),
        },
        params.partitions.map((p) => `${p.topic}-${p.partition}`),
        params.maxWaitMs,
      );
    });
  }

  private readFromLocalLogs(params: FetchParams, isFollower: boolean): FetchPartitionResult[] {
    let remaining = params.maxBytes;
    const readCommitted = !isFollower && params.isolationLevel === READ_COMMITTED;
    const results: FetchPartitionResult[] = [];
    for (const p of params.partitions) {
      const result: FetchPartitionResult = {
        topic: p.topic,
        partition: p.partition,
        errorCode: ErrorCode.NONE,
        highWatermark: -1,
        lastStableOffset: -1,
        logStartOffset: -1,
        abortedTransactions: null,
        // Kafka answers an errored partition with an empty record set, never null: librdkafka
        // treats a -1 MessageSetSize as a protocol error.
        records: EMPTY_RECORDS,
      };
      results.push(result);
      try {
        const partition = this.partitions.get(`${p.topic}-${p.partition}`);
        if (!partition) throw this.notHostedError(p.topic, p.partition);
        if (!partition.isLeader()) throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER);
        partition.checkLeaderEpoch(p.currentLeaderEpoch);
        if (isFollower) {
          if (p.logStartOffset !== undefined) partition.updateFollowerLogStartOffset(params.replicaId, p.logStartOffset);
          if (partition.updateFollowerFetchState(params.replicaId, p.fetchOffset)) this.wakeLater(partition.key);
          else if (this.deleteRecordsPurgatory.size > 0) this.wakeLater(partition.key);
          const expanded = partition.isrWithCaughtUpFollower(params.replicaId);
          if (expanded) void this.updateIsr(partition, expanded, 'Expanding');
        }
        const limit = partition.readLimit(isFollower, readCommitted);
        result.highWatermark = partition.highWatermark;
        result.lastStableOffset = partition.log.lastStableOffset;
        result.logStartOffset = partition.log.logStartOffset;
        if (readCommitted) result.abortedTransactions = [];
        // KIP-74: the first partition with data returns at least one whole batch even above max_bytes.
        const minOneMessage = remaining === params.maxBytes;
        const maxBytes = Math.min(p.maxBytes, Math.max(remaining, 0));
        // Between the HW and the LEO a consumer simply sees nothing yet (not an error).
        if (p.fetchOffset >= limit && p.fetchOffset <= partition.log.logEndOffset) {
          result.records = Buffer.alloc(0);
          continue;
        }
        const read = partition.log.read(p.fetchOffset, maxBytes, limit, minOneMessage);
        result.records = read.records;
        remaining -= read.records.length;
        if (readCommitted && read.records.length > 0) result.abortedTransactions = abortedTransactionsIn(partition, p.fetchOffset, read.records);
      } catch (err) {
        result.errorCode = errorCodeOf(err);
        if (result.errorCode === ErrorCode.KAFKA_STORAGE_ERROR) {
          this.storageIncidents.failed(`fetch from ${p.topic}-${p.partition}`, `Error processing fetch on partition ${p.topic}-${p.partition}: ${(err as Error).message}`);
        } else if (result.errorCode === ErrorCode.UNKNOWN_SERVER_ERROR) {
          this.logger.error(`Error processing fetch on partition ${p.topic}-${p.partition}: ${(err as Error).stack}`);
        }
      }
    }
    return results;
  }

  /**
   * Completes delayed operations of a partition on the next tick: a HW move found while serving
   * one fetch must not re-enter the purgatory that fetch itself may be completing from.
   */
  private wakeLater(key: string): void {
    if (this.wakeKeys.size === 0) {
      setImmediate(() => {
        const keys = [...this.wakeKeys];
        this.wakeKeys.clear();
        for (const k of keys) {
          this.producePurgatory.checkAndComplete(k);
          this.fetchPurgatory.checkAndComplete(k);
          this.deleteRecordsPurgatory.checkAndComplete(k);
        }
      });
    }
    this.wakeKeys.add(key);
  }

  /** Drops followers that have not caught up for replica.lag.time.max.ms from each ISR we lead. */
  private maybeShrinkIsrs(): void {
    for (const partition of this.partitions.values()) {
      const shrunk = partition.isrWithoutLaggingFollowers(this.options.replicaLagTimeMaxMs);
      if (shrunk) void this.updateIsr(partition, shrunk, 'Shrinking');
    }
  }

  /**
   * The leader writes the new ISR to the partition state znode, conditional on the zkVersion it
   * knows (a controller change in between makes it fail, and the controller's LeaderAndIsr
   * wins), then notifies the controller through /isr_change_notification.
   */
  private async updateIsr(partition: Partition, newIsr: number[], verb: 'Expanding' | 'Shrinking'): Promise<void> {
    partition.isrUpdateInFlight = true;
    const leaderEpoch = partition.leaderEpoch;
    this.logger.info(`[Partition ${partition.key} broker=${this.options.brokerId}] ${verb} ISR from ${partition.isr.join(',')} to ${newIsr.join(',')}`);
    try {
      const result = await this.options.isrStore.updatePartitionStateConditionally(
        partition.topic,
        partition.partition,
        { leader: this.options.brokerId, leaderEpoch, isr: newIsr, controllerEpoch: partition.controllerEpoch },
        partition.zkVersion,
      );
      if (result instanceof Error) {
        this.isrStats.failedUpdates++;
        this.logger.info(`[Partition ${partition.key} broker=${this.options.brokerId}] Cached zkVersion ${partition.zkVersion} not equal to that in zookeeper, skip updating ISR (${result.message})`);
        return;
      }
      if (partition.leaderEpoch !== leaderEpoch || !partition.isLeader()) return; // superseded meanwhile
      if (verb === 'Shrinking') this.isrStats.shrinks++;
      else this.isrStats.expands++;
      if (partition.isrChanged(newIsr, result)) this.wakeLater(partition.key);
      this.isrNotifier.record(partition.topic, partition.partition);
      this.wakeLater(partition.key);
    } catch (err) {
      this.logger.warn(`Failed to update ISR of ${partition.key}: ${(err as Error).message}`);
    } finally {
      partition.isrUpdateInFlight = false;
    }
  }

  /** OffsetForLeaderEpoch (KIP-101): where `leaderEpoch` ends in the leader's log. */
  endOffsetForLeaderEpoch(topic: string, partitionIndex: number, currentLeaderEpoch: number, leaderEpoch: number): { leaderEpoch: number; endOffset: number } {
    const partition = this.partitions.get(`${topic}-${partitionIndex}`);
    if (!partition) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    if (!partition.isLeader()) throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    partition.checkLeaderEpoch(currentLeaderEpoch);
    const found = partition.log.leaderEpochCache.endOffsetFor(leaderEpoch, partition.log.logEndOffset);
    return { leaderEpoch: found.epoch, endOffset: found.endOffset };
  }

  /**
   * ListOffsets: -2 earliest, -1 latest (HW for consumers, the LSO for read_committed ones, LEO
   * for replicas), else by timestamp below that same limit.
   */
  offsetForTimestamp(topic: string, partitionIndex: number, timestamp: number, replicaId: number, isolationLevel = READ_UNCOMMITTED): { offset: number; timestamp: number; leaderEpoch: number } {
    const readCommitted = replicaId < 0 && isolationLevel === READ_COMMITTED;
    const partition = this.partitions.get(`${topic}-${partitionIndex}`);
    if (!partition) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    if (!partition.isLeader()) throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    const leaderEpoch = partition.leaderEpoch;
    if (timestamp === EARLIEST_TIMESTAMP) return { offset: partition.log.logStartOffset, timestamp: -1, leaderEpoch };
    if (timestamp === LATEST_TIMESTAMP) return { offset: partition.readLimit(replicaId >= 0, readCommitted), timestamp: -1, leaderEpoch };
    const found = partition.log.offsetForTimestamp(timestamp);
    if (!found || found.offset >= partition.readLimit(replicaId >= 0, readCommitted)) return { offset: -1, timestamp: -1, leaderEpoch: -1 };
    return { offset: found.offset, timestamp: found.timestamp, leaderEpoch };
  }

  checkpointHighWatermarks(): void {
    const hws: { topic: string; partition: number; offset: number }[] = [];
    for (const p of this.partitions.values()) hws.push({ topic: p.topic, partition: p.partition, offset: p.highWatermark });
    try {
      this.options.logManager.writeHighWatermarks(hws);
      this.storageIncidents.succeeded('replication-offset-checkpoint');
    } catch (err) {
      this.storageIncidents.failed('replication-offset-checkpoint', `Error while writing to high watermark file: ${(err as Error).message}`);
    }
  }
}
