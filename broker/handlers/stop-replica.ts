// StopReplica: stop serving partitions and, with delete_partitions, delete their logs (topic
// deletion). Behavior: stale controller epoch -> STALE_CONTROLLER_EPOCH for the whole request.
// Version notes: v0 a flat partition list, v1 broker epoch and partitions grouped by topic.
import { ErrorCode } from '../protocol/errors';
import { errorCodeOf } from '../protocol/kafka-error';
import { StopReplica } from '../protocol/messages/stop-replica';
import { defineHandler } from './api-handler';
import { checkBrokerEpoch } from './control-requests';

export const stopReplicaHandler = defineHandler({
  api: StopReplica,
  minVersion: 0,
  maxVersion: 2,
  async handle(request, version, ctx) {
    const partitions = version >= 1
      ? request.topics.flatMap((t) => t.partitionIndexes.map((p) => ({ topic: t.name, partition: p })))
      : request.ungroupedPartitions.map((p) => ({ topic: p.topicName, partition: p.partitionIndex }));
    try {
      checkBrokerEpoch(request.brokerEpoch, ctx);
      const errors = await ctx.broker.replicaManager.stopReplicas(request.controllerEpoch, partitions, request.deletePartitions);
      return {
        errorCode: ErrorCode.NONE,
        partitionErrors: partitions.map((p) => ({ topicName: p.topic, partitionIndex: p.partition, errorCode: errors.get(`${p.topic}-${p.partition}`) ?? ErrorCode.NONE })),
      };
    } catch (err) {
      return { errorCode: errorCodeOf(err), partitionErrors: [] };
    }
  },
});
