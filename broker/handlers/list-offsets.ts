// ListOffsets: earliest (-2), latest (-1) or the first offset with a timestamp >= the one asked.
// Behavior: must be sent to the leader; consumers' "latest" is the high watermark, or the last
// stable offset for isolation_level READ_COMMITTED (v2+), which also bounds timestamp lookups.
// Version notes: v0 returns a list of offsets (old_style_offsets, at most max_num_offsets);
// v1+ one offset and its timestamp; v2 isolation level; v4 leader epochs.
import { filterAuthorized } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { errorCodeOf } from '../protocol/kafka-error';
import { ListOffsets } from '../protocol/messages/list-offsets';
import { READ_UNCOMMITTED } from '../replica/replica-manager';
import { defineHandler } from './api-handler';

export const listOffsetsHandler = defineHandler({
  api: ListOffsets,
  handle(request, version, ctx) {
    const { replicaManager } = ctx.broker;
    // Kafka 2.4: Describe on each topic, else TOPIC_AUTHORIZATION_FAILED for its partitions.
    const describable = filterAuthorized(ctx, 'Describe', 'Topic', request.topics.flatMap((t) => t.partitions.map(() => t.name)));
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => {
          if (!describable.has(t.name)) {
            return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, oldStyleOffsets: [], timestamp: -1, offset: -1, leaderEpoch: -1 };
          }
          try {
            const found = replicaManager.offsetForTimestamp(t.name, p.partitionIndex, p.timestamp, request.replicaId, version >= 2 ? request.isolationLevel : READ_UNCOMMITTED);
            return {
              partitionIndex: p.partitionIndex,
              errorCode: ErrorCode.NONE,
              oldStyleOffsets: version === 0 ? (found.offset >= 0 ? [found.offset] : []).slice(0, Math.max(p.maxNumOffsets, 0)) : [],
              timestamp: found.timestamp,
              offset: found.offset,
              leaderEpoch: found.leaderEpoch,
            };
          } catch (err) {
            return { partitionIndex: p.partitionIndex, errorCode: errorCodeOf(err), oldStyleOffsets: [], timestamp: -1, offset: -1, leaderEpoch: -1 };
          }
        }),
      })),
    };
  },
});
