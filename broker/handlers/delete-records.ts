// DeleteRecords: moves the log start offset of partitions up to the given offsets (-1 = the high
// watermark); consumers starting at "earliest" begin there, and segments wholly below it go at
// the next retention check.
// Behavior: must be sent to each partition's leader, which answers once every live follower's
// log start offset has followed (Kafka's DelayedDeleteRecords) or timeout_ms passes
// (REQUEST_TIMED_OUT). Partitions unknown to the metadata cache get UNKNOWN_TOPIC_OR_PARTITION,
// an offset beyond the high watermark or negative (other than -1) OFFSET_OUT_OF_RANGE,
// an internal topic INVALID_TOPIC_EXCEPTION, a topic without the delete cleanup policy
// POLICY_VIOLATION; low_watermark is -1 on error.
// Version notes: v1 only changes semantics (throttling).
import { filterAuthorized } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { DeleteRecords } from '../protocol/messages/delete-records';
import type { DeleteRecordsPartitionResult } from '../replica/delayed-delete-records';
import { defineHandler } from './api-handler';
import { groupByTopic } from './group-by-topic';

export const deleteRecordsHandler = defineHandler({
  api: DeleteRecords,
  async handle(request, _version, ctx) {
    const { metadataCache, replicaManager } = ctx.broker;
    const unknown: DeleteRecordsPartitionResult[] = [];
    const known: { topic: string; partition: number; offset: number }[] = [];
    // Kafka 2.4: Delete on each topic, else TOPIC_AUTHORIZATION_FAILED (low watermark -1).
    const deletable = filterAuthorized(ctx, 'Delete', 'Topic', request.topics.flatMap((t) => t.partitions.map(() => t.name)));
    for (const t of request.topics) {
      for (const p of t.partitions) {
        if (!deletable.has(t.name)) unknown.push({ topic: t.name, partition: p.partitionIndex, lowWatermark: -1, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED });
        else if (metadataCache.partitionState(t.name, p.partitionIndex)) known.push({ topic: t.name, partition: p.partitionIndex, offset: p.offset });
        else unknown.push({ topic: t.name, partition: p.partitionIndex, lowWatermark: -1, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
      }
    }
    const results = known.length > 0 ? await replicaManager.deleteRecords(request.timeoutMs, known) : [];
    return {
      throttleTimeMs: 0,
      topics: [...groupByTopic([...results, ...unknown])].map(([name, list]) => ({
        name,
        partitions: list.map((r) => ({ partitionIndex: r.partition, lowWatermark: r.lowWatermark, errorCode: r.errorCode })),
      })),
    };
  },
});
