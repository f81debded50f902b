// Metadata (key 3), versions 0-8 (flexible from 9, beyond Zafka's range).
// Version notes: v0 sends an empty topic list for "all topics"; v1+ uses null for all topics and
// an empty list for none. v4 adds allowAutoTopicCreation (v0-3 behave as true). v8 adds the
// authorized-operations flags (KIP-430). Response: v1 rack and controllerId (kafkajs sends admin
// requests to controllerId), v2 clusterId, v3 throttleTimeMs, v5 offlineReplicas, v7 leaderEpoch.

import { defineApi } from '../api-definition';
import { Infer, InferInput, array, bool, int16, int32, string, struct } from '../schema';

const MetadataRequestTopic = struct({
  name: string(),
});

export const MetadataRequestSchema = struct({
  topics: array('0+', MetadataRequestTopic, { nullable: '1+' }),
  allowAutoTopicCreation: bool('4+', { default: true }),
  includeClusterAuthorizedOperations: bool('8-10'),
  includeTopicAuthorizedOperations: bool('8+'),
});

const MetadataResponseBroker = struct({
  nodeId: int32(),
  host: string(),
  port: int32(),
  rack: string('1+', { nullable: '1+', default: null }),
});

const MetadataResponsePartition = struct({
  errorCode: int16(),
  partitionIndex: int32(),
  leaderId: int32(),
  leaderEpoch: int32('7+', { default: -1 }),
  replicaNodes: array('0+', int32()),
  isrNodes: array('0+', int32()),
  offlineReplicas: array('5+', int32()),
});

const MetadataResponseTopic = struct({
  errorCode: int16(),
  name: string(),
  isInternal: bool('1+', { default: false }),
  partitions: array('0+', MetadataResponsePartition),
  topicAuthorizedOperations: int32('8+', { default: -2147483648 }),
});

export const MetadataResponseSchema = struct({
  throttleTimeMs: int32('3+'),
  brokers: array('0+', MetadataResponseBroker),
  clusterId: string('2+', { nullable: '2+', default: null }),
  controllerId: int32('1+', { default: -1 }),
  topics: array('0+', MetadataResponseTopic),
  clusterAuthorizedOperations: int32('8-10', { default: -2147483648 }),
});

export type MetadataRequest = Infer<typeof MetadataRequestSchema>;
export type MetadataResponse = Infer<typeof MetadataResponseSchema>;
export type MetadataResponseInput = InferInput<typeof MetadataResponseSchema>;
export type MetadataResponseBroker = Infer<typeof MetadataResponseBroker>;
export type MetadataResponseTopic = Infer<typeof MetadataResponseTopic>;
export type MetadataResponsePartition = Infer<typeof MetadataResponsePartition>;

export const Metadata = defineApi({
  apiKey: 3,
  name: 'Metadata',
  maxVersion: 8,
  flexibleVersionsFrom: 9,
  request: MetadataRequestSchema,
  response: MetadataResponseSchema,
});
