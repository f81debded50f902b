// One follower fetcher per source broker (Kafka's ReplicaFetcherThread): it keeps the replicas
// this broker follows on that leader in step with it. A partition starts in the truncating
// state: the follower asks the leader, with OffsetForLeaderEpoch, where its latest leader epoch
// ends and truncates its log there (KIP-101 / KIP-279) rather than to its high watermark. Then
// it fetches with its replica id from its log end offset, appends the leader's batches as they
// are (offsets and epochs kept), and takes the leader's high watermark (capped at its own LEO).
import { KafkaClient, type ClientSecurity } from '../network/kafka-client';
import { StorageIncidents } from '../log/storage-incidents';
import { getLogger, type Logger } from '../logging';
import { ErrorCode } from '../protocol/errors';
import { errorCodeOf } from '../protocol/kafka-error';
import { Fetch } from '../protocol/messages/fetch';
import { ListOffsets } from '../protocol/messages/list-offsets';
import { OffsetForLeaderEpoch } from '../protocol/messages/offset-for-leader-epoch';
import { completeEntriesEnd } from '../protocol/records/log-entries';
import type { Partition } from './partition';

export interface SourceBroker {
  id: number;
  host: string;
  port: number;
}

export interface ReplicaFetcherConfig {
  brokerId: number;
  maxWaitMs: number; // replica.fetch.wait.max.ms
  minBytes: number; // replica.fetch.min.bytes
  maxBytes: number; // replica.fetch.response.max.bytes
  partitionMaxBytes: number; // replica.fetch.max.bytes
  backoffMs: number; // replica.fetch.backoff.ms
  requestTimeoutMs: number; // replica.socket.timeout.ms
  /** TLS / SASL of the inter-broker listener (absent: PLAINTEXT). */
  security?: ClientSecurity;
}

interface FetchState {
  partition: Partition;
  /** Leader epoch the state was created for: a LeaderAndIsr with a newer one replaces it. */
  leaderEpoch: number;
  truncating: boolean;
  /** Not before this time (after an error). */
  delayedUntil: number;
}

const UNDEFINED_EPOCH = -1;
const UNDEFINED_EPOCH_OFFSET = -1;

export class ReplicaFetcher {
  private readonly states = new Map<string, FetchState>();
  private client: KafkaClient | null = null;
  private stopped = false;
  private wake: (() => void) | null = null;
  private running: Promise<void> = Promise.resolve();
  private readonly logger: Logger;
  private readonly storageIncidents: StorageIncidents;

  constructor(
    readonly source: SourceBroker,
    private readonly config: ReplicaFetcherConfig,
    /** Called after a follower append moved the partition's LEO or HW. */
    private readonly onProgress: (partition: Partition) => void,
  ) {
    this.logger = getLogger('kafka.server.ReplicaFetcherThread', `[ReplicaFetcher replicaId=${config.brokerId}, leaderId=${source.id}, fetcherId=0] `);
    this.storageIncidents = new StorageIncidents(this.logger);
  }

  start(): void {
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.client?.close();
    await this.running;
  }

  get size(): number {
    return this.states.size;
  }

  addPartition(partition: Partition): void {
    this.states.set(partition.key, { partition, leaderEpoch: partition.leaderEpoch, truncating: true, delayedUntil: 0 });
    this.wake?.();
  }

  removePartition(key: string): void {
    this.states.delete(key);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (this.states.size === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      try {
        const client = await this.connection();
        await this.truncate(client);
        const fetched = await this.fetch(client);
        if (!fetched) await this.sleep(Math.min(this.config.backoffMs, 100));
      } catch (err) {
        if (this.stopped) break;
        this.logger.warn(`Error in response for fetch request to broker ${this.source.id}: ${(err as Error).message}`);
        this.client?.close();
        this.client = null;
        await this.sleep(this.config.backoffMs);
      }
    }
    this.client?.close();
  }

  private async connection(): Promise<KafkaClient> {
    if (this.client && !this.client.closed) return this.client;
    this.client = await KafkaClient.connect(this.source.host, this.source.port, {
      clientId: `broker-${this.config.brokerId}-fetcher-0`,
      requestTimeoutMs: this.config.requestTimeoutMs,
      security: this.config.security,
    });
    return this.client;
  }

