// The controller builds its requests grouped by topic (LeaderAndIsr v2+, UpdateMetadata v5+,
// StopReplica v1+). Older versions, sent when inter.broker.protocol.version is below 2.2 (a
// rolling upgrade from Kafka 2.0/2.1), list partitions flat, each naming its topic, and
// UpdateMetadata v0 gives each broker one plaintext host/port. One conversion per request.
import type { LeaderAndIsrRequestInput } from '../broker/protocol/messages/leader-and-isr';
import type { StopReplicaRequestInput } from '../broker/protocol/messages/stop-replica';
import type { UpdateMetadataRequestInput } from '../broker/protocol/messages/update-metadata';
import { LeaderAndIsrRequestData, SECURITY_PROTOCOL_IDS, StopReplicaRequestData, UpdateMetadataRequestData } from './controller-requests';

export function leaderAndIsrBody(body: LeaderAndIsrRequestData, version: number): LeaderAndIsrRequestInput {
  if (version >= 2) return body;
  return { ...body, ungroupedPartitionStates: body.topicStates.flatMap((t) => t.partitionStates.map((p) => ({ ...p, topicName: t.topicName }))) };
}

export function updateMetadataBody(body: UpdateMetadataRequestData, version: number): UpdateMetadataRequestInput {
  if (version >= 5) return body;
  return {
    ...body,
    ungroupedPartitionStates: body.topicStates.flatMap((t) => t.partitionStates.map((p) => ({ ...p, topicName: t.topicName }))),
    liveBrokers: body.liveBrokers.map((b) => {
      // v0 knows only PLAINTEXT (Kafka's UpdateMetadataRequest v0 writes that endpoint alone).
      const plaintext = b.endpoints.find((e) => e.securityProtocol === SECURITY_PROTOCOL_IDS.PLAINTEXT);
      return { ...b, v0Host: plaintext?.host ?? '', v0Port: plaintext?.port ?? -1 };
    }),
  };
}

export function stopReplicaBody(body: StopReplicaRequestData, version: number): StopReplicaRequestInput {
  if (version >= 1) return body;
  return { ...body, ungroupedPartitions: body.topics.flatMap((t) => t.partitionIndexes.map((p) => ({ topicName: t.name, partitionIndex: p }))) };
}
