// Fetch: consumers read up to the high watermark, followers (replica_id >= 0) up to the LEO.
// Long poll: the ReplicaManager parks the request until min_bytes are there or max_wait_ms
// passes. Bytes go out as stored; v0-v3 clients get message sets down-converted to magic 0/1.
// Behavior: no fetch sessions (KIP-227): the answer always carries session_id 0, which tells
// clients to keep sending full requests. isolation_level READ_COMMITTED (v4+, KIP-98): consumers
// read up to the last stable offset and get the aborted transactions overlapping the records
// returned (null for READ_UNCOMMITTED, as Kafka); last_stable_offset is in every answer.
// Followers always read up to the LEO.
// Quotas: a consumer's response bytes count against its consumer_byte_rate; over quota, the answer
// is empty (the bytes are taken back, as Kafka's unrecordQuotaSensor does), carries the throttle
// time, and the connection stays muted that long. Followers (replica_id >= 0) are exempt: they
// fall under replication quotas, which Zafka does not have.
// Version notes: v3 max_bytes, v4 isolation level/LSO, v5 log_start_offset, v7 sessions,
// v9 current_leader_epoch, v11 rack_id / preferred_read_replica (-1: read from the leader).
import { encodeResponse } from '../protocol/codec';
import { ErrorCode } from '../protocol/errors';
import { Fetch } from '../protocol/messages/fetch';
import { downConvert } from '../protocol/records/conversion';
import type { BrokerTopicStats } from '../metrics/broker-topic-stats';
import { groupByTopic } from './group-by-topic';
import { defineHandler } from './api-handler';
import { recordBandwidth } from './bandwidth-quota';
import { READ_UNCOMMITTED } from '../replica/replica-manager';

export const fetchHandler = defineHandler({
  api: Fetch,
  minVersion: 0,
  maxVersion: 11,
  async handle(request, version, ctx) {
    const partitions = request.topics.flatMap((t) =>
      t.partitions.map((p) => ({
        topic: t.topic,
        partition: p.partition,
        fetchOffset: p.fetchOffset,
        maxBytes: p.partitionMaxBytes,
        currentLeaderEpoch: version >= 9 ? p.currentLeaderEpoch : -1,
        logStartOffset: version >= 5 ? p.logStartOffset : -1,
      })),
    );
    const results = await ctx.broker.replicaManager.fetchMessages({
      replicaId: request.replicaId,
      maxWaitMs: request.maxWaitMs,
      isolationLevel: version >= 4 ? request.isolationLevel : READ_UNCOMMITTED,
      minBytes: request.minBytes,
      maxBytes: version >= 3 ? request.maxBytes : Number.MAX_SAFE_INTEGER,
      partitions,
    });
    const legacyMagic = version <= 1 ? 0 : version <= 3 ? 1 : null;
    const response = {
      throttleTimeMs: 0,
      errorCode: ErrorCode.NONE,
      sessionId: 0,
      responses: [...groupByTopic(results)].map(([topic, list]) => ({
        topic,
        partitions: list.map((r) => ({
          partitionIndex: r.partition,
          errorCode: r.errorCode,
          highWatermark: r.highWatermark,
          lastStableOffset: r.lastStableOffset,
          logStartOffset: r.logStartOffset,
          abortedTransactions: r.abortedTransactions,
          preferredReadReplica: -1,
          records: r.records && legacyMagic !== null ? downConvert(r.records, legacyMagic) : r.records,
        })),
      })),
    };
    const fromFollower = request.replicaId >= 0;
    const quota = ctx.broker.quotas.fetch;
    if (!fromFollower && quota.quotasEnabled) {
      // Kafka counts the whole response as sized before sending it (FetchContext.getResponseSize).
      const nowMs = Date.now();
      const size = encodeResponse(Fetch, version, ctx.header.correlationId, response).reduce((n, b) => n + b.length, 0);
      const throttleTimeMs = recordBandwidth(quota, ctx, size, nowMs);
      if (throttleTimeMs > 0) {
        quota.unrecord(ctx.principal, ctx.header.clientId ?? '', size, nowMs);
        ctx.throttle(throttleTimeMs);
        // Kafka's FetchContext.getThrottledResponse: no partitions at all, session id 0.
        return { ...response, throttleTimeMs, responses: [] };
      }
    }
    recordBytesOut(ctx.broker.replicaManager.topicStats, response.responses, fromFollower);
    return response;
  },
});

/** BytesOutPerSec as the response goes out (after any down-conversion), per partition. */
function recordBytesOut(
  stats: BrokerTopicStats,
  responses: readonly { topic: string; partitions: readonly { errorCode: number; records: Buffer | null }[] }[],
  fromFollower: boolean,
): void {
  for (const t of responses) {
    for (const p of t.partitions) {
      // A partition not hosted here gets no series of its own (see BrokerTopicStats).
      const topic = p.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION ? null : t.topic;
      stats.recordFetch(topic, p.records ? p.records.length : 0, p.errorCode === ErrorCode.UNKNOWN_SERVER_ERROR, fromFollower);
    }
  }
}