  private ready(now: number): FetchState[] {
    return [...this.states.values()].filter((s) => s.delayedUntil <= now);
  }

  /** OffsetForLeaderEpoch for every partition still truncating, then truncate each log. */
  private async truncate(client: KafkaClient): Promise<void> {
    const pending = this.ready(Date.now()).filter((s) => s.truncating);
    if (pending.length === 0) return;
    const byTopic = new Map<string, FetchState[]>();
    for (const s of pending) byTopic.set(s.partition.topic, [...(byTopic.get(s.partition.topic) ?? []), s]);
    const response = await client.send(OffsetForLeaderEpoch, 3, {
      replicaId: this.config.brokerId,
      topics: [...byTopic].map(([topic, states]) => ({
        topic,
        partitions: states.map((s) => ({
          partition: s.partition.partition,
          currentLeaderEpoch: s.leaderEpoch,
          leaderEpoch: s.partition.log.leaderEpochCache.latestEpoch(),
        })),
      })),
    });
    for (const topic of response.topics) {
      for (const r of topic.partitions) {
        const state = this.states.get(`${topic.topic}-${r.partition}`);
        if (!state || !state.truncating) continue;
        if (r.errorCode !== ErrorCode.NONE) {
          state.delayedUntil = Date.now() + this.config.backoffMs;
          continue;
        }
        this.truncateTo(state, r.leaderEpoch, r.endOffset);
        state.truncating = false;
      }
    }
  }

  private truncateTo(state: FetchState, leaderEpoch: number, leaderEndOffset: number): void {
    const { log } = state.partition;
    let target: number;
    if (leaderEpoch === UNDEFINED_EPOCH || leaderEndOffset === UNDEFINED_EPOCH_OFFSET) {
      // No epoch information on one side: fall back to the high watermark (pre-KIP-101 rule).
      target = Math.min(state.partition.highWatermark, log.logEndOffset);
    } else {
      // KIP-279: if the leader answered for an older epoch than ours, our own end of that epoch
      // may be earlier than the leader's; truncate to the smaller of the two.
      const ours = log.leaderEpochCache.endOffsetFor(leaderEpoch, log.logEndOffset);
      const followerEnd = ours.epoch === leaderEpoch ? ours.endOffset : log.logEndOffset;
      target = Math.min(leaderEndOffset, followerEnd, log.logEndOffset);
    }
    if (target < log.logEndOffset) {
      this.logger.info(`Truncating partition ${state.partition.key} to offset ${target} (leader epoch ${leaderEpoch}, leader end offset ${leaderEndOffset}, log end offset ${log.logEndOffset})`);
      log.truncateTo(target);
      this.onProgress(state.partition);
    }
  }

  /** One Fetch for every partition ready to fetch; returns false when there was none. */
  private async fetch(client: KafkaClient): Promise<boolean> {
    const fetching = this.ready(Date.now()).filter((s) => !s.truncating);
    if (fetching.length === 0) return false;
    const byTopic = new Map<string, FetchState[]>();
    for (const s of fetching) byTopic.set(s.partition.topic, [...(byTopic.get(s.partition.topic) ?? []), s]);
    const response = await client.send(
      Fetch,
      11,
      {
        replicaId: this.config.brokerId,
        maxWaitMs: this.config.maxWaitMs,
        minBytes: this.config.minBytes,
        maxBytes: this.config.maxBytes,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [...byTopic].map(([topic, states]) => ({
          topic,
          partitions: states.map((s) => ({
            partition: s.partition.partition,
            currentLeaderEpoch: s.leaderEpoch,
            fetchOffset: s.partition.log.logEndOffset,
            logStartOffset: s.partition.log.logStartOffset,
            partitionMaxBytes: this.config.partitionMaxBytes,
          })),
        })),
        forgottenTopicsData: [],
        rackId: '',
      },
      { timeoutMs: this.config.maxWaitMs + this.config.requestTimeoutMs },
    );
    for (const topic of response.responses) {
      for (const p of topic.partitions) {
        const state = this.states.get(`${topic.topic}-${p.partitionIndex}`);
        if (!state || state.truncating) continue;
        await this.processPartition(client, state, p.errorCode, p.highWatermark, p.logStartOffset, p.records);
      }
    }
    return true;
  }

