// OffsetFetch: a group's committed offsets (-1 and "" for partitions without one).
// Behavior: a group-level error goes into every requested partition before v2, and into the
// top-level error from v2. Unknown topics are not an error here (Kafka answers -1).
// Version notes: v0 reads ZooKeeper (the legacy offset store); v2 topics = null means every
// committed offset of the group, and a top-level error code; v3 throttle time; v5 leader epoch.
import { legacyOffsetsOf } from '../group/legacy-offsets';
import { ErrorCode } from '../protocol/errors';
import { OffsetFetch, type OffsetFetchRequest } from '../protocol/messages/offset-fetch';
import { groupByTopic } from './group-by-topic';
import { defineHandler, type RequestContext } from './api-handler';

interface PartitionData {
  partitionIndex: number;
  committedOffset: number;
  committedLeaderEpoch: number;
  metadata: string | null;
  errorCode: ErrorCode;
}

function byTopic(entries: { topic: string; data: PartitionData }[]) {
  return [...groupByTopic(entries)].map(([name, list]) => ({ name, partitions: list.map((e) => e.data) }));
}

/**
 * v0 reads ZooKeeper (/consumers/<group>/offsets), as 0.8.1 clients expect. Kafka 2.4 answers a
 * partition with nothing committed with offset -1 and UNKNOWN_TOPIC_OR_PARTITION; a ZooKeeper
 * failure fails only that partition.
 */
async function fetchV0(request: OffsetFetchRequest, ctx: RequestContext) {
  const store = legacyOffsetsOf(ctx.broker);
  const entries: { topic: string; data: PartitionData }[] = [];
  for (const t of request.topics ?? []) {
    for (const p of t.partitionIndexes) {
      let found: { offset: number; metadata: string } | null = null;
      let errorCode: ErrorCode = ErrorCode.NONE;
      try {
        found = store ? await store.fetch(request.groupId, t.name, p) : null;
        if (!found) errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      } catch {
        errorCode = ErrorCode.UNKNOWN_SERVER_ERROR;
      }
      entries.push({
        topic: t.name,
        data: { partitionIndex: p, committedOffset: found?.offset ?? -1, committedLeaderEpoch: -1, metadata: found?.metadata ?? '', errorCode },
      });
    }
  }
  return { throttleTimeMs: 0, topics: byTopic(entries), errorCode: ErrorCode.NONE };
}

export const offsetFetchHandler = defineHandler({
  api: OffsetFetch,
  async handle(request, version, ctx) {
    if (version === 0) return fetchV0(request, ctx);
    const partitions = request.topics === null ? null : request.topics.flatMap((t) => t.partitionIndexes.map((p) => ({ topic: t.name, partition: p })));
    const result = ctx.broker.groupCoordinator.handleFetchOffsets(request.groupId, partitions);
    if (result.errorCode !== ErrorCode.NONE) {
      const failed = version < 2 ? (partitions ?? []).map((p) => ({ topic: p.topic, data: { partitionIndex: p.partition, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: result.errorCode } })) : [];
      return { throttleTimeMs: 0, topics: byTopic(failed), errorCode: result.errorCode };
    }
    const entries = result.offsets.map((o) => ({
      topic: o.topic,
      data: { partitionIndex: o.partition, committedOffset: o.offset, committedLeaderEpoch: o.leaderEpoch, metadata: o.metadata, errorCode: o.errorCode },
    }));
    return { throttleTimeMs: 0, topics: byTopic(entries), errorCode: ErrorCode.NONE };
  },
});
