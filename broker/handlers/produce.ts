// Produce: append each partition's records as leader (v2 batches as received; v0/v1 message
// sets, from Produce v0-v2, are up-converted on append). acks=0 sends no response — and, as in
// Kafka, a failed acks=0 produce closes the connection so the client refreshes its metadata.
// acks=-1 waits in the purgatory until the HW passes the batches (ReplicaManager).
// Version notes: v2 adds log_append_time, v3 transactional_id (transactions are not supported),
// v5 log_start_offset, v7 zstd.
// Internal topics (__consumer_offsets) take appends only from the broker's own coordinator or a
// client whose id is "__admin_client" (Kafka's ReplicaManager.appendToLocalLog and
// AdminUtils.AdminClientId): anyone else gets INVALID_TOPIC_EXCEPTION, so a client cannot plant
// records the group coordinator would load.
import { isInternalTopic } from '../../controller/topic-name';
import { CloseConnection } from '../network/request-handler';
import { ErrorCode } from '../protocol/errors';
import { Produce } from '../protocol/messages/produce';
import { groupByTopic } from './group-by-topic';
import { defineHandler } from './api-handler';

const ADMIN_CLIENT_ID = '__admin_client';

export const produceHandler = defineHandler({
  api: Produce,
  minVersion: 0,
  maxVersion: 7,
  async handle(request, _version, ctx) {
    const { replicaManager, metadataCache } = ctx.broker;
    const entries = request.topicData.flatMap((t) => t.partitionData.map((p) => ({ topic: t.name, partition: p.index, records: p.records })));
    const failWith = (errorCode: ErrorCode, e: (typeof entries)[number]) => ({ ...e, errorCode, baseOffset: -1, logAppendTime: -1, logStartOffset: -1 });
    let results;
    if (request.acks !== 0 && request.acks !== 1 && request.acks !== -1) {
      results = entries.map((e) => failWith(ErrorCode.INVALID_REQUIRED_ACKS, e));
    } else {
      const internalAllowed = ctx.header.clientId === ADMIN_CLIENT_ID;
      const refused = entries.filter((e) => !internalAllowed && isInternalTopic(e.topic));
      const allowed = refused.length === 0 ? entries : entries.filter((e) => internalAllowed || !isInternalTopic(e.topic));
      const appended = allowed.length === 0 ? [] : await replicaManager.appendRecords(request.acks, request.timeoutMs, allowed);
      results = [...appended, ...refused.map((e) => failWith(ErrorCode.INVALID_TOPIC_EXCEPTION, e))];
    }
    for (const r of results) {
      if (r.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION && !metadataCache.hasTopic(r.topic)) {
        await ctx.broker.autoCreateTopic(r.topic);
      }
    }
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
      throttleTimeMs: 0,
    };
  },
});
