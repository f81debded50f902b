// One partition replica on this broker: its log, who leads it, the ISR, and the high watermark.
// As leader it tracks each follower's LEO (learnt from the offsets they fetch from) and when each
// last caught up; HW = min LEO over the ISR. It proposes ISR changes (the replica manager writes
// them to ZooKeeper): a follower that has not caught up for replica.lag.time.max.ms leaves the
// ISR, one that reached the HW (and the start of the current leader epoch) rejoins it.
// As follower it only takes the leader's HW, capped at its own LEO.
import type { Log } from '../log/log';
import { AppendOrigin } from '../log/producer/producer-append-info';
import { ErrorCode } from '../protocol/errors';
import { KafkaError } from '../protocol/kafka-error';

export interface LeaderAndIsrState {
  controllerEpoch: number;
  leader: number;
  leaderEpoch: number;
  isr: number[];
  zkVersion: number;
  replicas: number[];
  isNew: boolean;
}

export interface AppendResult {
  firstOffset: number;
  lastOffset: number;
  logAppendTime: number;
  logStartOffset: number;
  /** Records appended (the validator's count; for MessagesInPerSec). */
  recordCount: number;
}

/** DeleteRecords' offset -1: delete up to the high watermark. */
export const DELETE_RECORDS_HIGH_WATERMARK = -1;

interface FollowerState {
  logEndOffset: number;
  /** From the follower's fetch requests (Fetch v5+); -1 until known, as Kafka's UnknownOffset. */
  logStartOffset: number;
  lastCaughtUpTimeMs: number;
  /** The leader's LEO when this follower last fetched, and when that was (Kafka's rule). */
  lastFetchLeaderLogEndOffset: number;
  lastFetchTimeMs: number;
}

