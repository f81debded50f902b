// StopReplica (key 5), versions 0-2 (flexible from 2): controller -> broker, stop fetching and,
// with deletePartitions, delete the replicas (topic deletion, reassignment).
// Version notes: v0 a flat list of (topicName, partitionIndex); v1 (KIP-380) brokerEpoch and
// partitions grouped by topic; v2 is v1 made flexible (KIP-482), what a Kafka 2.4 controller
// sends with inter.broker.protocol.version 2.4.

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, bool, int16, int32, int64, string, struct } from '../schema';

const StopReplicaPartitionV0 = struct({
  topicName: string('0'),
  partitionIndex: int32('0'),
});

const StopReplicaTopicV1 = struct({
  name: string('1-2'),
  partitionIndexes: array('1-2', int32()),
});

export const StopReplicaRequestSchema = struct({
  controllerId: int32(),
  controllerEpoch: int32(),
  brokerEpoch: int64('1+', { default: -1 }),
  deletePartitions: bool('0-2'),
  ungroupedPartitions: array('0', StopReplicaPartitionV0),
  topics: array('1-2', StopReplicaTopicV1),
});

const StopReplicaPartitionError = struct({
  topicName: string(),
  partitionIndex: int32(),
  errorCode: int16(),
});

export const StopReplicaResponseSchema = struct({
  errorCode: int16(),
  partitionErrors: array('0+', StopReplicaPartitionError),
});

export type StopReplicaRequest = Infer<typeof StopReplicaRequestSchema>;
export type StopReplicaRequestInput = InferInput<typeof StopReplicaRequestSchema>;
export type StopReplicaResponse = Infer<typeof StopReplicaResponseSchema>;
export type StopReplicaPartitionError = Infer<typeof StopReplicaPartitionError>;

export const StopReplica = defineApi({
  apiKey: 5,
  name: 'StopReplica',
  maxVersion: 2,
  flexibleVersionsFrom: 2,
  request: StopReplicaRequestSchema,
  response: StopReplicaResponseSchema,
});
