// OffsetFetch: a group's committed offsets (-1 and "" for partitions without one).
// Behavior: a group-level error goes into every requested partition before v2, and into the
// top-level error from v2. Unknown topics are not an error here (Kafka answers -1).
// Version notes: v0 reads ZooKeeper (the legacy offset store); v2 topics = null means every
// committed offset of the group, and a top-level error code; v3 throttle time; v5 leader epoch.
import { authorize, filterAuthorized } from '../authorizer/request-authorization';
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

/** OffsetFetchResponse.UNAUTHORIZED_PARTITION. */
function unauthorizedPartition(partitionIndex: number): PartitionData {
  return { partitionIndex, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED };
}

function byTopic(entries: { topic: string; data: PartitionData }[]) {
  return [...groupByTopic(entries)].map(([name, list]) => ({ name, partitions: list.map((e) => e.data) }));
}

/**
 * v0 reads ZooKeeper (/consumers/<group>/offsets), as 0.8.1 clients expect. Kafka 2.4 answers a
 * partition with nothing committed with offset -1 and UNKNOWN_TOPIC_OR_PARTITION; a ZooKeeper
 * failure fails only that partition.
 */
async function fetchV0(request: OffsetFetchRequest, ctx: RequestContext, describable: ReadonlySet<string>) {
  const store = legacyOffsetsOf(ctx.broker);
  const entries: { topic: string; data: PartitionData }[] = [];
  for (const t of request.topics ?? []) {
    for (const p of t.partitionIndexes) {
      if (!describable.has(t.name)) {
        entries.push({ topic: t.name, data: unauthorizedPartition(p) });
        continue;
      }
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
    const requested = request.topics === null ? null : request.topics.flatMap((t) => t.partitionIndexes.map((p) => ({ topic: t.name, partition: p })));
    // OffsetFetchRequest.getErrorResponse: v0/v1 put the error on every partition asked for, v2+ at the top.
    const failed = (errorCode: ErrorCode) => ({
      throttleTimeMs: 0,
      topics: byTopic(version < 2 ? (requested ?? []).map((p) => ({ topic: p.topic, data: { ...unauthorizedPartition(p.partition), errorCode } })) : []),
      errorCode,
    });
    // Kafka 2.4: Describe on the group, then Describe on each topic: a topic asked for by name is
    // answered TOPIC_AUTHORIZATION_FAILED, an all-partitions answer leaves it out.
    if (!authorize(ctx, 'Describe', 'Group', request.groupId)) return failed(ErrorCode.GROUP_AUTHORIZATION_FAILED);
    if (version === 0) return fetchV0(request, ctx, filterAuthorized(ctx, 'Describe', 'Topic', (request.topics ?? []).map((t) => t.name)));
    const describable = requested === null ? null : filterAuthorized(ctx, 'Describe', 'Topic', requested.map((p) => p.topic));
    const result = ctx.broker.groupCoordinator.handleFetchOffsets(request.groupId, requested && requested.filter((p) => describable!.has(p.topic)));
    if (result.errorCode !== ErrorCode.NONE) return failed(result.errorCode);
    const shown = requested === null ? filterAuthorized(ctx, 'Describe', 'Topic', result.offsets.map((o) => o.topic)) : describable!;
    const entries: { topic: string; data: PartitionData }[] = result.offsets.filter((o) => shown.has(o.topic)).map((o) => ({
      topic: o.topic,
      data: { partitionIndex: o.partition, committedOffset: o.offset, committedLeaderEpoch: o.leaderEpoch, metadata: o.metadata, errorCode: o.errorCode },
    }));
    for (const p of requested ?? []) if (!describable!.has(p.topic)) entries.push({ topic: p.topic, data: unauthorizedPartition(p.partition) });
    return { throttleTimeMs: 0, topics: byTopic(entries), errorCode: ErrorCode.NONE };
  },
});
