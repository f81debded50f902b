// ListPartitionReassignments (key 46), version 0, flexible from 0 (KIP-455, Kafka 2.4): the
// partitions being reassigned, with their full replica set and the replicas being added/removed.
// topics null = every reassigning partition. Must be sent to the controller.
// kafka-reassign-partitions --bootstrap-server --verify sends it (Kafka 2.5).

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, int16, int32, string, struct } from '../schema';

const ListPartitionReassignmentsTopics = struct({
  name: string(),
  partitionIndexes: array('0+', int32()),
});

export const ListPartitionReassignmentsRequestSchema = struct({
  timeoutMs: int32('0+', { default: 60000 }),
  topics: array('0+', ListPartitionReassignmentsTopics, { nullable: '0+', default: null }),
});

const OngoingPartitionReassignment = struct({
  partitionIndex: int32(),
  replicas: array('0+', int32()),
  addingReplicas: array('0+', int32()),
  removingReplicas: array('0+', int32()),
});

const OngoingTopicReassignment = struct({
  name: string(),
  partitions: array('0+', OngoingPartitionReassignment),
});

export const ListPartitionReassignmentsResponseSchema = struct({
  throttleTimeMs: int32(),
  errorCode: int16(),
  errorMessage: string('0+', { nullable: '0+' }),
  topics: array('0+', OngoingTopicReassignment),
});

export type ListPartitionReassignmentsRequest = Infer<typeof ListPartitionReassignmentsRequestSchema>;
export type ListPartitionReassignmentsResponse = Infer<typeof ListPartitionReassignmentsResponseSchema>;
export type ListPartitionReassignmentsResponseInput = InferInput<typeof ListPartitionReassignmentsResponseSchema>;

export const ListPartitionReassignments = defineApi({
  apiKey: 46,
  name: 'ListPartitionReassignments',
  maxVersion: 0,
  flexibleVersionsFrom: 0,
  request: ListPartitionReassignmentsRequestSchema,
  response: ListPartitionReassignmentsResponseSchema,
});
