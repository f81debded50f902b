// ElectLeaders (key 43), version 0 (flexible from 2). Kafka 2.3 named v0
// ElectPreferredLeaders (KIP-183); v1's electionType (KIP-460) is beyond Zafka's range, so v0
// always means a preferred-replica election. topicPartitions null = every partition.
// Must be sent to the controller.

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, int16, int32, string, struct } from '../schema';

const TopicPartitions = struct({
  topic: string(),
  partitions: array('0+', int32()),
});

export const ElectLeadersRequestSchema = struct({
  topicPartitions: array('0+', TopicPartitions, { nullable: '0+' }),
  timeoutMs: int32('0+', { default: 60000 }),
});

const PartitionResult = struct({
  partitionId: int32(),
  errorCode: int16(),
  errorMessage: string('0+', { nullable: '0+' }),
});

const ReplicaElectionResult = struct({
  topic: string(),
  partitionResult: array('0+', PartitionResult),
});

export const ElectLeadersResponseSchema = struct({
  throttleTimeMs: int32(),
  replicaElectionResults: array('0+', ReplicaElectionResult),
});

export type ElectLeadersRequest = Infer<typeof ElectLeadersRequestSchema>;
export type ElectLeadersResponse = Infer<typeof ElectLeadersResponseSchema>;
export type ElectLeadersResponseInput = InferInput<typeof ElectLeadersResponseSchema>;

export const ElectLeaders = defineApi({
  apiKey: 43,
  name: 'ElectLeaders',
  maxVersion: 0,
  flexibleVersionsFrom: 2,
  request: ElectLeadersRequestSchema,
  response: ElectLeadersResponseSchema,
});
