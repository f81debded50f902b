// One partition replica on this broker: its log, who leads it, the ISR, and the high watermark.
// The leader advances HW = min LEO over the ISR (with an ISR of only the leader, HW = LEO right
// after each append). Followers' LEOs are learnt from their fetch offsets.
import type { Log } from '../log/log';
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
}

interface FollowerState {
  logEndOffset: number;
  lastCaughtUpTimeMs: number;
}

export class Partition {
  leaderId = -1;
  leaderEpoch = -1;
  controllerEpoch = -1;
  zkVersion = -1;
  replicas: number[] = [];
  isr: number[] = [];
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

  /** The HW lives in the log, which must never delete past it (retention). */
  get highWatermark(): number {
    return this.log.highWatermark;
  }

  get key(): string {
    return `${this.topic}-${this.partition}`;
  }

  isLeader(): boolean {
    return this.leaderId === this.localBrokerId;
  }

  /** Apply a LeaderAndIsr state; returns true when this broker became (or stays) leader. */
  applyState(state: LeaderAndIsrState): boolean {
    this.controllerEpoch = state.controllerEpoch;
    this.leaderId = state.leader;
    this.leaderEpoch = state.leaderEpoch;
    this.isr = [...state.isr];
    this.zkVersion = state.zkVersion;
    this.replicas = [...state.replicas];
    if (this.isLeader()) {
      const now = Date.now();
      this.followers = new Map(
        state.replicas.filter((r) => r !== this.localBrokerId).map((r) => [r, { logEndOffset: -1, lastCaughtUpTimeMs: now }]),
      );
      this.maybeIncrementHighWatermark();
    } else {
      this.followers.clear();
    }
    return this.isLeader();
  }

  /** Append a producer's v2 batches as leader. minInsyncReplicas applies to acks=all only. */
  appendAsLeader(records: Buffer, requiredAcks: number, minInsyncReplicas: number): AppendResult {
    if (!this.isLeader()) {
      throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `broker ${this.localBrokerId} is not the leader of ${this.key}`);
    }
    if (requiredAcks === -1 && this.isr.length < minInsyncReplicas) {
      throw new KafkaError(
        ErrorCode.NOT_ENOUGH_REPLICAS,
        `the size of the ISR ${this.isr.length} is insufficient to satisfy the min.isr requirement of ${minInsyncReplicas} for ${this.key}`,
      );
    }
    const info = this.log.appendAsLeader(records, this.leaderEpoch);
    this.maybeIncrementHighWatermark();
    return {
      firstOffset: info.firstOffset,
      lastOffset: info.lastOffset,
      logAppendTime: info.logAppendTime,
      logStartOffset: this.log.logStartOffset,
    };
  }

  /** A follower fetched from fetchOffset: that is its LEO. Returns true if the HW moved. */
  updateFollowerFetchState(replicaId: number, fetchOffset: number): boolean {
    const follower = this.followers.get(replicaId);
    if (!follower) return false;
    follower.logEndOffset = fetchOffset;
    if (fetchOffset >= this.log.logEndOffset) follower.lastCaughtUpTimeMs = Date.now();
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

  /** Offsets a client may read up to (exclusive): HW for consumers, LEO for followers. */
  readLimit(isFollower: boolean): number {
    return isFollower ? this.log.logEndOffset : this.highWatermark;
  }
}
