// Kafka's DelayedDeleteRecords: a DeleteRecords request answers once, for every partition whose
// log start offset moved on the leader, the low watermark (the smallest log start offset over
// the leader and its live followers, which report theirs in each fetch) has reached the
// requested offset — or with REQUEST_TIMED_OUT for those that have not when timeout_ms passes.
// A partition that lost its leadership meanwhile answers NOT_LEADER_OR_FOLLOWER.
import { ErrorCode } from '../protocol/errors';
import { errorCodeOf } from '../protocol/kafka-error';
import type { Partition } from './partition';
import type { DelayedOperation } from './purgatory';

export interface DeleteRecordsPartitionResult {
  topic: string;
  partition: number;
  /** -1 (Kafka's INVALID_LOW_WATERMARK) when errored. */
  lowWatermark: number;
  errorCode: ErrorCode;
}

export interface PendingDeletion {
  result: DeleteRecordsPartitionResult;
  requestedOffset: number;
  partition: Partition;
}

export class DelayedDeleteRecords implements DelayedOperation {
  constructor(
    private readonly pending: readonly PendingDeletion[],
    private readonly isBrokerAlive: (brokerId: number) => boolean,
    private readonly respond: () => void,
  ) {}

  tryComplete(): boolean {
    for (const p of this.pending) {
      if (p.result.errorCode !== ErrorCode.NONE || p.result.lowWatermark >= p.requestedOffset) continue;
      try {
        p.result.lowWatermark = p.partition.lowWatermarkIfLeader(this.isBrokerAlive);
      } catch (err) {
        p.result.errorCode = errorCodeOf(err);
        p.result.lowWatermark = -1;
      }
    }
    const done = this.pending.every((p) => p.result.errorCode !== ErrorCode.NONE || p.result.lowWatermark >= p.requestedOffset);
    if (done) this.respond();
    return done;
  }

  onExpire(): void {
    for (const p of this.pending) {
      if (p.result.errorCode === ErrorCode.NONE && p.result.lowWatermark < p.requestedOffset) p.result.errorCode = ErrorCode.REQUEST_TIMED_OUT;
    }
    this.respond();
  }
}
