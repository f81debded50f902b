// ListOffsets: earliest (-2), latest (-1) or the first offset with a timestamp >= the one asked.
// Behavior: must be sent to the leader; consumers' "latest" is the high watermark, or the last
// stable offset for isolation_level READ_COMMITTED (v2+), which also bounds timestamp lookups.
// Version notes: v0 returns a list of offsets (old_style_offsets, at most max_num_offsets);
// v1+ one offset and its timestamp; v2 isolation level; v4 leader epochs.
import { ErrorCode } from '../protocol/errors';
import { errorCodeOf } from '../protocol/kafka-error';
import { ListOffsets } from '../protocol/messages/list-offsets';
import { READ_UNCOMMITTED } from '../replica/replica-manager';
import { defineHandler } from './api-handler';

export const listOffsetsHandler = defineHandler({
  api: ListOffsets,
  minVersion: 0,
  maxVersion: 5,
  handle(request, version, ctx) {
    const { replicaManager } = ctx.broker;
    return {
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => {
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
