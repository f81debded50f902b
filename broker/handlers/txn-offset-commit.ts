// TxnOffsetCommit: a transactional producer commits a consumer group's offsets inside its
// transaction (KIP-98, Kafka's sendOffsetsToTransaction). They are written to the group's
// __consumer_offsets partition as a transactional batch and stay invisible to OffsetFetch until
// the transaction's COMMIT marker reaches that partition (an ABORT drops them).
// Behavior: sent to the group's coordinator (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS
// otherwise); an empty group id is INVALID_GROUP_ID; partitions of topics this broker does not
// know get UNKNOWN_TOPIC_OR_PARTITION; a producer epoch older than the offsets partition has seen
// gets INVALID_PRODUCER_EPOCH. As in Kafka 2.4, no member or generation is checked. Metadata
// null is stored as "", the commit timestamp is now.
// Version notes: v1 same as v0; v2 committedLeaderEpoch. v3 (Kafka 2.5, KIP-447) is not served.
import { ErrorCode } from '../protocol/errors';
import { TxnOffsetCommit } from '../protocol/messages/txn-offset-commit';
import { authorize, filterAuthorized } from '../authorizer/request-authorization';
import { defineHandler } from './api-handler';
import { commitEntriesOf, commitKey } from './offset-commit-entries';

export const txnOffsetCommitHandler = defineHandler({
  api: TxnOffsetCommit,
  async handle(request, _version, ctx) {
    const { metadataCache, groupCoordinator } = ctx.broker;
    const answer = (errorOf: (topic: string, partition: number) => ErrorCode) => ({
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: errorOf(t.name, p.partitionIndex) })) })),
    });
    // Kafka 2.4: Write on the transactional id and Read on the group, else that error everywhere;
    // then Read on each topic.
    if (!authorize(ctx, 'Write', 'TransactionalId', request.transactionalId)) return answer(() => ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
    if (!authorize(ctx, 'Read', 'Group', request.groupId)) return answer(() => ErrorCode.GROUP_AUTHORIZATION_FAILED);
    const readable = filterAuthorized(ctx, 'Read', 'Topic', request.topics.map((t) => t.name));
    const now = Date.now();
    const { errors, entries } = commitEntriesOf(request.topics, readable, metadataCache, (p) => ({
      offset: p.committedOffset,
      leaderEpoch: p.committedLeaderEpoch,
      metadata: p.committedMetadata ?? '',
      commitTimestamp: now,
      expireTimestamp: null,
    }));
    if (entries.length > 0) {
      const results = await groupCoordinator.handleTxnCommitOffsets(request.groupId, request.producerId, request.producerEpoch, entries);
      for (const [key, code] of results) errors.set(key, code);
    }
    return answer((topic, partition) => errors.get(commitKey(topic, partition)) ?? ErrorCode.NONE);
  },
});
