// UpdateMetadata: the controller's view of live brokers and partition states, for this broker's
// metadata cache. Behavior: stale controller epoch -> STALE_CONTROLLER_EPOCH, nothing applied.
// Version notes: v0 one plaintext host/port per broker, v1 endpoints, v2 rack, v3 listener
// names, v4 offline replicas, v5 broker epoch and states grouped by topic.
import { ErrorCode } from '../protocol/errors';
import { errorCodeOf } from '../protocol/kafka-error';
import { UpdateMetadata } from '../protocol/messages/update-metadata';
import type { LiveBroker, PartitionStateInfo } from '../metadata-cache';
import { defineHandler } from './api-handler';
import { checkBrokerEpoch, flattenTopicStates } from './control-requests';

const PLAINTEXT = 0;

export const updateMetadataHandler = defineHandler({
  api: UpdateMetadata,
  minVersion: 0,
  maxVersion: 6,
  handle(request, version, ctx) {
    try {
      checkBrokerEpoch(request.brokerEpoch, ctx);
      ctx.broker.replicaManager.checkControllerEpoch(request.controllerEpoch);
      const grouped = flattenTopicStates(version >= 5, request.topicStates, request.ungroupedPartitionStates);
      const states: PartitionStateInfo[] = grouped.map((p) => ({
        topic: p.topicName,
        partition: p.partitionIndex,
        controllerEpoch: p.controllerEpoch,
        leader: p.leader,
        leaderEpoch: p.leaderEpoch,
        isr: p.isr,
        zkVersion: p.zkVersion,
        replicas: p.replicas,
        offlineReplicas: p.offlineReplicas,
      }));
      const brokers: LiveBroker[] = request.liveBrokers.map((b) => ({
        id: b.id,
        rack: b.rack,
        endpoints: version === 0
          ? [{ listener: 'PLAINTEXT', host: b.v0Host, port: b.v0Port, securityProtocol: PLAINTEXT }]
          : b.endpoints.map((e) => ({ listener: version >= 3 ? e.listener : 'PLAINTEXT', host: e.host, port: e.port, securityProtocol: e.securityProtocol })),
      }));
      ctx.broker.metadataCache.update(request.controllerId, brokers, states);
      return { errorCode: ErrorCode.NONE };
    } catch (err) {
      return { errorCode: errorCodeOf(err) };
    }
  },
});
