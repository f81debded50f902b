// max.partitions: how many partitions the whole cluster may hold, checked by CreateTopics and
// CreatePartitions before anything is written. Kafka 2.4 has no such limit (KIP-578 proposed this
// name and was never released); its CreateTopicPolicy hook is the place where such a rule lives, so a
// request over the limit gets what a policy answers: POLICY_VIOLATION, with the numbers in the message.
// The default, 200,000, is the ceiling Kafka's own guidance gave for a ZooKeeper-based cluster.
// The count is the controller's metadata cache (every topic whose leaders are known), plus what
// earlier topics of the same request asked for; topics created meanwhile by other requests may be
// missing for a moment, so the limit is approximate by at most one concurrent request.
import { ErrorCode } from '../protocol/errors';
import { KafkaError } from '../protocol/kafka-error';
import type { RequestContext } from './api-handler';

export class ClusterPartitionBudget {
  private taken = 0;

  constructor(
    private readonly max: number,
    private readonly current: number,
  ) {}

  static of(ctx: RequestContext): ClusterPartitionBudget {
    return new ClusterPartitionBudget(ctx.broker.config.maxPartitions, ctx.broker.metadataCache.partitionCount());
  }

  /** Counts `adding` new partitions for `topic`; POLICY_VIOLATION when the cluster would pass max.partitions. */
  take(topic: string, adding: number): void {
    const total = this.current + this.taken + adding;
    if (total > this.max) {
      throw new KafkaError(
        ErrorCode.POLICY_VIOLATION,
        `Adding ${adding} partitions for topic '${topic}' would bring the cluster to ${total} partitions, ` +
          `above max.partitions=${this.max} (it has ${this.current + this.taken}).`,
      );
    }
    this.taken += adding;
  }
}
