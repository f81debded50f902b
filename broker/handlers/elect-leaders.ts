// ElectLeaders (KIP-183, kafka-leader-election / kafka-preferred-replica-election
// --bootstrap-server): a preferred replica election run by the controller.
// Behavior: must be sent to the controller (every partition NOT_CONTROLLER otherwise; v0 has no
// top-level error). topicPartitions null = every partition in this broker's metadata. Per
// partition: NONE once this broker's metadata shows the new leader (Kafka's DelayedElectLeader;
// REQUEST_TIMED_OUT after timeoutMs), ELECTION_NOT_NEEDED when the preferred replica already leads,
// PREFERRED_LEADER_NOT_AVAILABLE when it is not live or not in the ISR, UNKNOWN_TOPIC_OR_PARTITION,
// INVALID_TOPIC_EXCEPTION for topics being deleted.
// Version notes: v0 only (v1's electionType is beyond Zafka's advertised 2.3 range).
import type { ElectLeaderResult } from '../../controller/controller-event';
import { authorizeCluster } from '../authorizer/request-authorization';
import { ErrorCode } from '../protocol/errors';
import { ElectLeaders } from '../protocol/messages/elect-leaders';
import { groupByTopic } from './group-by-topic';
import { defineHandler } from './api-handler';

export const electLeadersHandler = defineHandler({
  api: ElectLeaders,
  async handle(request, _version, ctx) {
    const { controller, metadataCache } = ctx.broker;
    const requested =
      request.topicPartitions === null
        ? metadataCache.topicNames().flatMap((topic) => metadataCache.partitionsOf(topic).map((p) => ({ topic, partition: p.partition })))
        : request.topicPartitions.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
    // Kafka 2.4: Alter on the Cluster, else every partition asked for fails.
    const allowed = authorizeCluster(ctx, 'Alter');
    const results: ElectLeaderResult[] = !allowed
      ? (request.topicPartitions === null ? [] : requested).map((tp) => ({ ...tp, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, errorMessage: null, leader: -1 }))
      : controller.isActive()
      ? await controller.electPreferredLeaders(requested)
      : requested.map((tp) => ({ ...tp, errorCode: ErrorCode.NOT_CONTROLLER, errorMessage: null, leader: -1 }));

    // Answer once the new leaders are visible here, so a client that reads metadata next sees them.
    const deadline = Date.now() + Math.max(0, request.timeoutMs);
    const pending = () => results.filter((r) => r.errorCode === ErrorCode.NONE && metadataCache.partitionState(r.topic, r.partition)?.leader !== r.leader);
    while (pending().length > 0 && Date.now() < deadline) await metadataCache.waitForUpdate(deadline - Date.now());
    for (const r of pending()) {
      r.errorCode = ErrorCode.REQUEST_TIMED_OUT;
      r.errorMessage = `The new leader ${r.leader} of ${r.topic}-${r.partition} is not in the metadata yet.`;
    }

    return {
      throttleTimeMs: 0,
      replicaElectionResults: [...groupByTopic(results)].map(([topic, list]) => ({
        topic,
        partitionResult: list.map((r) => ({ partitionId: r.partition, errorCode: r.errorCode, errorMessage: r.errorMessage })),
      })),
    };
  },
});
