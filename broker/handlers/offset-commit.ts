// OffsetCommit: offsets of a group, written to its __consumer_offsets partition; the answer
// waits for the write (offsets.commit.required.acks, offsets.commit.timeout.ms).
// Behavior: partitions of topics this broker does not know get UNKNOWN_TOPIC_OR_PARTITION; the
// rest go to the coordinator, which checks member and generation (generation -1 on an empty
// group = a consumer that only stores offsets here). Metadata null is stored as "".
// Version notes: v0 stores in ZooKeeper (the legacy offset store); v1 per-partition commit
// timestamp (-1 = now); v2-v4 retention_time_ms (-1 = broker default, else an explicit expiry,
// written as an offset value v1); v5 drops it; v6 leader epoch; v7 group.instance.id.
import { authorize, filterAuthorized } from '../authorizer/request-authorization';
import { legacyOffsetsOf } from '../group/legacy-offsets';
import { ErrorCode } from '../protocol/errors';
import { OffsetCommit, type OffsetCommitRequest } from '../protocol/messages/offset-commit';
import { commitEntriesOf, commitKey } from './offset-commit-entries';
import { defineHandler, type RequestContext } from './api-handler';

type Topic = OffsetCommitRequest['topics'][number];

function respond(topics: Topic[], errorOf: (topic: string, partition: number) => ErrorCode) {
  return {
    throttleTimeMs: 0,
    topics: topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: errorOf(t.name, p.partitionIndex) })) })),
  };
}

async function commitV0(request: OffsetCommitRequest, ctx: RequestContext, readable: ReadonlySet<string>) {
  const store = legacyOffsetsOf(ctx.broker);
  const errors = new Map<string, ErrorCode>();
  for (const t of request.topics) {
    for (const p of t.partitions) {
      const code = !readable.has(t.name) ? ErrorCode.TOPIC_AUTHORIZATION_FAILED : store
        ? await store.commit(request.groupId, t.name, p.partitionIndex, p.committedOffset, p.committedMetadata ?? '')
        : ErrorCode.COORDINATOR_NOT_AVAILABLE;
      errors.set(commitKey(t.name, p.partitionIndex), code);
    }
  }
  return respond(request.topics, (topic, partition) => errors.get(commitKey(topic, partition)) ?? ErrorCode.NONE);
}

export const offsetCommitHandler = defineHandler({
  api: OffsetCommit,
  async handle(request, version, ctx) {
    // Kafka 2.4: Read on the group (else every partition GROUP_AUTHORIZATION_FAILED), then Read on
    // each topic (TOPIC_AUTHORIZATION_FAILED, before UNKNOWN_TOPIC_OR_PARTITION).
    if (!authorize(ctx, 'Read', 'Group', request.groupId)) return respond(request.topics, () => ErrorCode.GROUP_AUTHORIZATION_FAILED);
    const readable = filterAuthorized(ctx, 'Read', 'Topic', request.topics.map((t) => t.name));
    if (version === 0) return commitV0(request, ctx, readable);
    const { metadataCache, groupCoordinator } = ctx.broker;
    const now = Date.now();
    const { errors, entries } = commitEntriesOf(request.topics, readable, metadataCache, (p) => ({
      offset: p.committedOffset,
      leaderEpoch: p.committedLeaderEpoch,
      metadata: p.committedMetadata ?? '',
      commitTimestamp: version === 1 && p.commitTimestamp !== -1 ? p.commitTimestamp : now,
      expireTimestamp: request.retentionTimeMs === -1 ? null : now + request.retentionTimeMs,
    }));
    if (entries.length > 0) {
      const results = await groupCoordinator.handleCommitOffsets(
        request.groupId,
        request.memberId,
        request.groupInstanceId,
        request.generationIdOrMemberEpoch,
        entries,
      );
      for (const [key, code] of results) errors.set(key, code);
    }
    return respond(request.topics, (topic, partition) => errors.get(commitKey(topic, partition)) ?? ErrorCode.NONE);
  },
});
