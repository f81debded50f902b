// AlterPartitionReassignments (key 45), version 0, flexible from 0 (KIP-455, Kafka 2.4): per
// partition, a replica list starts (or replaces) a reassignment and null cancels one. Must be sent
// to the controller. kafka-reassign-partitions --bootstrap-server --execute sends it (Kafka 2.5).

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, int16, int32, string, struct } from '../schema';

const ReassignablePartition = struct({
  partitionIndex: int32(),
  replicas: array('0+', int32(), { nullable: '0+', default: null }),
});

const ReassignableTopic = struct({
  name: string(),
  partitions: array('0+', ReassignablePartition),
});

export const AlterPartitionReassignmentsRequestSchema = struct({
  timeoutMs: int32('0+', { default: 60000 }),
  topics: array('0+', ReassignableTopic),
});

const ReassignablePartitionResponse = struct({
  partitionIndex: int32(),
  errorCode: int16(),
  errorMessage: string('0+', { nullable: '0+' }),
});

const ReassignableTopicResponse = struct({
  name: string(),
  partitions: array('0+', ReassignablePartitionResponse),
});

export const AlterPartitionReassignmentsResponseSchema = struct({
  throttleTimeMs: int32(),
  errorCode: int16(),
  errorMessage: string('0+', { nullable: '0+' }),
  responses: array('0+', ReassignableTopicResponse),
});

export type AlterPartitionReassignmentsRequest = Infer<typeof AlterPartitionReassignmentsRequestSchema>;
export type AlterPartitionReassignmentsResponse = Infer<typeof AlterPartitionReassignmentsResponseSchema>;
export type AlterPartitionReassignmentsResponseInput = InferInput<typeof AlterPartitionReassignmentsResponseSchema>;

export const AlterPartitionReassignments = defineApi({
  apiKey: 45,
  name: 'AlterPartitionReassignments',
  maxVersion: 0,
  flexibleVersionsFrom: 0,
  request: AlterPartitionReassignmentsRequestSchema,
  response: AlterPartitionReassignmentsResponseSchema,
});
