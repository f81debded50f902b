// OffsetDelete (KIP-496, Kafka 2.4): deletes a group's committed offsets for partitions it no
// longer consumes (kafka-consumer-groups --delete-offsets).
// Behavior as Kafka 2.4's handleOffsetDeleteRequest: partitions of topics the broker does not
// know answer UNKNOWN_TOPIC_OR_PARTITION and are not passed on; a group-level error (unknown
// group GROUP_ID_NOT_FOUND, live non-consumer group NON_EMPTY_GROUP, NOT_COORDINATOR, ...) is the
// whole answer, with no topics.
import { ErrorCode } from '../protocol/errors';
import { OffsetDelete } from '../protocol/messages/offset-delete';
import { defineHandler } from './api-handler';
import { groupByTopic } from './group-by-topic';

export const offsetDeleteHandler = defineHandler({
  api: OffsetDelete,
  async handle(request, _version, ctx) {
    const results: { topic: string; partition: number; errorCode: ErrorCode }[] = [];
    const known: { topic: string; partition: number }[] = [];
    for (const t of request.topics) {
      for (const p of t.partitions) {
        const tp = { topic: t.name, partition: p.partitionIndex };
        if (ctx.broker.metadataCache.partitionState(tp.topic, tp.partition)) known.push(tp);
        else results.push({ ...tp, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
      }
    }
    const deleted = await ctx.broker.groupCoordinator.handleDeleteOffsets(request.groupId, known);
    if (deleted.errorCode !== ErrorCode.NONE) return { errorCode: deleted.errorCode, throttleTimeMs: 0, topics: [] };
    results.push(...deleted.partitions);
    const topics = [...groupByTopic(results)].map(([name, list]) => ({ name, partitions: list.map((r) => ({ partitionIndex: r.partition, errorCode: r.errorCode })) }));
    return { errorCode: ErrorCode.NONE, throttleTimeMs: 0, topics };
  },
});