  private async processPartition(client: KafkaClient, state: FetchState, errorCode: number, highWatermark: number, leaderLogStartOffset: number, records: Buffer | null): Promise<void> {
    const { partition } = state;
    const { log } = partition;
    switch (errorCode) {
      case ErrorCode.NONE: {
        if (records && records.length > 0) {
          const end = completeEntriesEnd(records);
          if (end > 0) {
            try {
              log.appendAsFollower(end === records.length ? records : records.subarray(0, end));
              this.storageIncidents.succeeded(partition.key);
            } catch (err) {
              if (errorCodeOf(err) === ErrorCode.KAFKA_STORAGE_ERROR) {
                // Our disk refused the write (full, read-only): the append was undone as a whole,
                // so fetch the same offsets again after a back-off. The leader drops us from the
                // ISR if this lasts; an offline log dir stops this fetcher for the partition.
                this.storageIncidents.failed(partition.key, `Error appending fetched records of ${partition.key} to the local log: ${(err as Error).message}`);
                state.delayedUntil = Date.now() + this.config.backoffMs;
                return;
              }
              // The leader's batches do not line up with our log: find the divergence again.
              this.logger.warn(`Unexpected append for ${partition.key}: ${(err as Error).message}; truncating again`);
              state.truncating = true;
              return;
            }
          }
        }
        if (leaderLogStartOffset > log.logStartOffset && leaderLogStartOffset <= log.logEndOffset) {
          try {
            log.maybeIncrementLogStartOffset(leaderLogStartOffset);
          } catch (err) {
            // Only the leader-epoch checkpoint write can fail here (the move itself is in memory
            // and the checkpoint is reconciled at the next load): note it once, carry on.
            this.storageIncidents.failed(`${partition.key} log start offset`, err);
          }
        }
        partition.updateFollowerHighWatermark(highWatermark);
        this.onProgress(partition);
        return;
      }
      case ErrorCode.OFFSET_OUT_OF_RANGE:
        await this.handleOutOfRange(client, state);
        return;
      default:
        // NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH, UNKNOWN_LEADER_EPOCH, UNKNOWN_TOPIC_OR_PARTITION:
        // the controller's next LeaderAndIsr settles it; try again after a back-off.
        state.delayedUntil = Date.now() + this.config.backoffMs;
    }
  }

  /**
   * Our fetch offset is outside the leader's log: if the leader's log ends before ours (an
   * unclean election), truncate to its end; otherwise our log is too old and starts over at the
   * leader's log start offset.
   */
  private async handleOutOfRange(client: KafkaClient, state: FetchState): Promise<void> {
    const { partition } = state;
    const ask = async (timestamp: number) => {
      const r = await client.send(ListOffsets, 1, {
        replicaId: this.config.brokerId,
        topics: [{ name: partition.topic, partitions: [{ partitionIndex: partition.partition, timestamp }] }],
      });
      const p = r.topics[0]?.partitions[0];
      if (!p || p.errorCode !== ErrorCode.NONE) throw new Error(`ListOffsets for ${partition.key} failed with ${p ? ErrorCode[p.errorCode] : 'no answer'}`);
      return p.offset;
    };
    const leaderEnd = await ask(-1);
    if (leaderEnd < partition.log.logEndOffset) {
      this.logger.warn(`Reset fetch offset for partition ${partition.key} from ${partition.log.logEndOffset} to the leader's log end offset ${leaderEnd}`);
      partition.log.truncateTo(leaderEnd);
    } else {
      const leaderStart = await ask(-2);
      this.logger.warn(`Reset fetch offset for partition ${partition.key} from ${partition.log.logEndOffset} to the leader's log start offset ${leaderStart}`);
      partition.log.truncateFullyAndStartAt(leaderStart);
    }
    this.onProgress(partition);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).then(() => {
      this.wake = null;
    });
  }
}