export class Partition {
  leaderId = -1;
  leaderEpoch = -1;
  controllerEpoch = -1;
  zkVersion = -1;
  replicas: number[] = [];
  isr: number[] = [];
  /** An ISR change is being written to ZooKeeper: propose no other until it settles. */
  isrUpdateInFlight = false;
  private leaderEpochStartOffset = 0;
  private followers = new Map<number, FollowerState>();

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly localBrokerId: number,
    readonly log: Log,
    checkpointedHighWatermark: number,
  ) {
    log.updateHighWatermark(Math.min(checkpointedHighWatermark, log.logEndOffset));
  }

  get key(): string {
    return `${this.topic}-${this.partition}`;
  }

  /** The HW lives in the log, which must never delete past it (retention). */
  get highWatermark(): number {
    return this.log.highWatermark;
  }

  isLeader(): boolean {
    return this.leaderId === this.localBrokerId;
  }

  /** Apply a LeaderAndIsr state; returns true when this broker leads the partition. */
  applyState(state: LeaderAndIsrState): boolean {
    const wasLeaderOfEpoch = this.isLeader() && this.leaderEpoch === state.leaderEpoch;
    this.controllerEpoch = state.controllerEpoch;
    this.leaderId = state.leader;
    this.leaderEpoch = state.leaderEpoch;
    this.isr = [...state.isr];
    this.zkVersion = state.zkVersion;
    this.replicas = [...state.replicas];
    if (this.isLeader()) {
      if (!wasLeaderOfEpoch) {
        // A new leader epoch starts at our LEO (KIP-101): followers truncate against it.
        this.leaderEpochStartOffset = this.log.logEndOffset;
        this.log.leaderEpochCache.assign(state.leaderEpoch, this.log.logEndOffset);
      }
      const now = Date.now();
      const previous = this.followers;
      this.followers = new Map(
        state.replicas
          .filter((r) => r !== this.localBrokerId)
          .map((r) => [r, previous.get(r) ?? { logEndOffset: -1, logStartOffset: -1, lastCaughtUpTimeMs: now, lastFetchLeaderLogEndOffset: -1, lastFetchTimeMs: now }]),
      );
      this.maybeIncrementHighWatermark();
    } else {
      this.followers.clear();
    }
    return this.isLeader();
  }

  /** Append a producer's (or the broker's own) v2 batches as leader. minInsyncReplicas applies to acks=all only. */
  appendAsLeader(records: Buffer, requiredAcks: number, minInsyncReplicas: number, origin: AppendOrigin = AppendOrigin.Client): AppendResult {
    if (!this.isLeader()) {
      throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `broker ${this.localBrokerId} is not the leader of ${this.key}`);
    }
    if (requiredAcks === -1 && this.isr.length < minInsyncReplicas) {
      throw new KafkaError(
        ErrorCode.NOT_ENOUGH_REPLICAS,
        `the size of the ISR ${this.isr.length} is insufficient to satisfy the min.isr requirement of ${minInsyncReplicas} for ${this.key}`,
      );
    }
    const info = this.log.appendAsLeader(records, this.leaderEpoch, origin);
    this.maybeIncrementHighWatermark();
    return {
      firstOffset: info.firstOffset,
      lastOffset: info.lastOffset,
      logAppendTime: info.logAppendTime,
      logStartOffset: this.log.logStartOffset,
      recordCount: info.recordCount,
    };
  }

  /** A follower fetched from fetchOffset: that is its LEO. Returns true if the HW moved. */
  updateFollowerFetchState(replicaId: number, fetchOffset: number, nowMs = Date.now()): boolean {
    const follower = this.followers.get(replicaId);
    if (!follower) return false;
    const leaderEnd = this.log.logEndOffset;
    if (fetchOffset >= leaderEnd) follower.lastCaughtUpTimeMs = nowMs;
    else if (fetchOffset >= follower.lastFetchLeaderLogEndOffset) follower.lastCaughtUpTimeMs = Math.max(follower.lastCaughtUpTimeMs, follower.lastFetchTimeMs);
    follower.logEndOffset = fetchOffset;
    follower.lastFetchLeaderLogEndOffset = leaderEnd;
    follower.lastFetchTimeMs = nowMs;
    return this.maybeIncrementHighWatermark();
  }

  /** The ISR with this follower added, if it has caught up and is not in yet; else null. */
  isrWithCaughtUpFollower(replicaId: number): number[] | null {
    if (!this.isLeader() || this.isrUpdateInFlight || this.isr.includes(replicaId) || !this.replicas.includes(replicaId)) return null;
    const follower = this.followers.get(replicaId);
    if (!follower) return null;
    const caughtUp = follower.logEndOffset >= this.highWatermark && follower.logEndOffset >= this.leaderEpochStartOffset;
    return caughtUp ? [...this.isr, replicaId] : null;
  }

  /** The ISR without followers that have not caught up for maxLagMs; null when nothing changes. */
  isrWithoutLaggingFollowers(maxLagMs: number, nowMs = Date.now()): number[] | null {
    if (!this.isLeader() || this.isrUpdateInFlight) return null;
    const lagging = this.isr.filter((id) => {
      if (id === this.localBrokerId) return false;
      const follower = this.followers.get(id);
      return !follower || nowMs - follower.lastCaughtUpTimeMs > maxLagMs;
    });
    return lagging.length === 0 ? null : this.isr.filter((id) => !lagging.includes(id));
  }

  /** An ISR change this leader wrote to ZooKeeper took effect. Returns true if the HW moved. */
  isrChanged(isr: number[], zkVersion: number): boolean {
    this.isr = isr;
    this.zkVersion = zkVersion;
    return this.maybeIncrementHighWatermark();
  }

  /** HW = min LEO over the ISR; it never moves backwards. */
  maybeIncrementHighWatermark(): boolean {
    if (!this.isLeader()) return false;
    let newHw = this.log.logEndOffset;
    for (const id of this.isr) {
      if (id === this.localBrokerId) continue;
      const follower = this.followers.get(id);
      newHw = Math.min(newHw, follower ? follower.logEndOffset : -1);
    }
    if (newHw > this.highWatermark) {
      this.log.updateHighWatermark(newHw);
      return true;
    }
    return false;
  }

  /** A follower's log start offset, as it reports it in each fetch (DeleteRecords waits on it). */
  updateFollowerLogStartOffset(replicaId: number, logStartOffset: number): void {
    const follower = this.followers.get(replicaId);
    if (follower && logStartOffset >= 0) follower.logStartOffset = logStartOffset;
  }

  /**
   * Kafka's Partition.deleteRecordsOnLeader: -1 means the high watermark; a negative offset or
   * one beyond the HW is OFFSET_OUT_OF_RANGE; a compacted-only topic is POLICY_VIOLATION.
   * Returns the offset the log start now is at least.
   */
  deleteRecordsOnLeader(offset: number): number {
    if (!this.isLeader()) {
      throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `broker ${this.localBrokerId} is not the leader of ${this.key}`);
    }
    if (!this.log.config.cleanupPolicy.split(',').includes('delete')) {
      throw new KafkaError(ErrorCode.POLICY_VIOLATION, `Records of partition ${this.key} can not be deleted due to the configured policy`);
    }
    const converted = offset === DELETE_RECORDS_HIGH_WATERMARK ? this.highWatermark : offset;
    if (converted < 0) throw new KafkaError(ErrorCode.OFFSET_OUT_OF_RANGE, `The offset ${converted} for partition ${this.key} is not valid`);
    if (converted > this.highWatermark) {
      throw new KafkaError(
        ErrorCode.OFFSET_OUT_OF_RANGE,
        `Cannot increment the log start offset to ${converted} of partition ${this.key} since it is larger than the high watermark ${this.highWatermark}`,
      );
    }
    this.log.maybeIncrementLogStartOffset(converted);
    return converted;
  }

  /**
   * Kafka's lowWatermarkIfLeader: the smallest log start offset over this replica and every
   * follower on a live broker (-1 for one that has not reported it yet).
   */
  lowWatermarkIfLeader(isBrokerAlive: (brokerId: number) => boolean): number {
    if (!this.isLeader()) {
      throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `broker ${this.localBrokerId} is not the leader of ${this.key}`);
    }
    let low = this.log.logStartOffset;
    for (const [id, follower] of this.followers) {
      if (isBrokerAlive(id)) low = Math.min(low, follower.logStartOffset);
    }
    return low;
  }

  /** As follower: the leader's HW, never beyond our own LEO. */
  updateFollowerHighWatermark(leaderHighWatermark: number): void {
    this.log.updateHighWatermark(Math.min(leaderHighWatermark, this.log.logEndOffset));
  }

  /**
   * Offsets a client may read up to (exclusive): LEO for followers, for consumers the HW, or the
   * last stable offset for read_committed ones (Kafka's FetchLogEnd / FetchHighWatermark / FetchTxnCommitted).
   */
  readLimit(isFollower: boolean, readCommitted = false): number {
    if (isFollower) return this.log.logEndOffset;
    return readCommitted ? this.log.lastStableOffset : this.highWatermark;
  }

  /** Fencing by the client's view of the leader epoch (KIP-320; Fetch v9+, OffsetForLeaderEpoch v2+). */
  checkLeaderEpoch(currentLeaderEpoch: number): void {
    if (currentLeaderEpoch < 0 || currentLeaderEpoch === this.leaderEpoch) return;
    if (currentLeaderEpoch < this.leaderEpoch) throw new KafkaError(ErrorCode.FENCED_LEADER_EPOCH, `leader epoch ${currentLeaderEpoch} is older than ${this.leaderEpoch} for ${this.key}`);
    throw new KafkaError(ErrorCode.UNKNOWN_LEADER_EPOCH, `leader epoch ${currentLeaderEpoch} is newer than ${this.leaderEpoch} for ${this.key}`);
  }
}
