// LeaderAndIsr: the controller tells this broker which partitions it leads or follows.
// Behavior: a stale controller epoch fails the whole request (STALE_CONTROLLER_EPOCH); a
// partition whose leader epoch is not newer than the one held is ignored (per-partition
// STALE_CONTROLLER_EPOCH, as Kafka 2.x answers). Version notes: v0-v1 flat partition states
// naming their topic, v1 isNew, v2 broker epoch and states grouped by topic.
import { ErrorCode } from '../protocol/errors';
import { errorCodeOf } from '../protocol/kafka-error';
import { LeaderAndIsr } from '../protocol/messages/leader-and-isr';
import type { PartitionStateRequest } from '../replica/replica-manager';
import { defineHandler } from './api-handler';
import { checkBrokerEpoch, flattenTopicStates } from './control-requests';

export const leaderAndIsrHandler = defineHandler({
  api: LeaderAndIsr,
  minVersion: 0,
  maxVersion: 4,
  async handle(request, version, ctx) {
    const grouped = flattenTopicStates(version >= 2, request.topicStates, request.ungroupedPartitionStates);
    const states: PartitionStateRequest[] = grouped.map((p) => ({
      topic: p.topicName,
      partition: p.partitionIndex,
      controllerEpoch: p.controllerEpoch,
      leader: p.leader,
      leaderEpoch: p.leaderEpoch,
      isr: p.isr,
      zkVersion: p.partitionEpoch,
      replicas: p.replicas,
      isNew: p.isNew,
    }));
    try {
      checkBrokerEpoch(request.brokerEpoch, ctx);
      const liveLeaders = request.liveLeaders.map((l) => ({ id: l.brokerId, host: l.hostName, port: l.port }));
      const errors = await ctx.broker.replicaManager.becomeLeaderOrFollower(request.controllerId, request.controllerEpoch, states, liveLeaders);
      return {
        errorCode: ErrorCode.NONE,
        partitionErrors: states.map((s) => ({ topicName: s.topic, partitionIndex: s.partition, errorCode: errors.get(`${s.topic}-${s.partition}`) ?? ErrorCode.NONE })),
      };
    } catch (err) {
      return { errorCode: errorCodeOf(err), partitionErrors: [] };
    }
  },
});
