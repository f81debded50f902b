// Produce: append each partition's records as leader (v2 batches as received; v0/v1 message
// sets, from Produce v0-v2, are up-converted on append). acks=0 sends no response — and, as in
// Kafka, a failed acks=0 produce closes the connection so the client refreshes its metadata.
// acks=-1 waits in the purgatory until the HW passes the batches (ReplicaManager).
// Behavior: as Kafka 2.4's handleProduceRequest, a partition of a known topic first has its
// records checked against the request version (produce-request-records.ts), then internal topics
// (__consumer_offsets) are refused to clients with INVALID_TOPIC_EXCEPTION (ReplicaManager's
// internalTopicsAllowed: only the broker's own group coordinator, which appends directly, and a
// client calling itself "__admin_client", Kafka's AdminUtils.AdminClientId, may write there).
// Quotas: the request's bytes count against the client's producer_byte_rate once it is answered;
// over quota, throttle_time_ms says for how long the connection stays muted (bandwidth-quota.ts).
// Authorization (Kafka 2.4): transactional records need Write on the TransactionalId, idempotent
// ones IdempotentWrite on the Cluster (else every partition fails with that error); then Write on
// each topic (TOPIC_AUTHORIZATION_FAILED per partition, before UNKNOWN_TOPIC_OR_PARTITION).
// Version notes: v2 adds log_append_time, v3 transactional_id (transactions are not supported)
// and message format v2 only, v5 log_start_offset, v7 zstd.
import { isInternalTopic } from '../../controller/topic-name';
import { CloseConnection } from '../network/request-handler';
import { ErrorCode } from '../protocol/errors';
import { Produce } from '../protocol/messages/produce';
import { produceRecordsError } from '../protocol/records/produce-request-records';
import type { ProducePartitionResult } from '../replica/replica-manager';
import { mayAutoCreate, produceAuthorizationError } from '../authorizer/produce-authorization';
import { filterAuthorized } from '../authorizer/request-authorization';
import { groupByTopic } from './group-by-topic';
import { defineHandler } from './api-handler';
import { recordAndThrottle } from './bandwidth-quota';

/** Kafka's AdminUtils.AdminClientId: the one client id allowed to produce to internal topics. */
export const ADMIN_CLIENT_ID = '__admin_client';

export const produceHandler = defineHandler({
  api: Produce,
  async handle(request, version, ctx) {
    const { replicaManager, metadataCache } = ctx.broker;
    const entries = request.topicData.flatMap((t) => t.partitionData.map((p) => ({ topic: t.name, partition: p.index, records: p.records })));
    const failed = (e: (typeof entries)[number], errorCode: ErrorCode): ProducePartitionResult => ({ topic: e.topic, partition: e.partition, errorCode, baseOffset: -1, logAppendTime: -1, logStartOffset: -1 });
    let results: ProducePartitionResult[];
    const requestRefusal = produceAuthorizationError(ctx, version >= 3 ? request.transactionalId : null, entries.map((e) => e.records));
    if (requestRefusal !== ErrorCode.NONE) {
      results = entries.map((e) => failed(e, requestRefusal));
    } else if (request.acks !== 0 && request.acks !== 1 && request.acks !== -1) {
      results = entries.map((e) => failed(e, ErrorCode.INVALID_REQUIRED_ACKS));
    } else {
      const internalTopicsAllowed = ctx.header.clientId === ADMIN_CLIENT_ID;
      const writable = filterAuthorized(ctx, 'Write', 'Topic', entries.map((e) => e.topic));
      const refusals = entries.map((e) => {
        if (!writable.has(e.topic)) return ErrorCode.TOPIC_AUTHORIZATION_FAILED;
        if (!metadataCache.hasTopic(e.topic)) return ErrorCode.NONE; // the replica manager answers UNKNOWN_TOPIC_OR_PARTITION
        const recordsError = produceRecordsError(version, e.records);
        if (recordsError !== ErrorCode.NONE) return recordsError;
        return isInternalTopic(e.topic) && !internalTopicsAllowed ? ErrorCode.INVALID_TOPIC_EXCEPTION : ErrorCode.NONE;
      });
      const accepted = entries.filter((_, i) => refusals[i] === ErrorCode.NONE);
      const appended = accepted.length > 0 ? await replicaManager.appendRecords(request.acks, request.timeoutMs, accepted) : [];
      let next = 0;
      results = entries.map((e, i) => (refusals[i] === ErrorCode.NONE ? appended[next++] : failed(e, refusals[i])));
    }
    for (const r of results) {
      if (r.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION && !metadataCache.hasTopic(r.topic) && mayAutoCreate(ctx, r.topic)) {
        await ctx.broker.autoCreateTopic(r.topic);
      }
    }
    // Kafka throttles acks=0 producers too: no response, but the connection stays muted.
    const throttleTimeMs = recordAndThrottle(ctx.broker.quotas.produce, ctx, ctx.requestSize);
    if (request.acks === 0) {
      const failed = results.find((r) => r.errorCode !== ErrorCode.NONE);
      if (failed) {
        throw new CloseConnection(
          `Closing connection due to error during produce request with correlation id ${ctx.header.correlationId} from client id ${ctx.header.clientId} with ack=0: ${ErrorCode[failed.errorCode]} on ${failed.topic}-${failed.partition}`,
        );
      }
      return null;
    }
    return {
      responses: [...groupByTopic(results)].map(([name, partitions]) => ({
        name,
        partitionResponses: partitions.map((p) => ({
          index: p.partition,
          errorCode: p.errorCode,
          baseOffset: p.baseOffset,
          logAppendTimeMs: p.logAppendTime,
          logStartOffset: p.logStartOffset,
        })),
      })),
      throttleTimeMs,
    };
  },
});
