// OffsetForLeaderEpoch (KIP-101, KIP-279): where a leader epoch ends in the leader's log, so a
// follower (or a consumer, KIP-320) truncates to the point where it diverged instead of to its
// high watermark. Behavior: only the leader answers (NOT_LEADER_OR_FOLLOWER otherwise); the
// request's current leader epoch fences stale callers (FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH).
// Version notes: v1 returns the epoch the end offset belongs to, v2 current_leader_epoch and
// throttle time, v3 replica_id.
import { authorizeCluster, filterAuthorized } from '../authorizer/request-authorization';
import { errorCodeOf } from '../protocol/kafka-error';
import { ErrorCode } from '../protocol/errors';
import { OffsetForLeaderEpoch } from '../protocol/messages/offset-for-leader-epoch';
import { defineHandler } from './api-handler';

export const offsetForLeaderEpochHandler = defineHandler({
  api: OffsetForLeaderEpoch,
  handle(request, _version, ctx) {
    // Kafka 2.4 (KIP-320): ClusterAction on the Cluster (followers), else Describe on each topic (consumers).
    const allowed = authorizeCluster(ctx, 'ClusterAction', { logIfDenied: false })
      ? null
      : filterAuthorized(ctx, 'Describe', 'Topic', request.topics.flatMap((t) => t.partitions.map(() => t.topic)));
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        topic: t.topic,
        partitions: t.partitions.map((p) => {
          if (allowed !== null && !allowed.has(t.topic)) return { errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, partition: p.partition, leaderEpoch: -1, endOffset: -1 };
          try {
            const found = ctx.broker.replicaManager.endOffsetForLeaderEpoch(t.topic, p.partition, p.currentLeaderEpoch, p.leaderEpoch);
            return { errorCode: ErrorCode.NONE, partition: p.partition, leaderEpoch: found.leaderEpoch, endOffset: found.endOffset };
          } catch (err) {
            return { errorCode: errorCodeOf(err), partition: p.partition, leaderEpoch: -1, endOffset: -1 };
          }
        }),
      })),
    };
  },
});
